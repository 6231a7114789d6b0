// A stack being built or read before it is committed to SS:ESP: far calls, returns and interrupt delivery (Intel SDM vol. 3A, 5.8.5 and 6.12.1).

import type { Cpu } from './cpu';
import type { Descriptor } from './descriptors';
import { CpuFault, Vector } from './faults';
import { ESP, SS } from './state';

/**
 * A cursor over a stack segment that is not (yet) SS: pushes and pops check the segment's
 * limit (#SS with `faultCode`) and go through paging with the target privilege, but change
 * no register, so an instruction that faults halfway leaves the CPU untouched. Instances are
 * module-level scratch objects, reused without allocation.
 */
export class StackCursor {
  base = 0;
  limit = 0;
  attr = 0;
  sp = 0;
  /** Paging access bits: ACCESS_USER for a CPL 3 stack, else 0. */
  access = 0;
  /** Error code of a #SS raised by this cursor. */
  faultCode = 0;

  /** Opens the current stack (SS:ESP) at the current privilege. */
  openCurrent(cpu: Cpu): this {
    const s = cpu.s;
    this.base = s.segBase[SS]!;
    this.limit = s.segLimit[SS]!;
    this.attr = s.segAttr[SS]!;
    this.sp = this.wide ? s.regs[ESP]! : s.regs[ESP]! & 0xffff;
    this.access = cpu.userAccess;
    this.faultCode = 0;
    return this;
  }

  /** Opens the stack described by `d` at `sp`, for privilege level `cpl`. */
  openDescriptor(d: Descriptor, sp: number, cpl: number, faultCode: number): this {
    this.base = d.base;
    this.limit = d.limit;
    this.attr = d.attr;
    this.sp = this.wide ? sp >>> 0 : sp & 0xffff;
    this.access = cpl === 3 ? 4 : 0;
    this.faultCode = faultCode;
    return this;
  }

  /** True when the stack segment is 32-bit (B bit): ESP rather than SP moves. */
  get wide(): boolean {
    return (this.attr & 0x4000) !== 0;
  }

  private check(offset: number, bytes: number): number {
    const expandDown = (this.attr & 0x1c) === 0x14;
    const bad = expandDown
      ? offset <= this.limit || offset + bytes - 1 > (this.wide ? 0xffffffff : 0xffff)
      : offset + bytes - 1 > this.limit;
    if (bad) throw new CpuFault(Vector.SS, this.faultCode);
    return (this.base + offset) >>> 0;
  }

  /** Pushes the low `size` bits of `value`. */
  push(cpu: Cpu, size: number, value: number): void {
    const bytes = size >> 3;
    const sp = this.wide ? (this.sp - bytes) >>> 0 : (this.sp - bytes) & 0xffff;
    const lin = this.check(sp, bytes);
    if (size === 32) cpu.writeLinear32(lin, value, this.access);
    else cpu.writeLinear16(lin, value, this.access);
    this.sp = sp;
  }

  /** Pops `size` bits. */
  pop(cpu: Cpu, size: number): number {
    const bytes = size >> 3;
    const lin = this.check(this.sp, bytes);
    const v = size === 32 ? cpu.readLinear32(lin, this.access) : cpu.readLinear16(lin, this.access);
    this.skip(bytes);
    return v;
  }

  /** Reads `size` bits `depth` bytes above the cursor without moving it. */
  peek(cpu: Cpu, size: number, depth: number): number {
    const bytes = size >> 3;
    const at = this.wide ? (this.sp + depth) >>> 0 : (this.sp + depth) & 0xffff;
    const lin = this.check(at, bytes);
    return size === 32 ? cpu.readLinear32(lin, this.access) : cpu.readLinear16(lin, this.access);
  }

  /** Moves the cursor up by `bytes` (pops without reading). */
  skip(bytes: number): void {
    this.sp = this.wide ? (this.sp + bytes) >>> 0 : (this.sp + bytes) & 0xffff;
  }

  /** Writes the cursor back to ESP (only SP on a 16-bit stack). */
  commitEsp(cpu: Cpu): void {
    const r = cpu.s.regs;
    r[ESP] = this.wide ? this.sp : (r[ESP]! & 0xffff0000) | this.sp;
  }
}
