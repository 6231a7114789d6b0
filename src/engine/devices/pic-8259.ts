// Intel 8259A programmable interrupt controller, master/slave pair as on the PC/AT (8259A datasheet; QEMU hw/intc/i8259.c).

import type { AccessSize, Device, IrqLine, PortRange } from '../bus/device';

/** Saved state of one 8259A. */
export interface Pic8259ChipState {
  /** Interrupt request, in-service and mask registers. */
  irr: number;
  isr: number;
  imr: number;
  /** Input levels last seen, for edge detection. */
  lastLevels: number;
  /** Edge/level control (ELCR, ports 4D0h/4D1h): a set bit makes that input level-triggered. */
  elcr: number;
  /** Vector of IR0 (ICW2 & F8h). */
  vectorBase: number;
  /** Lowest-priority rotation: IRn has priority (n - priorityAdd) & 7. */
  priorityAdd: number;
  /** 0 = ready for OCWs, 1..3 = waiting for ICW2..ICW4. */
  initStep: number;
  icw4Needed: boolean;
  singleMode: boolean;
  autoEoi: boolean;
  rotateOnAutoEoi: boolean;
  specialFullyNested: boolean;
  specialMask: boolean;
  /** OCW3 RR/RIS: true reads ISR from the command port, false IRR. */
  readIsr: boolean;
  /** OCW3 poll command pending: the next read of the command port is a poll. */
  poll: boolean;
}

/** Saved state of the PIC pair. */
export interface Pic8259State {
  master: Pic8259ChipState;
  slave: Pic8259ChipState;
}

const NO_IRQ = -1;

function powerOnChip(): Pic8259ChipState {
  return {
    irr: 0,
    isr: 0,
    imr: 0,
    lastLevels: 0,
    elcr: 0,
    vectorBase: 0,
    priorityAdd: 0,
    initStep: 0,
    icw4Needed: false,
    singleMode: false,
    autoEoi: false,
    rotateOnAutoEoi: false,
    specialFullyNested: false,
    specialMask: false,
    readIsr: false,
    poll: false,
  };
}

/** Priority (0 = highest) of the highest-priority bit set in `mask`, 8 if none. */
function priorityOf(c: Pic8259ChipState, mask: number): number {
  if (mask === 0) return 8;
  let p = 0;
  while ((mask & (1 << ((p + c.priorityAdd) & 7))) === 0) p++;
  return p;
}

/** The input the chip would present to the CPU now, or NO_IRQ. */
function pendingIrq(c: Pic8259ChipState, isMaster: boolean): number {
  const p = priorityOf(c, c.irr & ~c.imr);
  if (p === 8) return NO_IRQ;
  let inService = c.isr;
  if (c.specialMask) inService &= ~c.imr;
  // Special fully nested mode lets a slave interrupt through while another one is in service.
  if (c.specialFullyNested && isMaster) inService &= ~(1 << 2);
  return p < priorityOf(c, inService) ? (p + c.priorityAdd) & 7 : NO_IRQ;
}

/** INTA for input `irq`: moves it from IRR to ISR (or not, with auto-EOI). */
function intack(c: Pic8259ChipState, irq: number): void {
  if (c.autoEoi) {
    if (c.rotateOnAutoEoi) c.priorityAdd = (irq + 1) & 7;
  } else {
    c.isr |= 1 << irq;
  }
  if ((c.elcr & (1 << irq)) === 0) c.irr &= ~(1 << irq);
}

/**
 * The PC/AT's two cascaded 8259As: master at 20h (IRQ 0-7), slave at A0h (IRQ 8-15) on the
 * master's IR2, ELCR at 4D0h. It is the CPU's interrupt controller: hasInterrupt() is the
 * INTR pin, acknowledge() the INTA cycle that returns the vector. With nothing pending at INTA
 * the chips answer with IR7 (spurious IRQ 7 or 15), as the real ones do.
 */
export class Pic8259 implements Device<Pic8259State> {
  readonly name = 'pic-8259';
  readonly portRanges: readonly PortRange[];
  private st: Pic8259State = { master: powerOnChip(), slave: powerOnChip() };
  /** Interrupts acknowledged per IRQ line, for --stats. */
  readonly delivered = new Float64Array(16);

  /** @param onChange called when the INTR output may have changed (wakes a halted CPU) */
  constructor(private readonly onChange: () => void = () => {}) {
    const chip = (base: number, slave: boolean): PortRange => ({
      base,
      length: 2,
      read: (offset: number, _size: AccessSize) => this.readPort(slave, offset),
      write: (offset: number, _size: AccessSize, value: number) =>
        this.writePort(slave, offset, value & 0xff),
    });
    this.portRanges = [
      chip(0x20, false),
      chip(0xa0, true),
      {
        base: 0x4d0,
        length: 2,
        read: (offset: number) => (offset === 0 ? this.st.master.elcr : this.st.slave.elcr),
        write: (offset: number, _size: AccessSize, value: number) => {
          // IRQ 0, 1, 2, 8 and 13 are always edge-triggered on the PC.
          if (offset === 0) this.st.master.elcr = value & 0xf8;
          else this.st.slave.elcr = value & 0xde;
        },
      },
    ];
  }

  /** The IRQ line `irq` (0-15) as a device sees it. */
  line(irq: number): IrqLine {
    return { set: (level: boolean) => this.setIrq(irq, level) };
  }

  /** Drives input `irq` (0-15) to `level`. */
  setIrq(irq: number, level: boolean): void {
    const c = irq < 8 ? this.st.master : this.st.slave;
    const mask = 1 << (irq & 7);
    if ((c.elcr & mask) !== 0) {
      if (level) c.irr |= mask;
      else c.irr &= ~mask;
    } else if (level) {
      if ((c.lastLevels & mask) === 0) c.irr |= mask;
    }
    if (level) c.lastLevels |= mask;
    else c.lastLevels &= ~mask;
    this.update();
  }

  /** The INTR pin: true when the master presents an interrupt. */
  hasInterrupt(): boolean {
    return pendingIrq(this.st.master, true) !== NO_IRQ;
  }

  /** The INTA cycle: returns the vector of the highest-priority request and marks it in service. */
  acknowledge(): number {
    const { master, slave } = this.st;
    let irq = pendingIrq(master, true);
    let vector: number;
    if (irq === NO_IRQ) {
      vector = master.vectorBase + 7; // spurious IRQ 7: ISR stays clear
    } else {
      intack(master, irq);
      if (irq === 2) {
        const irq2 = pendingIrq(slave, false);
        if (irq2 === NO_IRQ) {
          vector = slave.vectorBase + 7; // spurious IRQ 15
        } else {
          intack(slave, irq2);
          vector = slave.vectorBase + irq2;
          irq = 8 + irq2;
          this.delivered[irq]!++;
        }
      } else {
        vector = master.vectorBase + irq;
        this.delivered[irq]!++;
      }
    }
    this.update();
    return vector;
  }

  reset(): void {
    this.st = { master: powerOnChip(), slave: powerOnChip() };
    this.delivered.fill(0);
  }

  saveState(): Pic8259State {
    return { master: { ...this.st.master }, slave: { ...this.st.slave } };
  }

  loadState(state: Pic8259State): void {
    this.st = { master: { ...state.master }, slave: { ...state.slave } };
  }

  /** The slave's output drives the master's IR2; then the CPU is told to look again. */
  private update(): void {
    const slaveOut = pendingIrq(this.st.slave, false) !== NO_IRQ;
    const m = this.st.master;
    if (slaveOut) {
      if ((m.lastLevels & 4) === 0) m.irr |= 4;
      m.lastLevels |= 4;
    } else {
      m.lastLevels &= ~4;
    }
    this.onChange();
  }

  private readPort(slave: boolean, offset: number): number {
    const c = slave ? this.st.slave : this.st.master;
    if (c.poll) {
      c.poll = false;
      const irq = pendingIrq(c, !slave);
      if (irq === NO_IRQ) return 0;
      intack(c, irq);
      this.update();
      return 0x80 | irq;
    }
    if (offset === 0) return c.readIsr ? c.isr : c.irr;
    return c.imr;
  }

  private writePort(slave: boolean, offset: number, value: number): void {
    const c = slave ? this.st.slave : this.st.master;
    if (offset === 0) {
      if ((value & 0x10) !== 0) this.icw1(c, value);
      else if ((value & 0x08) !== 0) this.ocw3(c, value);
      else this.ocw2(c, value);
    } else {
      switch (c.initStep) {
        case 0:
          c.imr = value; // OCW1
          break;
        case 1:
          c.vectorBase = value & 0xf8; // ICW2
          c.initStep = c.singleMode ? (c.icw4Needed ? 3 : 0) : 2;
          break;
        case 2:
          c.initStep = c.icw4Needed ? 3 : 0; // ICW3: the PC's wiring is fixed
          break;
        default:
          c.specialFullyNested = (value & 0x10) !== 0; // ICW4
          c.autoEoi = (value & 0x02) !== 0;
          c.initStep = 0;
      }
    }
    this.update();
  }

  /** ICW1 starts initialisation: masks, ISR and priorities are cleared. */
  private icw1(c: Pic8259ChipState, value: number): void {
    const elcr = c.elcr;
    Object.assign(c, powerOnChip());
    c.elcr = elcr;
    c.irr &= elcr;
    c.initStep = 1;
    c.icw4Needed = (value & 0x01) !== 0;
    c.singleMode = (value & 0x02) !== 0;
  }

  /** OCW2: EOI (non-specific, specific, rotating) and priority commands. */
  private ocw2(c: Pic8259ChipState, value: number): void {
    const cmd = value >> 5;
    switch (cmd) {
      case 0:
      case 4:
        c.rotateOnAutoEoi = cmd === 4;
        break;
      case 1:
      case 5: {
        const p = priorityOf(c, c.isr);
        if (p !== 8) {
          const irq = (p + c.priorityAdd) & 7;
          c.isr &= ~(1 << irq);
          if (cmd === 5) c.priorityAdd = (irq + 1) & 7;
        }
        break;
      }
      case 3:
        c.isr &= ~(1 << (value & 7));
        break;
      case 6:
        c.priorityAdd = (value + 1) & 7;
        break;
      case 7:
        c.isr &= ~(1 << (value & 7));
        c.priorityAdd = ((value & 7) + 1) & 7;
        break;
      default:
        break; // 2: no operation
    }
  }

  /** OCW3: register select for reads, poll, special mask mode. */
  private ocw3(c: Pic8259ChipState, value: number): void {
    if ((value & 0x04) !== 0) c.poll = true;
    if ((value & 0x02) !== 0) c.readIsr = (value & 0x01) !== 0;
    if ((value & 0x40) !== 0) c.specialMask = (value & 0x20) !== 0;
  }
}
