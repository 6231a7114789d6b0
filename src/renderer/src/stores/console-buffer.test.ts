import { describe, expect, it } from 'vitest';
import { ConsoleBuffer } from './console-buffer';

describe('ConsoleBuffer', () => {
  it('reads everything first, then only what came since', () => {
    const b = new ConsoleBuffer();
    b.append('com1', 'hello ');
    b.append('debug', 'dbg');
    const first = b.read(null);
    expect(first.restart).toBe(true);
    expect(first.chunks).toEqual([
      { port: 'com1', data: 'hello ' },
      { port: 'debug', data: 'dbg' },
    ]);
    b.append('com1', 'world');
    const second = b.read(first.cursor);
    expect(second.restart).toBe(false);
    expect(second.chunks).toEqual([{ port: 'com1', data: 'world' }]);
    expect(b.read(second.cursor).chunks).toEqual([]);
    expect(b.text()).toBe('hello dbgworld');
    expect(b.text('com1')).toBe('hello world');
  });

  it('ignores empty chunks', () => {
    const b = new ConsoleBuffer();
    b.append('com1', '');
    expect(b.read(null).chunks).toEqual([]);
  });

  it('makes readers restart after a clear', () => {
    const b = new ConsoleBuffer();
    b.append('com1', 'old');
    const { cursor } = b.read(null);
    b.clear();
    b.append('com1', 'new');
    const r = b.read(cursor);
    expect(r.restart).toBe(true);
    expect(r.chunks).toEqual([{ port: 'com1', data: 'new' }]);
    expect(b.size).toBe(3);
  });

  it('drops the oldest chunks past its limit and restarts readers that fell behind', () => {
    const b = new ConsoleBuffer(10);
    const behind = b.read(null).cursor;
    b.append('com1', 'aaaa');
    const current = b.read(behind).cursor;
    b.append('com1', 'bbbb');
    b.append('com1', 'cccc');
    expect(b.size).toBe(8);
    expect(b.text()).toBe('bbbbcccc');
    const late = b.read(behind);
    expect(late.restart).toBe(true);
    expect(late.chunks.map((c) => c.data)).toEqual(['bbbb', 'cccc']);
    const onTime = b.read(current);
    expect(onTime.restart).toBe(false);
    expect(onTime.chunks.map((c) => c.data)).toEqual(['bbbb', 'cccc']);
  });
});
