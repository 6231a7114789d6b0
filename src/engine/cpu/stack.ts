// Stack pushes and pops through SS:SP or SS:ESP (Intel SDM vol. 1, 6.2 "Stacks").

import type { Cpu } from './cpu';
import { ESP, SS } from './state';

/** True when the stack segment is 32-bit (SS.B), so ESP rather than SP is the pointer. */
function stack32(cpu: Cpu): boolean {
  return (cpu.s.segAttr[SS]! & 0x4000) !== 0;
}

/** Pushes the low `size` bits of `value`; SP changes only once the write has succeeded. */
export function push(cpu: Cpu, size: number, value: number): void {
  const s = cpu.s;
  const bytes = size >> 3;
  if (stack32(cpu)) {
    const sp = (s.regs[ESP]! - bytes) >>> 0;
    cpu.writeMem(SS, sp, size, value);
    s.regs[ESP] = sp;
  } else {
    const sp = (s.regs[ESP]! - bytes) & 0xffff;
    cpu.writeMem(SS, sp, size, value);
    s.regs[ESP] = (s.regs[ESP]! & 0xffff0000) | sp;
  }
}

/** Reads `size` bits at the top of the stack without popping. */
export function peek(cpu: Cpu, size: number, depthBytes = 0): number {
  const s = cpu.s;
  const mask = stack32(cpu) ? 0xffffffff : 0xffff;
  return cpu.readMem(SS, ((s.regs[ESP]! + depthBytes) & mask) >>> 0, size);
}

/** Pops `size` bits. */
export function pop(cpu: Cpu, size: number): number {
  const value = peek(cpu, size);
  adjustSp(cpu, size >> 3);
  return value;
}

/** Adds `bytes` to SP (or ESP on a 32-bit stack). */
export function adjustSp(cpu: Cpu, bytes: number): void {
  const s = cpu.s;
  if (stack32(cpu)) s.regs[ESP] = (s.regs[ESP]! + bytes) >>> 0;
  else s.regs[ESP] = (s.regs[ESP]! & 0xffff0000) | ((s.regs[ESP]! + bytes) & 0xffff);
}
