// National Semiconductor PC16550D UART (datasheet, June 1995): registers, FIFOs, loopback, interrupt line.

import type { AccessSize, Device, IrqLine, PortRange } from '../bus/device';

/** Saved state of a 16550. */
export interface Uart16550State {
  ier: number;
  lcr: number;
  mcr: number;
  lsr: number;
  msr: number;
  scr: number;
  dll: number;
  dlm: number;
  fcr: number;
  /** THR-empty interrupt armed (cleared by reading IIR or writing THR). */
  thrEmptyPending: boolean;
  /** Received bytes not yet read by the guest. */
  rx: number[];
}

const LSR_DR = 0x01; // data ready
const LSR_OE = 0x02; // overrun error
const LSR_THRE = 0x20; // transmitter holding register empty
const LSR_TEMT = 0x40; // transmitter empty
const LCR_DLAB = 0x80;
const MCR_LOOP = 0x10;
const MSR_IDLE = 0xb0; // DCD, DSR, CTS asserted: a connected, ready line

/**
 * Host-side receive buffer. The chip's FIFO holds 16 bytes, but host input arrives in bursts
 * between time slices, so bytes wait here (bounded) rather than overrunning at once.
 */
export const UART_RX_CAPACITY = 4096;

/**
 * A 16550 UART. Transmission is instantaneous: a byte written to THR goes straight to `sink`,
 * and LSR always shows THRE and TEMT so polling guests see the transmitter ready at once.
 */
export class Uart16550 implements Device<Uart16550State> {
  readonly name = 'uart-16550';
  readonly portRanges: readonly PortRange[];
  private st: Uart16550State = Uart16550.powerOn();
  /** Bytes transmitted and received since reset, for --stats (not guest-visible state). */
  readonly counters = { transmitted: 0, received: 0 };

  /**
   * @param base first I/O port (0x3F8 for COM1)
   * @param sink receives each transmitted byte
   * @param irq the interrupt line (IRQ4 for COM1), driven while an enabled source is pending,
   *   whatever MCR.OUT2 says
   */
  constructor(
    base: number,
    private readonly sink: (byte: number) => void,
    private readonly irq: IrqLine,
  ) {
    this.portRanges = [
      {
        base,
        length: 8,
        read: (offset: number, _size: AccessSize) => this.read(offset),
        write: (offset: number, _size: AccessSize, value: number) =>
          this.write(offset, value & 0xff),
      },
    ];
  }

  private static powerOn(): Uart16550State {
    return {
      ier: 0,
      lcr: 0,
      mcr: 0,
      lsr: LSR_THRE | LSR_TEMT,
      msr: MSR_IDLE,
      scr: 0,
      dll: 0x0c, // 9600 baud
      dlm: 0,
      fcr: 0,
      thrEmptyPending: false,
      rx: [],
    };
  }

  /** Queues bytes from the host (keyboard, pipe) for the guest to read from RBR. */
  receive(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) {
      if (this.st.rx.length >= UART_RX_CAPACITY) {
        this.st.lsr |= LSR_OE;
        break;
      }
      this.st.rx.push(bytes[i]! & 0xff);
      this.counters.received++;
    }
    this.updateIrq();
  }

  reset(): void {
    this.st = Uart16550.powerOn();
    this.counters.transmitted = 0;
    this.counters.received = 0;
    this.irq.set(false);
  }

  saveState(): Uart16550State {
    return { ...this.st, rx: [...this.st.rx] };
  }

  loadState(state: Uart16550State): void {
    this.st = { ...state, rx: [...state.rx] };
    this.updateIrq();
  }

  private read(offset: number): number {
    const st = this.st;
    const dlab = (st.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case 0: {
        if (dlab) return st.dll;
        const byte = st.rx.shift() ?? 0;
        this.updateIrq();
        return byte;
      }
      case 1:
        return dlab ? st.dlm : st.ier;
      case 2: {
        const iir = this.iir();
        if ((iir & 0x0f) === 0x02) st.thrEmptyPending = false; // reading IIR clears THRE
        this.updateIrq();
        return iir | ((st.fcr & 1) !== 0 ? 0xc0 : 0);
      }
      case 3:
        return st.lcr;
      case 4:
        return st.mcr;
      case 5: {
        const lsr = st.lsr | (st.rx.length > 0 ? LSR_DR : 0);
        st.lsr &= ~0x1e; // error bits clear on read
        return lsr;
      }
      case 6:
        if ((st.mcr & MCR_LOOP) !== 0) {
          // Loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD.
          const m = st.mcr;
          return ((m & 2) << 3) | ((m & 1) << 5) | ((m & 4) << 4) | ((m & 8) << 4);
        }
        return st.msr;
      default:
        return st.scr;
    }
  }

  private write(offset: number, value: number): void {
    const st = this.st;
    const dlab = (st.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case 0:
        if (dlab) {
          st.dll = value;
          return;
        }
        if ((st.mcr & MCR_LOOP) !== 0) this.receive([value]);
        else this.sink(value);
        this.counters.transmitted++;
        st.thrEmptyPending = true; // the byte left at once, so THR is empty again
        break;
      case 1:
        if (dlab) {
          st.dlm = value;
          return;
        }
        // Enabling the THRE interrupt while THR is empty raises it (datasheet 8.6).
        if ((value & 2) !== 0 && (st.ier & 2) === 0) st.thrEmptyPending = true;
        st.ier = value & 0x0f;
        break;
      case 2:
        st.fcr = value & 0xc9;
        if ((value & 2) !== 0) st.rx.length = 0;
        break;
      case 3:
        st.lcr = value;
        return;
      case 4:
        st.mcr = value & 0x1f;
        break;
      case 5:
      case 6:
        return; // LSR and MSR are read-only here (factory test only)
      default:
        st.scr = value;
        return;
    }
    this.updateIrq();
  }

  /** Interrupt identification: the highest-priority enabled pending source (datasheet table 4). */
  private iir(): number {
    const st = this.st;
    if ((st.ier & 4) !== 0 && (st.lsr & LSR_OE) !== 0) return 0x06;
    if ((st.ier & 1) !== 0 && st.rx.length > 0) return 0x04;
    if ((st.ier & 2) !== 0 && st.thrEmptyPending) return 0x02;
    return 0x01;
  }

  private updateIrq(): void {
    // On a PC serial card OUT2 gates the line; like QEMU and other virtual platforms, vmlab
    // lets the interrupt through regardless, since guests often forget to set OUT2.
    this.irq.set((this.iir() & 1) === 0);
  }
}
