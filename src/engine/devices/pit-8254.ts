// Intel 8254 programmable interval timer: three counters at 1.193182 MHz on virtual time (8254 datasheet; QEMU hw/timer/i8254.c).

import type { AccessSize, Clock, Device, IrqLine, PortRange, TimerDevice } from '../bus/device';

/** Input clock of the PC's 8254 in Hz. */
export const PIT_HZ = 1_193_182;

/** Saved state of one counter. */
export interface PitChannelState {
  /** Initial count, 1..65536 (a written 0 means 65536, or 10000 in BCD). */
  count: number;
  mode: number;
  /** Access mode from the control word: 1 LSB, 2 MSB, 3 LSB then MSB. */
  rwMode: number;
  bcd: boolean;
  gate: boolean;
  /** Virtual time (ns) when counting started from `count`. */
  loadTime: number;
  /** A count has been written since the last control word (the counter runs). */
  armed: boolean;
  /** Read/write byte sequencers: 1 LSB, 2 MSB, 3 first byte of a word, 4 second byte. */
  readState: number;
  writeState: number;
  writeLatch: number;
  /** Latched count and which byte of it comes next (0 = no latch). */
  latchedCount: number;
  latchState: number;
  /** Latched status byte (read-back command), if any. */
  statusLatched: boolean;
  status: number;
  /** Counter ticks after loadTime of the next rising edge that raises the IRQ (channel 0), -1 if none. */
  nextEdgeTick: number;
}

/** Saved state of the PIT. */
export interface Pit8254State {
  channels: PitChannelState[];
}

const RW_LSB = 1;
const RW_MSB = 2;
const RW_WORD0 = 3;
const RW_WORD1 = 4;

function powerOnChannel(gate: boolean): PitChannelState {
  return {
    count: 0x10000,
    mode: 0,
    rwMode: RW_WORD0,
    bcd: false,
    gate,
    loadTime: 0,
    armed: false,
    readState: RW_WORD0,
    writeState: RW_WORD0,
    writeLatch: 0,
    latchedCount: 0,
    latchState: 0,
    statusLatched: false,
    status: 0,
    nextEdgeTick: -1,
  };
}

const toBcd = (v: number) =>
  (v % 10) |
  ((Math.floor(v / 10) % 10) << 4) |
  ((Math.floor(v / 100) % 10) << 8) |
  ((Math.floor(v / 1000) % 10) << 12);
const fromBcd = (v: number) =>
  (v & 0xf) + ((v >> 4) & 0xf) * 10 + ((v >> 8) & 0xf) * 100 + ((v >> 12) & 0xf) * 1000;

/**
 * The 8254. Counters are not stepped: each one's value and output are computed from the
 * virtual time since its count was loaded, and channel 0 tells the machine when its next
 * output edge (IRQ 0) is due. Modes 0-5 count; mode 1 and 5 start on a gate edge (channel 2).
 */
export class Pit8254 implements Device<Pit8254State>, TimerDevice {
  readonly name = 'pit-8254';
  readonly portRanges: readonly PortRange[];
  private st: Pit8254State = Pit8254.powerOn();
  /** IRQ 0 edges raised, for --stats. */
  interrupts = 0;

  constructor(
    private readonly clock: Clock,
    private readonly irq0: IrqLine,
  ) {
    this.portRanges = [
      {
        base: 0x40,
        length: 4,
        read: (offset: number, _size: AccessSize) =>
          offset === 3 ? 0xff : this.readCounter(offset),
        write: (offset: number, _size: AccessSize, value: number) => {
          if (offset === 3) this.control(value & 0xff);
          else this.writeCounter(offset, value & 0xff);
        },
      },
    ];
  }

  private static powerOn(): Pit8254State {
    return { channels: [powerOnChannel(true), powerOnChannel(true), powerOnChannel(false)] };
  }

  reset(): void {
    this.st = Pit8254.powerOn();
    this.interrupts = 0;
    this.clock.reschedule();
  }

  saveState(): Pit8254State {
    return { channels: this.st.channels.map((c) => ({ ...c })) };
  }

  loadState(state: Pit8254State): void {
    this.st = { channels: state.channels.map((c) => ({ ...c })) };
    this.clock.reschedule();
  }

  /** Channel 2's gate (port 61h bit 0). A rising edge restarts modes 1, 2, 3 and 5. */
  setGate2(level: boolean): void {
    const c = this.ch(2);
    if (level && !c.gate && c.armed) c.loadTime = this.clock.now();
    c.gate = level;
  }

  /** Channel 2's gate as last set. */
  get gate2(): boolean {
    return this.ch(2).gate;
  }

  /** Channel 2's output (port 61h bit 5), which drives the speaker. */
  out2(): boolean {
    return this.output(this.ch(2), this.clock.now());
  }

  nextDeadline(): number {
    const c = this.ch(0);
    if (!c.armed || c.nextEdgeTick < 0) return Number.POSITIVE_INFINITY;
    return c.loadTime + Math.ceil((c.nextEdgeTick * 1e9) / PIT_HZ);
  }

  advance(now: number): void {
    const c = this.ch(0);
    if (!c.armed) return;
    const d = this.ticks(c, now);
    if (c.nextEdgeTick < 0 || d < c.nextEdgeTick) return;
    this.irq0.set(true);
    this.irq0.set(false);
    this.interrupts++;
    c.nextEdgeTick = this.edgeAfter(c, d);
  }

  private ch(i: number): PitChannelState {
    return this.st.channels[i]!;
  }

  /** Counter clock ticks since `c` was loaded. */
  private ticks(c: PitChannelState, now: number): number {
    if (!c.armed) return 0;
    return Math.floor(((now - c.loadTime) * PIT_HZ) / 1e9);
  }

  /** The first tick > d at which the output rises (the IRQ 0 edge), -1 if none. */
  private edgeAfter(c: PitChannelState, d: number): number {
    switch (c.mode) {
      case 2:
      case 3:
        return (Math.floor(d / c.count) + 1) * c.count;
      case 0:
      case 4:
        return d < c.count ? c.count : -1;
      default:
        return -1;
    }
  }

  /** The current count of `c`, as the counting element holds it. */
  private value(c: PitChannelState, now: number): number {
    if (!c.armed) return c.count & 0xffff;
    const d = this.ticks(c, now);
    switch (c.mode) {
      case 2:
        return c.count - (d % c.count);
      case 3:
        return (c.count - ((2 * d) % c.count)) & 0xfffe;
      default:
        return (c.count - d) & 0xffff;
    }
  }

  /** The OUT pin of `c`. */
  private output(c: PitChannelState, now: number): boolean {
    if (!c.armed) return c.mode !== 0;
    const d = this.ticks(c, now);
    switch (c.mode) {
      case 0:
        return d >= c.count;
      case 1:
        return d >= c.count;
      case 2:
        return d % c.count !== c.count - 1;
      case 3:
        return d % c.count < (c.count + 1) >> 1;
      default:
        return d !== c.count;
    }
  }

  private control(value: number): void {
    const sel = value >> 6;
    const now = this.clock.now();
    if (sel === 3) {
      // Read-back: latch count and/or status of the selected counters.
      for (let i = 0; i < 3; i++) {
        if ((value & (2 << i)) === 0) continue;
        const c = this.ch(i);
        if ((value & 0x20) === 0) this.latch(c, now);
        if ((value & 0x10) === 0 && !c.statusLatched) {
          c.statusLatched = true;
          c.status =
            (this.output(c, now) ? 0x80 : 0) |
            (c.armed ? 0 : 0x40) |
            (c.rwMode << 4) |
            (c.mode << 1) |
            (c.bcd ? 1 : 0);
        }
      }
      return;
    }
    const c = this.ch(sel);
    const access = (value >> 4) & 3;
    if (access === 0) {
      this.latch(c, now);
      return;
    }
    c.rwMode = access;
    c.readState = access;
    c.writeState = access;
    c.mode = (value >> 1) & 7;
    if (c.mode > 5) c.mode -= 4; // 6 and 7 alias 2 and 3
    c.bcd = (value & 1) !== 0;
    c.armed = false;
    c.nextEdgeTick = -1;
    if (sel === 0) this.clock.reschedule();
  }

  private latch(c: PitChannelState, now: number): void {
    if (c.latchState !== 0) return; // a latch holds until read
    const v = this.value(c, now);
    c.latchedCount = c.bcd ? toBcd(v % 10000) : v;
    c.latchState = c.rwMode;
  }

  private writeCounter(i: number, value: number): void {
    const c = this.ch(i);
    switch (c.writeState) {
      case RW_LSB:
        this.load(i, value);
        break;
      case RW_MSB:
        this.load(i, value << 8);
        break;
      case RW_WORD0:
        c.writeLatch = value;
        c.writeState = RW_WORD1;
        break;
      default:
        this.load(i, c.writeLatch | (value << 8));
        c.writeState = RW_WORD0;
    }
  }

  private load(i: number, raw: number): void {
    const c = this.ch(i);
    let count = c.bcd ? fromBcd(raw) : raw;
    if (count === 0) count = c.bcd ? 10000 : 0x10000;
    c.count = count;
    c.loadTime = this.clock.now();
    c.armed = true;
    c.nextEdgeTick = this.edgeAfter(c, 0);
    if (i === 0) this.clock.reschedule();
  }

  private readCounter(i: number): number {
    const c = this.ch(i);
    if (c.statusLatched) {
      c.statusLatched = false;
      return c.status;
    }
    if (c.latchState !== 0) {
      const v = c.latchedCount;
      if (c.latchState === RW_MSB) {
        c.latchState = 0;
        return (v >> 8) & 0xff;
      }
      c.latchState = c.latchState === RW_WORD0 ? RW_MSB : 0;
      return v & 0xff;
    }
    let v = this.value(c, this.clock.now());
    if (c.bcd) v = toBcd(v % 10000);
    switch (c.readState) {
      case RW_LSB:
        return v & 0xff;
      case RW_MSB:
        return (v >> 8) & 0xff;
      case RW_WORD0:
        c.readState = RW_WORD1;
        return v & 0xff;
      default:
        c.readState = RW_WORD0;
        return (v >> 8) & 0xff;
    }
  }
}
