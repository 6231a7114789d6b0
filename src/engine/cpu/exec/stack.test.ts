import { describe, expect, it } from 'vitest';
import { bareCpu } from '../../machine/guest-runner';
import { DS, EAX, EBX, ECX, ES, ESP, getReg } from '../state';
import { STACK, TestCpu } from './testing';

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

describe('faults and slot widths of stack instructions', () => {
  const t = new TestCpu();

  it('a 32-bit PUSH of a segment register writes only the low word of its slot', () => {
    t.reset();
    t.mem.write32(STACK - 4, 0x11223344);
    t.s.seg[ES] = 0x1234;
    expect(t.run('66 06')).toBe(-1);
    expect(t.mem.read32(STACK - 4)).toBe(0x11221234);
    expect(t.reg(ESP)).toBe(STACK - 4);
  });

  it('POP to memory that faults leaves SP where it was', () => {
    t.reset();
    t.mem.write16(STACK, 0xbeef);
    // pop word [0xFFFF]: the word crosses the segment limit, #GP before SP moves.
    expect(t.run('8f 06 ff ff')).toBe(13);
    expect(t.reg(ESP)).toBe(STACK - 6); // only the exception's FLAGS, CS, IP
  });
});
