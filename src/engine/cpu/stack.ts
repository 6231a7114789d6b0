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

/** push(cpu, 32, value), written out for the lean path and translated blocks. */
export function push32(cpu: Cpu, value: number): void {
  const s = cpu.s;
  if ((s.segAttr[SS]! & 0x4000) === 0) {
    push(cpu, 32, value);
    return;
  }
  const sp = (s.regs[ESP]! - 4) >>> 0;
  cpu.write32(SS, sp, value);
  s.regs[ESP] = sp;
}

/** push(cpu, 16, value), for translated blocks. */
export function push16(cpu: Cpu, value: number): void {
  push(cpu, 16, value);
}

/** pop(cpu, 32), written out for the lean path and translated blocks. */
export function pop32(cpu: Cpu): number {
  const s = cpu.s;
  if ((s.segAttr[SS]! & 0x4000) === 0) return pop(cpu, 32);
  const sp = s.regs[ESP]!;
  const value = cpu.read32(SS, sp);
  s.regs[ESP] = (sp + 4) >>> 0;
  return value;
}

/** pop(cpu, 16), for translated blocks. */
export function pop16(cpu: Cpu): number {
  return pop(cpu, 16);
}
