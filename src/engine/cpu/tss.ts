// The task-state segment as the CPU reads it without task switches: ring stacks and the I/O permission bitmap (Intel SDM vol. 3A, 7.2 and vol. 1, 19.5).

import { UnimplementedError } from '../bus/errors';
import type { Cpu } from './cpu';
import { CpuFault, Vector } from './faults';
import { VM } from './flags';

/** True when TR holds a 32-bit TSS (type 9 or 11), false for a 16-bit one. */
export function tss32(cpu: Cpu): boolean {
  return (cpu.s.trAttr & 0x8) !== 0;
}

/** SS and ESP read by the last tssStack call (module scratch, so no allocation). */
export const tssOut = { ss: 0, esp: 0 };

/**
 * Reads the stack for privilege level `cpl` from the current TSS into tssOut: SSn:ESPn of a
 * 32-bit TSS (offset 4 + 8n) or SSn:SPn of a 16-bit one (offset 2 + 4n). A TSS too short
 * for it raises #TS(TR selector).
 */
export function tssStack(cpu: Cpu, cpl: number, ext: number): void {
  const s = cpu.s;
  if (tss32(cpu)) {
    const off = 4 + cpl * 8;
    if (off + 5 > s.trLimit) throw new CpuFault(Vector.TS, (s.tr & 0xfffc) | ext);
    tssOut.esp = cpu.readLinear32((s.trBase + off) >>> 0, 0);
    tssOut.ss = cpu.readLinear16((s.trBase + off + 4) >>> 0, 0);
  } else {
    const off = 2 + cpl * 4;
    if (off + 3 > s.trLimit) throw new CpuFault(Vector.TS, (s.tr & 0xfffc) | ext);
    tssOut.esp = cpu.readLinear16((s.trBase + off) >>> 0, 0);
    tssOut.ss = cpu.readLinear16((s.trBase + off + 2) >>> 0, 0);
  }
}

/**
 * Checks that `bytes` ports from `port` may be accessed: always in real mode and at
 * CPL <= IOPL; otherwise every bit for those ports in the 32-bit TSS's I/O permission bitmap
 * (base at offset 66h) must be clear and inside the TSS limit, or #GP(0).
 */
export function checkIoPermission(cpu: Cpu, port: number, bytes: number): void {
  const s = cpu.s;
  if ((s.cr0 & 1) === 0) return;
  if ((s.eflags & VM) !== 0) {
    throw new UnimplementedError(
      'unimplemented-instruction',
      'virtual-8086 mode is not implemented',
    );
  }
  if (s.cpl <= ((s.eflags >>> 12) & 3)) return;
  if (!tss32(cpu) || s.trLimit < 0x67) throw new CpuFault(Vector.GP, 0);
  const mapBase = cpu.readLinear16((s.trBase + 0x66) >>> 0, 0);
  const byteOffset = mapBase + (port >>> 3);
  if (byteOffset + 1 > s.trLimit) throw new CpuFault(Vector.GP, 0);
  const bits = cpu.readLinear16((s.trBase + byteOffset) >>> 0, 0);
  if ((bits & (((1 << bytes) - 1) << (port & 7))) !== 0) throw new CpuFault(Vector.GP, 0);
}
