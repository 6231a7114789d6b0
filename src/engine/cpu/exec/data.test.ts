import { describe, expect, it } from 'vitest';
import { bareCpu } from '../../machine/guest-runner';
import { step } from '../interpreter';
import { DS, EAX, EBX, ECX, EDX, ES, ESI, getReg, SS } from '../state';

function run(code: string) {
  const b = bareCpu(`${code}\nhlt`);
  b.runToHalt();
  return { s: b.cpu.s, mem: b.mem, r16: (r: number) => getReg(b.cpu.s, 16, r) };
}

describe('MOV, XCHG, LEA', () => {
  it('moves between registers, immediates and memory, byte halves included', () => {
    const r = run(
      'mov ax, 0x1234\nmov bl, ah\nmov bh, al\nmov cx, bx\nmov [0x800], cx\nmov dx, [0x800]',
    );
    expect([r.r16(EAX), r.r16(EBX), r.r16(ECX), r.r16(EDX)]).toEqual([
      0x1234, 0x3412, 0x3412, 0x3412,
    ]);
    expect(r.mem.read16(0x800)).toBe(0x3412);
  });

  it('uses moffs forms for AL/AX with a direct address', () => {
    const r = run(
      'mov al, 0x5A\nmov [0x900], al\nmov ax, 0xBEEF\nmov [0x902], ax\nmov ax, 0\nmov ax, [0x902]',
    );
    expect(r.mem.read8(0x900)).toBe(0x5a);
    expect(r.r16(EAX)).toBe(0xbeef);
  });

  it('loads segment registers with base = selector * 16 and stores selectors', () => {
    const r = run(
      'mov ax, 0x1234\nmov es, ax\nmov ds, ax\nmov bx, es\nmov ax, 0\nmov ds, ax\nmov [0x10], es',
    );
    expect(r.s.seg[ES]).toBe(0x1234);
    expect(r.s.segBase[ES]).toBe(0x12340);
    expect(r.s.seg[DS]).toBe(0);
    expect(r.r16(EBX)).toBe(0x1234);
    expect(r.mem.read16(0x10)).toBe(0x1234);
  });

  it('MOV SS inhibits interrupts for one instruction', () => {
    const b = bareCpu('mov ax, 0\nmov ss, ax\nnop\nhlt');
    step(b.cpu);
    step(b.cpu);
    expect(b.cpu.s.interruptShadow).toBe(true);
    step(b.cpu);
    expect(b.cpu.s.interruptShadow).toBe(false);
    expect(b.cpu.s.seg[SS]).toBe(0);
  });

  it('raises #UD for MOV CS (vector 6 through the IVT, here 0000:0000)', () => {
    const b = bareCpu('mov cs, ax');
    expect(step(b.cpu)).toBe(false);
    expect(b.cpu.s.eip).toBe(0);
    expect(b.mem.read16(0x7bfa)).toBe(0x7c00);
  });

  it('XCHG swaps registers and memory; LEA computes the offset only', () => {
    const r = run(
      'mov ax, 1\nmov bx, 2\nxchg ax, bx\nmov word [0xA00], 7\nxchg cx, [0xA00]\nmov si, 0x10\nlea dx, [bx+si+0xFFF0]',
    );
    expect([r.r16(EAX), r.r16(EBX), r.r16(ECX)]).toEqual([2, 1, 7]);
    expect(r.mem.read16(0xa00)).toBe(0);
    expect(r.r16(EDX)).toBe(0x0001);
    expect(r.r16(ESI)).toBe(0x10);
  });
});
