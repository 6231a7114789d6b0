// A BIOS service call in progress: the caller's registers and the FLAGS image its IRET restores (Ralf Brown's Interrupt List conventions).

import type { PhysicalMemory } from '../bus/physical-memory';
import { type CpuState, EAX, EBX, ECX, EDX, SS } from '../cpu/state';

const CF = 0x0001;
const ZF = 0x0040;
const IF = 0x0200;

/**
 * Register access for service routines. Results that BIOSes return in flags (CF for errors,
 * ZF for "no key") go into the FLAGS word of the interrupt frame, since the stub's IRET
 * reloads FLAGS from there.
 */
export class BiosCall {
  constructor(
    readonly s: CpuState,
    readonly mem: PhysicalMemory,
  ) {}

  get ah(): number {
    return (this.s.regs[EAX]! >>> 8) & 0xff;
  }
  get al(): number {
    return this.s.regs[EAX]! & 0xff;
  }
  get ax(): number {
    return this.s.regs[EAX]! & 0xffff;
  }
  get bx(): number {
    return this.s.regs[EBX]! & 0xffff;
  }
  get bh(): number {
    return (this.s.regs[EBX]! >>> 8) & 0xff;
  }
  get bl(): number {
    return this.s.regs[EBX]! & 0xff;
  }
  get cx(): number {
    return this.s.regs[ECX]! & 0xffff;
  }
  get ch(): number {
    return (this.s.regs[ECX]! >>> 8) & 0xff;
  }
  get cl(): number {
    return this.s.regs[ECX]! & 0xff;
  }
  get dx(): number {
    return this.s.regs[EDX]! & 0xffff;
  }
  get dh(): number {
    return (this.s.regs[EDX]! >>> 8) & 0xff;
  }
  get dl(): number {
    return this.s.regs[EDX]! & 0xff;
  }

  /** Sets the low 16 bits of register `r` (cpu/state register numbers). */
  set16(r: number, v: number): void {
    this.s.regs[r] = (this.s.regs[r]! & 0xffff0000) | (v & 0xffff);
  }

  /** Sets the low byte (high = false) or high byte of register `r` (EAX..EBX). */
  set8(r: number, high: boolean, v: number): void {
    const old = this.s.regs[r]!;
    this.s.regs[r] = high
      ? (old & 0xffff00ff) | ((v & 0xff) << 8)
      : (old & 0xffffff00) | (v & 0xff);
  }

  setAh(v: number): void {
    this.set8(EAX, true, v);
  }

  setAl(v: number): void {
    this.set8(EAX, false, v);
  }

  /** Physical address of the FLAGS word in the interrupt frame at SS:SP. */
  private flagsAddr(): number {
    return (this.s.segBase[SS]! + ((this.s.regs[4]! + 4) & 0xffff)) >>> 0;
  }

  private setFrameFlag(bit: number, on: boolean): void {
    const a = this.flagsAddr();
    const f = this.mem.read16(a);
    this.mem.write16(a, on ? f | bit : f & ~bit);
  }

  /** Sets or clears the caller's carry flag (the error indication of most services). */
  setCarry(on: boolean): void {
    this.setFrameFlag(CF, on);
  }

  /** Sets or clears the caller's zero flag. */
  setZero(on: boolean): void {
    this.setFrameFlag(ZF, on);
  }

  /** True when the caller ran with interrupts enabled. */
  callerInterruptsEnabled(): boolean {
    return (this.mem.read16(this.flagsAddr()) & IF) !== 0;
  }

  /** Real-mode physical address of seg:off. */
  static linear(seg: number, off: number): number {
    return ((seg << 4) + (off & 0xffff)) >>> 0;
  }
}
