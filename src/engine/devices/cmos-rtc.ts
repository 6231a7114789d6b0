// Motorola MC146818A real-time clock and CMOS RAM at 70h/71h (MC146818A datasheet; IBM PC/AT CMOS map).

import type { AccessSize, Clock, Device, IrqLine, PortRange, TimerDevice } from '../bus/device';

/** Saved state of the RTC and its CMOS RAM. */
export interface CmosRtcState {
  /** Selected register (port 70h bits 0-6). */
  index: number;
  /** Port 70h bit 7: NMI disabled. */
  nmiMasked: boolean;
  /** The 128 bytes of CMOS RAM; time registers in it are computed, not read from here. */
  ram: number[];
  /** Guest-set time minus host-provided time, in milliseconds. */
  offsetMs: number;
  /** Virtual time (ns) of the next periodic and update-ended events, -1 when off. */
  nextPeriodic: number;
  nextUpdate: number;
}

/** Default wall-clock time at virtual time 0: 2026-01-01 00:00:00 UTC, so runs are deterministic. */
export const DEFAULT_RTC_EPOCH_MS = Date.UTC(2026, 0, 1, 0, 0, 0);

const REG_A = 0x0a;
const REG_B = 0x0b;
const REG_C = 0x0c;
const REG_D = 0x0d;
const REG_CENTURY = 0x32;
const B_SET = 0x80;
const B_PIE = 0x40;
const B_AIE = 0x20;
const B_UIE = 0x10;
const B_DM_BINARY = 0x04;
const B_24H = 0x02;
const C_IRQF = 0x80;
const C_PF = 0x40;
const C_AF = 0x20;
const C_UF = 0x10;
const SECOND_NS = 1e9;
/** The update-in-progress bit is set for the last 244 µs before each update. */
const UIP_NS = 244_000;

/** CMOS memory layout bytes the firmware fills in from the machine's RAM size. */
export function cmosMemoryBytes(ramBytes: number): Array<[number, number]> {
  const kb = Math.floor(ramBytes / 1024);
  const ext = Math.min(0xffff, Math.max(0, kb - 1024)); // KiB above 1 MiB, capped
  const above16 = Math.min(0xffff, Math.max(0, Math.floor((ramBytes - 16 * 1024 * 1024) / 65536)));
  return [
    [0x10, 0x00], // no floppy drives
    [0x14, 0x06], // equipment: VGA, coprocessor
    [0x15, 640 & 0xff],
    [0x16, 640 >> 8],
    [0x17, ext & 0xff],
    [0x18, ext >> 8],
    [0x30, ext & 0xff],
    [0x31, ext >> 8],
    [0x34, above16 & 0xff],
    [0x35, above16 >> 8],
  ];
}

/**
 * The RTC. Time comes from `epochMs` (an injected wall-clock value, fixed by default) plus
 * virtual time, so a run reads the same clock every time. Periodic (register A rate) and
 * update-ended interrupts raise IRQ 8 on virtual-time deadlines; reading register C clears them.
 */
export class CmosRtc implements Device<CmosRtcState>, TimerDevice {
  readonly name = 'cmos-rtc';
  readonly portRanges: readonly PortRange[];
  private st: CmosRtcState;
  /** IRQ 8 events raised, for --stats. */
  interrupts = 0;

  constructor(
    private readonly clock: Clock,
    private readonly irq8: IrqLine,
    private readonly epochMs = DEFAULT_RTC_EPOCH_MS,
  ) {
    this.st = this.powerOn();
    this.portRanges = [
      {
        base: 0x70,
        length: 2,
        read: (offset: number, _size: AccessSize) => (offset === 0 ? 0xff : this.readReg()),
        write: (offset: number, _size: AccessSize, value: number) => {
          if (offset === 0) {
            this.st.index = value & 0x7f;
            this.st.nmiMasked = (value & 0x80) !== 0;
          } else {
            this.writeReg(value & 0xff);
          }
        },
      },
    ];
  }

  private powerOn(): CmosRtcState {
    const ram = new Array<number>(128).fill(0);
    ram[REG_A] = 0x26; // 32.768 kHz time base, 1024 Hz periodic rate
    ram[REG_B] = B_24H;
    ram[REG_D] = 0x80; // valid RAM and time
    return {
      index: 0,
      nmiMasked: false,
      ram,
      offsetMs: 0,
      nextPeriodic: -1,
      nextUpdate: -1,
    };
  }

  /** True while port 70h bit 7 blocks NMIs. */
  get nmiMasked(): boolean {
    return this.st.nmiMasked;
  }

  /** Sets a CMOS RAM byte (firmware setup of the memory-size and equipment bytes). */
  setByte(index: number, value: number): void {
    this.st.ram[index & 0x7f] = value & 0xff;
  }

  reset(): void {
    this.st = this.powerOn();
    this.interrupts = 0;
    this.irq8.set(false);
    this.clock.reschedule();
  }

  saveState(): CmosRtcState {
    return { ...this.st, ram: [...this.st.ram] };
  }

  loadState(state: CmosRtcState): void {
    this.st = { ...state, ram: [...state.ram] };
    this.clock.reschedule();
  }

  nextDeadline(): number {
    const p = this.st.nextPeriodic;
    const u = this.st.nextUpdate;
    return Math.min(p < 0 ? Number.POSITIVE_INFINITY : p, u < 0 ? Number.POSITIVE_INFINITY : u);
  }

  advance(now: number): void {
    const st = this.st;
    const ram = st.ram;
    let raise = false;
    if (st.nextPeriodic >= 0 && now >= st.nextPeriodic) {
      ram[REG_C]! |= C_PF;
      if ((ram[REG_B]! & B_PIE) !== 0) raise = true;
      st.nextPeriodic = this.periodicAfter(now);
    }
    if (st.nextUpdate >= 0 && now >= st.nextUpdate) {
      ram[REG_C]! |= C_UF;
      if ((ram[REG_B]! & B_UIE) !== 0) raise = true;
      if ((ram[REG_B]! & B_AIE) !== 0 && this.alarmMatches()) {
        ram[REG_C]! |= C_AF;
        raise = true;
      }
      st.nextUpdate = this.updateAfter(now);
    }
    if (raise) {
      ram[REG_C]! |= C_IRQF;
      this.interrupts++;
      this.irq8.set(true);
    }
  }

  /** Current wall-clock time in ms as the guest sees it. */
  private wallMs(): number {
    return this.epochMs + this.st.offsetMs + Math.floor(this.clock.now() / 1e6);
  }

  /** Period of the periodic interrupt in ns from register A's rate, 0 when off. */
  private periodNs(): number {
    const rate = this.st.ram[REG_A]! & 0x0f;
    if (rate === 0) return 0;
    const hz = rate <= 2 ? 32768 >> (rate + 6) : 32768 >> (rate - 1);
    return SECOND_NS / hz;
  }

  private periodicAfter(now: number): number {
    const p = this.periodNs();
    if (p === 0 || (this.st.ram[REG_B]! & B_PIE) === 0) return -1;
    return (Math.floor(now / p) + 1) * p;
  }

  private updateAfter(now: number): number {
    const b = this.st.ram[REG_B]!;
    if ((b & (B_UIE | B_AIE)) === 0 || (b & B_SET) !== 0) return -1;
    const msIntoSecond = this.wallMs() % 1000;
    return now + (1000 - msIntoSecond) * 1e6;
  }

  private alarmMatches(): boolean {
    const ram = this.st.ram;
    const t = new Date(this.wallMs());
    const match = (reg: number, v: number) =>
      (ram[reg]! & 0xc0) === 0xc0 || ram[reg] === this.encode(v);
    return match(1, t.getUTCSeconds()) && match(3, t.getUTCMinutes()) && match(5, t.getUTCHours());
  }

  private encode(v: number): number {
    return (this.st.ram[REG_B]! & B_DM_BINARY) !== 0 ? v : ((v / 10) << 4) | (v % 10);
  }

  private decode(v: number): number {
    return (this.st.ram[REG_B]! & B_DM_BINARY) !== 0 ? v : (v >> 4) * 10 + (v & 0x0f);
  }

  private encodeHour(h: number): number {
    if ((this.st.ram[REG_B]! & B_24H) !== 0) return this.encode(h);
    const pm = h >= 12 ? 0x80 : 0;
    return this.encode(h % 12 === 0 ? 12 : h % 12) | pm;
  }

  private decodeHour(v: number): number {
    if ((this.st.ram[REG_B]! & B_24H) !== 0) return this.decode(v);
    const h = this.decode(v & 0x7f) % 12;
    return (v & 0x80) !== 0 ? h + 12 : h;
  }

  private readReg(): number {
    const st = this.st;
    const i = st.index;
    if (i <= 9 || i === REG_CENTURY) {
      if (i === 1 || i === 3 || i === 5) return st.ram[i]!;
      const t = new Date(this.wallMs());
      switch (i) {
        case 0:
          return this.encode(t.getUTCSeconds());
        case 2:
          return this.encode(t.getUTCMinutes());
        case 4:
          return this.encodeHour(t.getUTCHours());
        case 6:
          return this.encode(t.getUTCDay() + 1);
        case 7:
          return this.encode(t.getUTCDate());
        case 8:
          return this.encode(t.getUTCMonth() + 1);
        case 9:
          return this.encode(t.getUTCFullYear() % 100);
        default:
          return this.encode(Math.floor(t.getUTCFullYear() / 100));
      }
    }
    if (i === REG_A) {
      const uip = (1000 - (this.wallMs() % 1000)) * 1e6 <= UIP_NS ? 0x80 : 0;
      return (st.ram[REG_A]! & 0x7f) | uip;
    }
    if (i === REG_C) {
      const c = st.ram[REG_C]!;
      st.ram[REG_C] = 0;
      this.irq8.set(false);
      return c;
    }
    return st.ram[i]!;
  }

  private writeReg(value: number): void {
    const st = this.st;
    const i = st.index;
    if (i <= 9 || i === REG_CENTURY) {
      if (i === 1 || i === 3 || i === 5) {
        st.ram[i] = value;
        return;
      }
      this.setTimeField(i, value);
      return;
    }
    if (i === REG_C || i === REG_D) return; // read-only
    st.ram[i] = i === REG_A ? value & 0x7f : value;
    if (i === REG_A || i === REG_B) {
      const now = this.clock.now();
      st.nextPeriodic = this.periodicAfter(now);
      st.nextUpdate = this.updateAfter(now);
      this.clock.reschedule();
    }
  }

  /** Writes one time/date register by moving the guest's clock offset. */
  private setTimeField(i: number, value: number): void {
    const t = new Date(this.wallMs());
    const v = i === 4 ? this.decodeHour(value) : this.decode(value);
    switch (i) {
      case 0:
        t.setUTCSeconds(v);
        break;
      case 2:
        t.setUTCMinutes(v);
        break;
      case 4:
        t.setUTCHours(v);
        break;
      case 7:
        t.setUTCDate(v);
        break;
      case 8:
        t.setUTCMonth(v - 1);
        break;
      case 9:
        t.setUTCFullYear(Math.floor(t.getUTCFullYear() / 100) * 100 + v);
        break;
      case REG_CENTURY:
        t.setUTCFullYear(v * 100 + (t.getUTCFullYear() % 100));
        break;
      default:
        return; // day of week follows the date
    }
    this.st.offsetMs += t.getTime() - this.wallMs();
  }
}
