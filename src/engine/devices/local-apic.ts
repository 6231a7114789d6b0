// Local APIC of one CPU as an MMIO device at FEE00000h (Intel SDM vol. 3A, chapter 11 "Advanced Programmable Interrupt Controller").

import type { AccessSize, Clock, Device, MmioRange, PortRange, TimerDevice } from '../bus/device';

/** Default physical base of the local APIC page. */
export const LAPIC_BASE = 0xfee00000;

/** Saved state of a local APIC. */
export interface LocalApicState {
  id: number;
  tpr: number;
  ldr: number;
  dfr: number;
  svr: number;
  /** 256-bit in-service, request and trigger-mode registers as eight dwords each. */
  isr: number[];
  irr: number[];
  tmr: number[];
  /** Error status as the guest reads it, and errors collected since the last ESR write. */
  esr: number;
  esrPending: number;
  icrLow: number;
  icrHigh: number;
  /** LVT entries: timer, thermal, performance counter, LINT0, LINT1, error. */
  lvt: number[];
  initialCount: number;
  divideConfig: number;
  /** Virtual time (ns) the current count started from the initial count. */
  timerStart: number;
  /** Virtual time (ns) of the next timer interrupt, -1 when stopped. */
  timerDeadline: number;
}

/** Nominal APIC timer input clock: 100 MHz bus, 10 ns a tick. */
export const APIC_TICK_NS = 10;

const LVT_TIMER = 0;
const LVT_LINT0 = 3;
const LVT_LINT1 = 4;
const LVT_ERROR = 5;
const LVT_MASKED = 0x10000;
const SVR_ENABLED = 0x100;
const VERSION = 0x00050014; // integrated APIC version 14h, 6 LVT entries
const ESR_SEND_ILLEGAL_VECTOR = 0x20;
const ESR_RECEIVE_ILLEGAL_VECTOR = 0x40;
const ESR_ILLEGAL_REGISTER = 0x80;

/** How a delivered interrupt leaves the APIC besides its IRR. */
export interface LocalApicSinks {
  /** An EOI for a level-triggered vector (the I/O APIC clears Remote IRR). */
  eoi(vector: number): void;
  /** An NMI delivered through LINT1 or an IPI. */
  nmi(): void;
  /** An INIT or STARTUP IPI for another CPU; vmlab has one, so they are only counted. */
  ipi(kind: 'init' | 'startup' | 'fixed', destination: number, vector: number): void;
  /** IRR, ISR, TPR or the enable bit changed: the CPU should look at the INTR line again. */
  changed(): void;
}

const bit = (regs: number[], v: number) => (regs[v >> 5]! >>> (v & 31)) & 1;
const setBit = (regs: number[], v: number) =>
  (regs[v >> 5] = (regs[v >> 5]! | (1 << (v & 31))) >>> 0);
const clearBit = (regs: number[], v: number) =>
  (regs[v >> 5] = (regs[v >> 5]! & ~(1 << (v & 31))) >>> 0);

/** The highest set vector in a 256-bit register, -1 if none. */
function highest(regs: number[]): number {
  for (let i = 7; i >= 0; i--) {
    const r = regs[i]!;
    if (r !== 0) return i * 32 + 31 - Math.clz32(r);
  }
  return -1;
}

/**
 * The local APIC: it accepts interrupts from the I/O APIC, its LVT timer and IPIs into IRR,
 * and hands the CPU the highest one above the processor priority. While software-disabled
 * (SVR bit 8 clear) it delivers nothing and LINT0 passes the 8259's INTR straight through.
 */
export class LocalApic implements Device<LocalApicState>, TimerDevice {
  readonly name = 'local-apic';
  readonly portRanges: readonly PortRange[] = [];
  readonly mmioRanges: readonly MmioRange[];
  private st: LocalApicState;
  /** Timer interrupts raised, for --stats. */
  timerInterrupts = 0;

  constructor(
    private readonly clock: Clock,
    private readonly sinks: LocalApicSinks,
    private readonly apicId = 0,
    base = LAPIC_BASE,
  ) {
    this.st = this.powerOn();
    this.mmioRanges = [
      {
        base,
        length: 0x1000,
        read: (offset: number, size: AccessSize) => {
          const v = this.readRegister(offset & 0xff0);
          return size === 4 ? v : (v >>> ((offset & 3) * 8)) & (size === 1 ? 0xff : 0xffff);
        },
        write: (offset: number, size: AccessSize, value: number) => {
          if (size === 4 && (offset & 0xf) === 0) this.writeRegister(offset, value >>> 0);
        },
      },
    ];
  }

  private powerOn(): LocalApicState {
    return {
      id: this.apicId,
      tpr: 0,
      ldr: 0,
      dfr: 0xffffffff,
      svr: 0xff,
      isr: new Array<number>(8).fill(0),
      irr: new Array<number>(8).fill(0),
      tmr: new Array<number>(8).fill(0),
      esr: 0,
      esrPending: 0,
      icrLow: 0,
      icrHigh: 0,
      lvt: new Array<number>(6).fill(LVT_MASKED),
      initialCount: 0,
      divideConfig: 0,
      timerStart: 0,
      timerDeadline: -1,
    };
  }

  /** True when software-enabled through SVR bit 8. */
  get enabled(): boolean {
    return (this.st.svr & SVR_ENABLED) !== 0;
  }

  /** True when the 8259's INTR reaches the CPU: APIC disabled, or LINT0 unmasked in ExtINT mode. */
  passesExtInt(): boolean {
    if (!this.enabled) return true;
    const lint0 = this.st.lvt[LVT_LINT0]!;
    return (lint0 & LVT_MASKED) === 0 && (lint0 & 0x700) === 0x700;
  }

  /** Sets LINT0/LINT1 as the firmware does for virtual-wire mode (ExtINT and NMI). */
  setVirtualWire(): void {
    this.st.lvt[LVT_LINT0] = 0x700;
    this.st.lvt[LVT_LINT1] = 0x400;
  }

  /** Accepts a fixed interrupt for `vector` (from the I/O APIC or an IPI). */
  accept(vector: number, level: boolean): void {
    const st = this.st;
    if (vector < 16) {
      this.error(ESR_RECEIVE_ILLEGAL_VECTOR);
      return;
    }
    setBit(st.irr, vector);
    if (level) setBit(st.tmr, vector);
    else clearBit(st.tmr, vector);
    this.sinks.changed();
  }

  /** Processor priority: the higher of TPR and the class of the highest in-service vector. */
  private ppr(): number {
    const isrv = highest(this.st.isr);
    const tpr = this.st.tpr;
    const isrClass = isrv < 0 ? 0 : isrv & 0xf0;
    return (tpr & 0xf0) >= isrClass ? tpr : isrClass;
  }

  /** True when an IRR vector outranks the processor priority. */
  hasInterrupt(): boolean {
    if (!this.enabled) return false;
    const v = highest(this.st.irr);
    return v >= 0 && (v & 0xf0) > (this.ppr() & 0xf0);
  }

  /** INTA: moves the highest deliverable vector to ISR and returns it (SVR's spurious vector if none). */
  acknowledge(): number {
    const st = this.st;
    const v = highest(st.irr);
    if (v < 0 || (v & 0xf0) <= (this.ppr() & 0xf0)) return st.svr & 0xff;
    clearBit(st.irr, v);
    setBit(st.isr, v);
    return v;
  }

  reset(): void {
    this.st = this.powerOn();
    this.timerInterrupts = 0;
    this.clock.reschedule();
  }

  saveState(): LocalApicState {
    const s = this.st;
    return { ...s, isr: [...s.isr], irr: [...s.irr], tmr: [...s.tmr], lvt: [...s.lvt] };
  }

  loadState(state: LocalApicState): void {
    const s = state;
    this.st = { ...s, isr: [...s.isr], irr: [...s.irr], tmr: [...s.tmr], lvt: [...s.lvt] };
    this.clock.reschedule();
  }

  nextDeadline(): number {
    const d = this.st.timerDeadline;
    return d < 0 ? Number.POSITIVE_INFINITY : d;
  }

  advance(now: number): void {
    const st = this.st;
    if (st.timerDeadline < 0 || now < st.timerDeadline) return;
    const lvt = st.lvt[LVT_TIMER]!;
    if ((lvt & LVT_MASKED) === 0) {
      this.accept(lvt & 0xff, false);
      this.timerInterrupts++;
    }
    const period = this.periodNs();
    if ((lvt & 0x20000) !== 0 && period > 0) {
      // Periodic: the next deadline is the first period boundary after now.
      const n = Math.floor((now - st.timerStart) / period) + 1;
      st.timerDeadline = st.timerStart + n * period;
    } else {
      st.timerDeadline = -1;
    }
  }

  private divisor(): number {
    const d = this.st.divideConfig;
    const v = (d & 3) | ((d & 8) >> 1);
    return v === 7 ? 1 : 2 << v;
  }

  private periodNs(): number {
    return this.st.initialCount * this.divisor() * APIC_TICK_NS;
  }

  private currentCount(): number {
    const st = this.st;
    if (st.initialCount === 0) return 0;
    const ticks = Math.floor((this.clock.now() - st.timerStart) / (this.divisor() * APIC_TICK_NS));
    if ((st.lvt[LVT_TIMER]! & 0x20000) !== 0) return st.initialCount - (ticks % st.initialCount);
    return ticks >= st.initialCount ? 0 : st.initialCount - ticks;
  }

  private startTimer(): void {
    const st = this.st;
    const now = this.clock.now();
    st.timerStart = now;
    st.timerDeadline = st.initialCount === 0 ? -1 : now + this.periodNs();
    this.clock.reschedule();
  }

  private error(bits: number): void {
    const st = this.st;
    st.esrPending |= bits;
    const lvt = st.lvt[LVT_ERROR]!;
    if ((lvt & LVT_MASKED) === 0 && this.enabled) this.accept(lvt & 0xff, false);
  }

  private readRegister(offset: number): number {
    const st = this.st;
    if (offset >= 0x100 && offset < 0x280) {
      const i = (offset >> 4) & 7;
      return (offset < 0x180 ? st.isr : offset < 0x200 ? st.tmr : st.irr)[i]!;
    }
    if (offset >= 0x320 && offset <= 0x370) return st.lvt[(offset - 0x320) >> 4]!;
    switch (offset) {
      case 0x20:
        return (st.id << 24) >>> 0;
      case 0x30:
        return VERSION;
      case 0x80:
        return st.tpr;
      case 0x90:
        return 0;
      case 0xa0:
        return this.ppr();
      case 0xd0:
        return st.ldr;
      case 0xe0:
        return st.dfr;
      case 0xf0:
        return st.svr;
      case 0x280:
        return st.esr;
      case 0x300:
        return st.icrLow & ~0x1000; // delivery status: always idle
      case 0x310:
        return st.icrHigh;
      case 0x380:
        return st.initialCount;
      case 0x390:
        return this.currentCount();
      case 0x3e0:
        return st.divideConfig;
      default:
        return 0;
    }
  }

  private writeRegister(offset: number, value: number): void {
    const st = this.st;
    if (offset >= 0x320 && offset <= 0x370) {
      let v =
        value &
        (offset === 0x320 ? 0x300ff : offset === 0x350 || offset === 0x360 ? 0x1a7ff : 0x107ff);
      if (!this.enabled) v |= LVT_MASKED; // LVTs stay masked while software-disabled
      st.lvt[(offset - 0x320) >> 4] = v;
      if (offset === 0x320) this.clock.reschedule();
      return;
    }
    switch (offset) {
      case 0x20:
        st.id = value >>> 24;
        return;
      case 0x80:
        st.tpr = value & 0xff;
        this.sinks.changed();
        return;
      case 0xb0: {
        const v = highest(st.isr);
        if (v < 0) return;
        clearBit(st.isr, v);
        if (bit(st.tmr, v)) this.sinks.eoi(v);
        this.sinks.changed();
        return;
      }
      case 0xd0:
        st.ldr = value & 0xff000000;
        return;
      case 0xe0:
        st.dfr = (value | 0x0fffffff) >>> 0;
        return;
      case 0xf0:
        st.svr = value & 0x3ff;
        if (!this.enabled) for (let i = 0; i < 6; i++) st.lvt[i] = st.lvt[i]! | LVT_MASKED;
        this.sinks.changed();
        return;
      case 0x280:
        st.esr = st.esrPending;
        st.esrPending = 0;
        return;
      case 0x300:
        st.icrLow = value & 0xfffcefff;
        this.sendIpi();
        return;
      case 0x310:
        st.icrHigh = value & 0xff000000;
        return;
      case 0x380:
        st.initialCount = value >>> 0;
        this.startTimer();
        return;
      case 0x3e0:
        st.divideConfig = value & 0xb;
        return;
      default:
        if (offset !== 0x390 && offset !== 0x30 && offset !== 0xa0 && offset >= 0x400) {
          this.error(ESR_ILLEGAL_REGISTER);
        }
    }
  }

  /** Sends the IPI written to ICR low: fixed to self is delivered, the rest reported. */
  private sendIpi(): void {
    const st = this.st;
    const vector = st.icrLow & 0xff;
    const mode = (st.icrLow >> 8) & 7;
    const shorthand = (st.icrLow >> 18) & 3;
    const dest = st.icrHigh >>> 24;
    const self = shorthand === 1 || shorthand === 2 || (shorthand === 0 && dest === st.id);
    switch (mode) {
      case 0: // fixed
      case 1: // lowest priority
        if (vector < 16) {
          this.error(ESR_SEND_ILLEGAL_VECTOR);
          return;
        }
        if (self) this.accept(vector, false);
        if (!self || shorthand === 2) this.sinks.ipi('fixed', dest, vector);
        return;
      case 4:
        if (self) this.sinks.nmi();
        return;
      case 5:
        if (((st.icrLow >> 14) & 1) === 1 || shorthand !== 1) this.sinks.ipi('init', dest, 0);
        return;
      case 6:
        this.sinks.ipi('startup', dest, vector);
        return;
      default:
    }
  }
}
