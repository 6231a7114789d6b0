// 82093AA I/O APIC at FEC00000h: 24 redirection entries routing interrupt pins to local APICs (Intel 82093AA datasheet).

import type { AccessSize, Device, MmioRange, PortRange } from '../bus/device';

/** Default physical base of the I/O APIC. */
export const IOAPIC_BASE = 0xfec00000;
/** Number of interrupt input pins. */
export const IOAPIC_PINS = 24;

/** Saved state of the I/O APIC. */
export interface IoApicState {
  id: number;
  /** IOREGSEL: the register IOWIN accesses. */
  select: number;
  /** Redirection entries, low and high dword each. */
  redirLow: number[];
  redirHigh: number[];
  /** Pin levels as last driven (after polarity). */
  levels: number;
}

/** Where the I/O APIC delivers: the local APIC(s) on the system bus. */
export interface IoApicSink {
  /** A fixed or lowest-priority interrupt; `level` marks it level-triggered (EOI expected). */
  deliver(vector: number, level: boolean, destination: number, logical: boolean): void;
  /** An NMI delivery-mode entry. */
  nmi(): void;
}

const MASKED = 0x10000;
const LEVEL = 0x8000;
const REMOTE_IRR = 0x4000;

/**
 * The I/O APIC. An edge-triggered pin delivers on each rising edge; a level-triggered pin
 * delivers while asserted and sets Remote IRR until the local APIC's EOI for its vector.
 * Masked pins deliver nothing (an edge that arrives while masked is lost).
 */
export class IoApic implements Device<IoApicState> {
  readonly name = 'io-apic';
  readonly portRanges: readonly PortRange[] = [];
  readonly mmioRanges: readonly MmioRange[];
  private st: IoApicState = IoApic.powerOn();
  /** Interrupts delivered per pin, for --stats. */
  readonly delivered = new Float64Array(IOAPIC_PINS);

  constructor(
    private readonly sink: IoApicSink,
    base = IOAPIC_BASE,
  ) {
    this.mmioRanges = [
      {
        base,
        length: 0x20,
        read: (offset: number, _size: AccessSize) =>
          offset === 0 ? this.st.select : offset === 0x10 ? this.readRegister() : 0,
        write: (offset: number, _size: AccessSize, value: number) => {
          if (offset === 0) this.st.select = value & 0xff;
          else if (offset === 0x10) this.writeRegister(value >>> 0);
        },
      },
    ];
  }

  private static powerOn(): IoApicState {
    return {
      id: 0,
      select: 0,
      redirLow: new Array<number>(IOAPIC_PINS).fill(MASKED),
      redirHigh: new Array<number>(IOAPIC_PINS).fill(0),
      levels: 0,
    };
  }

  /** Drives input `pin` to `level` (true = asserted, before the entry's polarity). */
  setIrq(pin: number, level: boolean): void {
    if (pin >= IOAPIC_PINS) return;
    const st = this.st;
    const low = st.redirLow[pin]!;
    const active = level;
    const mask = 1 << pin;
    const was = (st.levels & mask) !== 0;
    if (active) st.levels |= mask;
    else st.levels &= ~mask;
    if ((low & LEVEL) !== 0) {
      if (active) this.service(pin);
    } else if (active && !was) {
      this.service(pin);
    }
  }

  /** An EOI broadcast for `vector`: clears Remote IRR and re-delivers pins still asserted. */
  eoi(vector: number): void {
    const st = this.st;
    for (let pin = 0; pin < IOAPIC_PINS; pin++) {
      const low = st.redirLow[pin]!;
      if ((low & 0xff) !== vector || (low & REMOTE_IRR) === 0) continue;
      st.redirLow[pin] = low & ~REMOTE_IRR;
      if ((st.levels & (1 << pin)) !== 0) this.service(pin);
    }
  }

  reset(): void {
    this.st = IoApic.powerOn();
    this.delivered.fill(0);
  }

  saveState(): IoApicState {
    return { ...this.st, redirLow: [...this.st.redirLow], redirHigh: [...this.st.redirHigh] };
  }

  loadState(state: IoApicState): void {
    this.st = { ...state, redirLow: [...state.redirLow], redirHigh: [...state.redirHigh] };
  }

  private service(pin: number): void {
    const st = this.st;
    const low = st.redirLow[pin]!;
    if ((low & MASKED) !== 0) return;
    const level = (low & LEVEL) !== 0;
    if (level) {
      if ((low & REMOTE_IRR) !== 0) return;
      st.redirLow[pin] = low | REMOTE_IRR;
    }
    this.delivered[pin]!++;
    const mode = (low >> 8) & 7;
    if (mode === 4) {
      this.sink.nmi();
      return;
    }
    this.sink.deliver(low & 0xff, level, st.redirHigh[pin]! >>> 24, (low & 0x800) !== 0);
  }

  private readRegister(): number {
    const st = this.st;
    const r = st.select;
    if (r === 0) return (st.id << 24) >>> 0;
    if (r === 1) return ((IOAPIC_PINS - 1) << 16) | 0x11;
    if (r === 2) return (st.id << 24) >>> 0;
    if (r >= 0x10 && r < 0x10 + IOAPIC_PINS * 2) {
      const pin = (r - 0x10) >> 1;
      return (r & 1) === 0 ? st.redirLow[pin]! : st.redirHigh[pin]!;
    }
    return 0xffffffff;
  }

  private writeRegister(value: number): void {
    const st = this.st;
    const r = st.select;
    if (r === 0) {
      st.id = (value >>> 24) & 0x0f;
      return;
    }
    if (r >= 0x10 && r < 0x10 + IOAPIC_PINS * 2) {
      const pin = (r - 0x10) >> 1;
      if ((r & 1) === 0) {
        // Delivery status and Remote IRR are read-only.
        const keep = st.redirLow[pin]! & (REMOTE_IRR | 0x1000);
        st.redirLow[pin] = ((value & ~(REMOTE_IRR | 0x1000)) | keep) >>> 0;
        // Unmasking a level pin that is still asserted delivers it now.
        if ((value & LEVEL) !== 0 && (st.levels & (1 << pin)) !== 0) this.service(pin);
      } else {
        st.redirHigh[pin] = value & 0xff000000;
      }
    }
  }
}
