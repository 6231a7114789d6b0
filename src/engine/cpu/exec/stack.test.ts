import { describe, expect, it } from 'vitest';
import { bareCpu } from '../../machine/guest-runner';
import { DS, EAX, EBX, ECX, ES, ESP, getReg } from '../state';

function run(code: string) {
  const b = bareCpu(`${code}\nhlt`);
  b.runToHalt();
  return { s: b.cpu.s, mem: b.mem, r: (n: number) => getReg(b.cpu.s, 16, n) };
}

describe('PUSH and POP', () => {
  it('pushes registers, immediates and memory; pops to registers and memory', () => {
    const r = run(
      'push 0x1234\npush -2\nmov word [0x500], 0xBEEF\npush word [0x500]\npop word [0x502]\npop ax\npop bx',
    );
    expect(r.r(EAX)).toBe(0xfffe);
    expect(r.r(EBX)).toBe(0x1234);
    expect(r.mem.read16(0x502)).toBe(0xbeef);
    expect(r.r(ESP)).toBe(0x7c00);
    expect(r.mem.read16(0x7bfe)).toBe(0x1234);
  });

  it('PUSH SP pushes the value before the push', () => {
    const r = run('push sp\npop ax');
    expect(r.r(EAX)).toBe(0x7c00);
  });

  it('pushes and pops segment registers', () => {
    const r = run('mov ax, 0x2000\nmov es, ax\npush es\npop ds\npush cs\npop cx');
    expect(r.s.seg[DS]).toBe(0x2000);
    expect(r.s.segBase[DS]).toBe(0x20000);
    expect(r.s.seg[ES]).toBe(0x2000);
    expect(r.r(ECX)).toBe(0);
  });

  it('wraps SP at 64 KiB in real mode', () => {
    const r = run('mov sp, 0\npush 0x55AA');
    expect(r.r(ESP)).toBe(0xfffe);
    expect(r.mem.read16(0xfffe)).toBe(0x55aa);
  });
});
