// Intel 8042 keyboard controller with a PS/2 keyboard behind it at 60h/64h (IBM PS/2 Technical Reference; QEMU hw/input/pckbd.c, ps2.c).

import type { AccessSize, Device, IrqLine, PortRange } from '../bus/device';
import type { PhysicalMemory } from '../bus/physical-memory';
import { SET1_BY_CODE, scancodeOfAscii } from './scancodes';

/** Saved state of the controller and keyboard. */
export interface Kbc8042State {
  /** Controller command byte (read with 20h, written with 60h). */
  commandByte: number;
  /** Status bits the guest sets indirectly: SYS (bit 2) and CMD/DATA (bit 3). */
  statusFlags: number;
  /** Bytes waiting for the guest, oldest first; the head is the output buffer. */
  queue: number[];
  /** Controller command waiting for its data byte (60h, D1h, D2h, D3h, D4h), or 0. */
  pendingCommand: number;
  /** Keyboard command waiting for its argument (EDh, F0h, F3h), or 0. */
  keyboardCommand: number;
  scancodeSet: number;
  leds: number;
  scanning: boolean;
  /** Output port bits: 0 = reset line (1 = running), 1 = A20 gate. */
  outputPort: number;
}

/** Host key bytes held at most; further keys are dropped as a real buffer would. */
const QUEUE_CAPACITY = 256;
const CMD_INT = 0x01;
const CMD_SYS = 0x04;
const CMD_KBD_DISABLED = 0x10;
const ACK = 0xfa;

/**
 * The 8042. Host keys go in as scancode set 1 (the controller's translation is always on),
 * IRQ 1 is asserted while a byte waits and the command byte enables it, and the output port
 * drives the A20 gate in physical memory and the CPU reset line.
 */
export class Kbc8042 implements Device<Kbc8042State> {
  readonly name = 'kbc-8042';
  readonly portRanges: readonly PortRange[];
  private st: Kbc8042State = Kbc8042.powerOn();
  /** Scancode bytes queued from the host, for --stats. */
  keys = 0;

  constructor(
    private readonly irq1: IrqLine,
    private readonly mem: PhysicalMemory,
    private readonly onReset: () => void,
  ) {
    this.portRanges = [
      {
        base: 0x60,
        length: 1,
        read: (_offset: number, _size: AccessSize) => this.readData(),
        write: (_offset: number, _size: AccessSize, value: number) => this.writeData(value & 0xff),
      },
      {
        base: 0x64,
        length: 1,
        read: (_offset: number, _size: AccessSize) => this.status(),
        write: (_offset: number, _size: AccessSize, value: number) => this.command(value & 0xff),
      },
    ];
  }

  private static powerOn(): Kbc8042State {
    return {
      commandByte: CMD_INT | CMD_SYS | 0x40, // IRQ 1 on, POST passed, translation on
      statusFlags: CMD_SYS,
      queue: [],
      pendingCommand: 0,
      keyboardCommand: 0,
      scancodeSet: 2,
      leds: 0,
      scanning: true,
      outputPort: 0x03,
    };
  }

  /** Queues a key press or release by KeyboardEvent.code; returns false for unknown keys. */
  key(code: string, down: boolean): boolean {
    const sc = SET1_BY_CODE[code];
    if (sc === undefined) return false;
    const bytes = sc > 0xff ? [0xe0, (sc & 0xff) | (down ? 0 : 0x80)] : [sc | (down ? 0 : 0x80)];
    this.pushKeys(bytes);
    return true;
  }

  /** Types ASCII text as make and break codes (with Shift where needed), e.g. from the CLI. */
  type(text: ArrayLike<number>): void {
    for (let i = 0; i < text.length; i++) {
      const k = scancodeOfAscii(text[i]!);
      if (!k) continue;
      const bytes = k.shift ? [0x2a, k.code, k.code | 0x80, 0xaa] : [k.code, k.code | 0x80];
      this.pushKeys(bytes);
    }
  }

  /** The LED bits the guest set (0 Scroll, 1 Num, 2 Caps Lock). */
  get leds(): number {
    return this.st.leds;
  }

  reset(): void {
    this.st = Kbc8042.powerOn();
    this.keys = 0;
    this.irq1.set(false);
  }

  saveState(): Kbc8042State {
    return { ...this.st, queue: [...this.st.queue] };
  }

  loadState(state: Kbc8042State): void {
    this.st = { ...state, queue: [...state.queue] };
    this.updateIrq();
  }

  private pushKeys(bytes: number[]): void {
    if (!this.st.scanning) return;
    for (const b of bytes) {
      if (this.st.queue.length >= QUEUE_CAPACITY) return;
      this.st.queue.push(b);
      this.keys++;
    }
    this.updateIrq();
  }

  /** Status register: OBF, IBF (never: commands complete at once), SYS, CMD/DATA, not inhibited. */
  private status(): number {
    return (this.st.queue.length > 0 ? 0x01 : 0) | this.st.statusFlags | 0x10;
  }

  private updateIrq(): void {
    this.irq1.set(this.st.queue.length > 0 && (this.st.commandByte & CMD_INT) !== 0);
  }

  private reply(...bytes: number[]): void {
    for (const b of bytes) this.st.queue.push(b);
    this.updateIrq();
  }

  /** Reading port 60h takes the output buffer; the next queued byte follows with a new edge. */
  readData(): number {
    const q = this.st.queue;
    if (q.length === 0) return 0;
    const b = q.shift()!;
    this.irq1.set(false);
    this.updateIrq();
    return b;
  }

  private writeData(value: number): void {
    const st = this.st;
    st.statusFlags &= ~0x08;
    const pending = st.pendingCommand;
    st.pendingCommand = 0;
    switch (pending) {
      case 0x60:
        st.commandByte = value;
        st.statusFlags = (st.statusFlags & ~CMD_SYS) | (value & CMD_SYS);
        this.updateIrq();
        return;
      case 0xd1:
        this.writeOutputPort(value);
        return;
      case 0xd2:
        this.reply(value);
        return;
      case 0xd3:
      case 0xd4:
        return; // no mouse behind the auxiliary port
      default:
        this.keyboardByte(value);
    }
  }

  private writeOutputPort(value: number): void {
    this.st.outputPort = value;
    this.mem.setA20((value & 0x02) !== 0);
    if ((value & 0x01) === 0) this.onReset();
  }

  /** A byte for the keyboard itself (PS/2 keyboard command set). */
  private keyboardByte(value: number): void {
    const st = this.st;
    const cmd = st.keyboardCommand;
    if (cmd !== 0) {
      st.keyboardCommand = 0;
      if (cmd === 0xed) st.leds = value & 7;
      if (cmd === 0xf0) {
        if (value === 0) {
          this.reply(ACK, st.scancodeSet);
          return;
        }
        if (value <= 3) st.scancodeSet = value;
      }
      this.reply(ACK);
      return;
    }
    switch (value) {
      case 0xed:
      case 0xf0:
      case 0xf3:
        st.keyboardCommand = value;
        this.reply(ACK);
        return;
      case 0xee:
        this.reply(0xee);
        return;
      case 0xf2:
        this.reply(ACK, 0xab, 0x41); // MF2 keyboard, translated ID
        return;
      case 0xf4:
        st.scanning = true;
        this.reply(ACK);
        return;
      case 0xf5:
      case 0xf6:
        st.scanning = value === 0xf6;
        st.scancodeSet = 2;
        this.reply(ACK);
        return;
      case 0xff:
        st.queue.length = 0;
        st.scanning = true;
        st.leds = 0;
        st.scancodeSet = 2;
        this.reply(ACK, 0xaa); // acknowledge, then basic assurance test passed
        return;
      default:
        this.reply(0xfe); // resend: unknown command
    }
  }

  private command(value: number): void {
    const st = this.st;
    st.statusFlags |= 0x08;
    switch (value) {
      case 0x20:
        this.reply(st.commandByte);
        return;
      case 0x60:
      case 0xd1:
      case 0xd2:
      case 0xd3:
      case 0xd4:
        st.pendingCommand = value;
        return;
      case 0xa7:
      case 0xa8:
        return; // auxiliary port disable/enable: no mouse
      case 0xa9:
      case 0xab:
        this.reply(0x00); // interface tests pass
        return;
      case 0xaa:
        this.reply(0x55); // self-test passed
        return;
      case 0xad:
        st.commandByte |= CMD_KBD_DISABLED;
        return;
      case 0xae:
        st.commandByte &= ~CMD_KBD_DISABLED;
        return;
      case 0xc0:
        this.reply(0x80); // input port: keyboard not inhibited
        return;
      case 0xd0:
        this.reply(
          st.outputPort | (this.mem.a20Enabled ? 2 : 0) | (st.queue.length > 0 ? 0x10 : 0),
        );
        return;
      case 0xdd:
      case 0xdf:
        this.writeOutputPort((st.outputPort & ~2) | (value === 0xdf ? 2 : 0));
        return;
      default:
        // F0h-FFh pulse output port lines for 6 µs; bit 0 low is the CPU reset.
        if (value >= 0xf0 && (value & 1) === 0) this.onReset();
    }
  }
}
