import { describe, expect, it } from 'vitest';
import { LineEndingConverter } from './line-endings';

describe('LineEndingConverter', () => {
  it('turns lone LF into CR LF and leaves CR LF alone', () => {
    const c = new LineEndingConverter();
    expect(c.convert('a\nb\r\nc\n\n')).toBe('a\r\nb\r\nc\r\n\r\n');
    expect(c.convert('no newline')).toBe('no newline');
    expect(c.convert('\rprogress')).toBe('\rprogress');
  });

  it('remembers a CR at the end of the previous chunk', () => {
    const c = new LineEndingConverter();
    expect(c.convert('line\r')).toBe('line\r');
    expect(c.convert('\nnext\n')).toBe('\nnext\r\n');
    expect(c.convert('\n')).toBe('\r\n');
    c.convert('x\r');
    c.reset();
    expect(c.convert('\n')).toBe('\r\n');
  });
});
