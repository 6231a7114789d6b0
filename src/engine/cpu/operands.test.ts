import { describe, expect, it } from 'vitest';
import { bareCpu } from '../machine/guest-runner';
import { CpuFault } from './faults';
import { step } from './interpreter';
import { CS, DS, EAX, EBP, EBX, EDI, ES, ESI, FS, GS, getReg, SS } from './state';

const BASE: Record<number, number> = {
  [ES]: 0x30000,
  [CS]: 0,
  [SS]: 0x20000,
  [DS]: 0x10000,
  [FS]: 0x40000,
  [GS]: 0x50000,
};
const pattern = (linear: number) => (linear * 7 + (linear >> 8) * 13 + (linear >> 16) * 101) & 0xff;

/** Runs one `mov al, <mem>` with known registers and segments; returns AL and the expected byte. */
function load(operand: string) {
  const b = bareCpu(`mov al, ${operand}\nhlt`);
  const s = b.cpu.s;
  for (let a = 0x10000; a < 0x60000; a++) b.mem.write8(a, pattern(a));
  for (const seg of [ES, SS, DS, FS, GS]) {
    s.seg[seg] = BASE[seg]! >> 4;
    s.segBase[seg] = BASE[seg]!;
  }
  s.regs[EBX] = 0x1100;
  s.regs[ESI] = 0x0230;
  s.regs[EDI] = 0x0340;
  s.regs[EBP] = 0x4450;
  b.runToHalt();
  return getReg(s, 8, EAX);
}

const bx = 0x1100;
const si = 0x0230;
const di = 0x0340;
const bp = 0x4450;

describe('16-bit effective addresses (SDM 2A table 2-1)', () => {
  it.each([
    ['[bx+si]', DS, bx + si],
    ['[bx+di]', DS, bx + di],
    ['[bp+si]', SS, bp + si],
    ['[bp+di]', SS, bp + di],
    ['[si]', DS, si],
    ['[di]', DS, di],
    ['[0x1234]', DS, 0x1234],
    ['[bx]', DS, bx],
    ['[bx+si+0x12]', DS, bx + si + 0x12],
    ['[bx+di-0x12]', DS, bx + di - 0x12],
    ['[bp+si+0x7F]', SS, bp + si + 0x7f],
    ['[bp+di-0x80]', SS, bp + di - 0x80],
    ['[si+5]', DS, si + 5],
    ['[di-1]', DS, di - 1],
    ['[bp+0]', SS, bp],
    ['[bp-2]', SS, bp - 2],
    ['[bx+3]', DS, bx + 3],
    ['[bx+si+0x1234]', DS, bx + si + 0x1234],
    ['[bx+di+0x8000]', DS, (bx + di + 0x8000) & 0xffff],
    ['[bp+si+0x2000]', SS, bp + si + 0x2000],
    ['[bp+di+0x2000]', SS, bp + di + 0x2000],
    ['[si+0x4000]', DS, si + 0x4000],
    ['[di+0x4000]', DS, di + 0x4000],
    ['[bp+0x4000]', SS, bp + 0x4000],
    ['[bx+0x4000]', DS, bx + 0x4000],
    ['[bx-0x1200]', DS, (bx - 0x1200) & 0xffff],
  ])('%s reads %i:%i', (operand, seg, ea) => {
    expect(load(operand)).toBe(pattern(BASE[seg]! + ea));
  });

  it.each([
    ['[es:bx]', ES, bx],
    ['[cs:bx+si]', CS, bx + si],
    ['[ss:bx]', SS, bx],
    ['[ds:bp+2]', DS, bp + 2],
    ['[fs:di]', FS, di],
    ['[gs:0x1234]', GS, 0x1234],
    ['[es:bp]', ES, bp],
  ])('segment override %s uses segment %i', (operand, seg, ea) => {
    const linear = BASE[seg]! + ea;
    const expected = seg === CS ? 0 : pattern(linear);
    expect(load(operand)).toBe(expected);
  });

  it('wraps offsets at 64 KiB and faults on a word access at offset FFFFh', () => {
    const b = bareCpu('mov ax, [bx+si]\nhlt');
    b.cpu.s.regs[EBX] = 0xfff0;
    b.cpu.s.regs[ESI] = 0x0010;
    b.mem.write16(0, 0xbeef);
    b.runToHalt();
    expect(getReg(b.cpu.s, 16, EAX)).toBe(0xbeef);
    const c = bareCpu('mov ax, [bx]\nhlt');
    c.cpu.s.regs[EBX] = 0xffff;
    // With no IVT handler installed the CPU vectors to 0000:0000; check the fault itself.
    const limit = c.cpu.linear.bind(c.cpu);
    expect(() => limit(DS, 0xffff, 2)).toThrow(CpuFault);
    step(c.cpu);
    expect(c.cpu.s.eip).toBe(0); // #GP delivered through IVT entry 13 (zero here)
  });
});
