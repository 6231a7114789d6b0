// vmlab's built-in PC BIOS: POST of the chips, IVT, BIOS data area, ROM stubs and services by vector (IBM PC/AT Technical Reference, BIOS listing).

import type { AccessSize, Device, PortRange } from '../bus/device';
import { EngineError, hex, UnimplementedError } from '../bus/errors';
import type { PhysicalMemory } from '../bus/physical-memory';
import type { PortBus } from '../bus/port-bus';
import type { Cpu } from '../cpu/cpu';
import { vectorName } from '../cpu/faults';
import { IF, setEflags } from '../cpu/flags';
import { CS, SS } from '../cpu/state';
import { cmosMemoryBytes } from '../devices/cmos-rtc';
import { IOAPIC_BASE } from '../devices/io-apic';
import { LAPIC_BASE } from '../devices/local-apic';
import type { VgaText } from '../devices/vga-text';
import { type BlockDevice, SECTOR_SIZE } from '../disks/block-device';
import { BiosCall } from './bios-call';
import { initDiskBda, int13 } from './bios-disk';
import { initKeyboardBda, int16, keyboardIrq } from './bios-keyboard';
import { int1a, int15, timerTick } from './bios-system';
import { initVideo } from './bios-video';
import { int10 } from './bios-video-services';
import { BOOT_ADDRESS, startBootSector } from './boot-sector';
import { IOAPIC_ID, writeMpTables } from './mp-table';

/**
 * How a guest enters a TypeScript BIOS service. Every IVT vector points into the F000 segment
 * at a four-byte ROM stub, `out 0xEE, al` / `iret` / `nop`. The OUT reaches the firmware-call
 * port, whose handler finds the vector from the stub's address (CS = F000h, IP just past the
 * OUT) and runs the service on the CPU registers; the IRET then returns to the caller. The
 * vectors are architecturally real: a guest can read them, hook them and chain to the stub
 * with pushf / call far, and an OUT to port EEh from anywhere else is simply ignored.
 */
export const FIRMWARE_CALL_PORT = 0xee;
export const BIOS_SEGMENT = 0xf000;
/** Offset in the F000 segment of the stub for vector 0; vector n's stub is 4 * n further. */
export const STUB_OFFSET = 0xe000;
const STUB = [0xe6, FIRMWARE_CALL_PORT, 0xcf, 0x90];
/** The timer IRQ's stub also calls the user hook: `out 0xEE, al` / `int 1Ch` / `iret`. */
const TIMER_STUB_OFFSET = 0xe800;
const TIMER_STUB = [0xe6, FIRMWARE_CALL_PORT, 0xcd, 0x1c, 0xcf];
const BIOS_BASE = BIOS_SEGMENT << 4;

/** The BIOS keeps its state in guest memory (IVT, BIOS data area), so it saves nothing. */
export type BiosState = Record<string, never>;

// BIOS data area (segment 0040h).
const BDA_COM1 = 0x400;
const BDA_COM2 = 0x402;
const BDA_EBDA_SEGMENT = 0x40e;
const BDA_EQUIPMENT = 0x410;
const BDA_MEMORY_KB = 0x413;
const EBDA_SEGMENT = 0x9fc0;

/** What the BIOS reaches: memory, the CPU it runs on, the port bus, the VGA cursor, disks. */
export interface BiosPlatform {
  mem: PhysicalMemory;
  cpu: Cpu;
  io: PortBus;
  vga: VgaText | null;
  /** Receives teletype text (int 10h AH=0Eh and AH=13h). */
  screen: (byte: number) => void;
  /** BIOS drives 80h, 81h... are the present ones among these, in order. */
  disks: readonly (BlockDevice | undefined)[];
}

/**
 * The BIOS. It is a device on the firmware-call port and, like real firmware, runs on the
 * CPU's registers and talks to the chips through their ports.
 */
export class Bios implements Device<BiosState> {
  readonly name = 'bios';
  readonly portRanges: readonly PortRange[];
  private readonly scratch = new Uint8Array(SECTOR_SIZE);

  constructor(private readonly p: BiosPlatform) {
    this.portRanges = [
      {
        base: FIRMWARE_CALL_PORT,
        length: 1,
        read: (_offset: number, size: AccessSize) =>
          size === 1 ? 0xff : size === 2 ? 0xffff : 0xffffffff,
        write: () => this.call(),
      },
    ];
  }

  /** POST: IVT, BIOS data area, ROM stubs, reset vector, MP tables; PIC, PIT, CMOS and APIC set up. */
  install(): void {
    const { mem, io } = this.p;
    for (let v = 0; v < 256; v++) {
      mem.write16(v * 4, STUB_OFFSET + v * 4);
      mem.write16(v * 4 + 2, BIOS_SEGMENT);
      mem.load(BIOS_BASE + STUB_OFFSET + v * 4, STUB);
    }
    mem.load(BIOS_BASE + TIMER_STUB_OFFSET, TIMER_STUB);
    mem.write16(8 * 4, TIMER_STUB_OFFSET);
    mem.write16(BDA_COM1, 0x3f8);
    mem.write16(BDA_COM2, 0x2f8);
    mem.write16(BDA_EQUIPMENT, 0x0420 | 0x0002); // two serial ports, 80x25 colour, FPU
    mem.write16(BDA_MEMORY_KB, Math.min(639, Math.floor(mem.size / 1024)));
    if (mem.size > 0xa0000) mem.write16(BDA_EBDA_SEGMENT, EBDA_SEGMENT);
    // Reset vector F000:FFF0: ask int 19h for a boot device.
    mem.load(BIOS_BASE + 0xfff0, [0xcd, 0x19, 0xf4]);
    mem.write8(BIOS_BASE + 0xfffe, 0xfc); // model byte: PC/AT
    initVideo(mem);
    initKeyboardBda(mem);
    initDiskBda(this.p, this.p.disks);
    writeMpTables(mem);
    // 8259 pair: vectors 08h and 70h, cascade on IR2; timer, keyboard and cascade unmasked.
    for (const [port, value] of [
      [0x20, 0x11],
      [0xa0, 0x11],
      [0x21, 0x08],
      [0xa1, 0x70],
      [0x21, 0x04],
      [0xa1, 0x02],
      [0x21, 0x01],
      [0xa1, 0x01],
      [0x21, 0xf8],
      [0xa1, 0xff],
      // 8254 channel 0: mode 3, count 65536, the 18.2 Hz tick.
      [0x43, 0x36],
      [0x40, 0x00],
      [0x40, 0x00],
    ] as const) {
      io.write(port, 1, value);
    }
    for (const [index, value] of cmosMemoryBytes(mem.size)) {
      io.write(0x70, 1, index);
      io.write(0x71, 1, value);
    }
    // Local APIC on, in virtual-wire mode (LINT0 ExtINT, LINT1 NMI); I/O APIC ID as in the MP table.
    mem.write32(LAPIC_BASE + 0xf0, 0x1ff);
    mem.write32(LAPIC_BASE + 0x350, 0x700);
    mem.write32(LAPIC_BASE + 0x360, 0x400);
    mem.write32(IOAPIC_BASE, 0);
    mem.write32(IOAPIC_BASE + 0x10, IOAPIC_ID << 24);
  }

  reset(): void {}

  saveState(): BiosState {
    return {};
  }

  loadState(_state: BiosState): void {}

  /** Handles a write to the firmware-call port. */
  private call(): void {
    const s = this.p.cpu.s;
    if (s.seg[CS] !== BIOS_SEGMENT || (s.cr0 & 1) !== 0) return;
    const at = s.eip - 2;
    if (at === TIMER_STUB_OFFSET) {
      this.service(8);
      return;
    }
    const offset = at - STUB_OFFSET;
    if (offset < 0 || offset >= 256 * 4 || offset % 4 !== 0) return;
    this.service(offset / 4);
  }

  /** The master (or slave) 8259's in-service register, read with OCW3. */
  private inService(slave: boolean): number {
    const io = this.p.io;
    const port = slave ? 0xa0 : 0x20;
    io.write(port, 1, 0x0b);
    const isr = io.read(port, 1);
    io.write(port, 1, 0x0a);
    return isr;
  }

  private eoi(slave: boolean): void {
    if (slave) this.p.io.write(0xa0, 1, 0x20);
    this.p.io.write(0x20, 1, 0x20);
  }

  private service(vector: number): void {
    const { mem, io, cpu } = this.p;
    const s = cpu.s;
    const c = new BiosCall(s, mem);
    const [cs, ip] = this.caller();
    const viaInt = mem.read16(((cs << 4) + ip - 2) >>> 0) === (0xcd | (vector << 8));
    // Vectors 08h-0Fh are both CPU exceptions (#DF..#GP) and IRQ 0-7 in real mode: an IRQ
    // has its bit in the PIC's in-service register.
    const irqVector =
      vector >= 8 && vector < 0x10 && (this.inService(false) & (1 << (vector - 8))) !== 0;
    if (!viaInt && !irqVector && (vector < 8 || (vector < 0x10 && vector !== 0x0f))) {
      const e = new EngineError(
        'unhandled-exception',
        `unhandled CPU exception ${vectorName(vector)} (vector ${vector}) with no guest handler`,
      );
      e.locate(cs, ip, `${hex(cs, 4)}:${hex(ip, 4)}`);
      throw e;
    }
    if (irqVector || (vector >= 8 && vector < 0x10 && !viaInt)) {
      if (vector === 8) timerTick(mem);
      if (vector === 9) keyboardIrq(mem, io.read(0x60, 1));
      if (irqVector) this.eoi(false);
      return;
    }
    if (vector >= 0x70 && vector <= 0x77) {
      if (vector === 0x70) {
        io.write(0x70, 1, 0x0c); // acknowledge the RTC
        io.read(0x71, 1);
      }
      if ((this.inService(true) & (1 << (vector - 0x70))) !== 0) this.eoi(true);
      return;
    }
    switch (vector) {
      case 0x10:
        if (int10(c, this.p.vga, this.p.screen)) return;
        break;
      case 0x11:
        c.set16(0, mem.read16(BDA_EQUIPMENT));
        return;
      case 0x12:
        c.set16(0, mem.read16(BDA_MEMORY_KB));
        return;
      case 0x13:
        int13(c, this.p.disks, this.scratch);
        return;
      case 0x15:
        if (int15(c, io)) return;
        break;
      case 0x16:
        if (!int16(c)) this.waitForInterrupt();
        return;
      case 0x19:
        this.boot();
        return;
      case 0x1a:
        if (int1a(c, io)) return;
        break;
      case 0x1b:
      case 0x1c:
      case 0x4a:
        return; // user hooks: Ctrl-Break, timer tick, RTC alarm
      case 0x18:
        throw new EngineError('no-boot-device', 'no bootable device (int 18h)');
    }
    const fn = vector === 0x11 || vector === 0x12 || vector === 0x18 ? '' : ` AH=${hex(c.ah, 2)}h`;
    const e = new UnimplementedError(
      'unimplemented-bios',
      `unimplemented BIOS service int ${hex(vector, 2)}h${fn}`,
    );
    // Point at the INT instruction rather than past it when the caller used INT n.
    const at = viaInt ? ip - 2 : ip;
    e.locate(cs, at, `${hex(cs, 4)}:${hex(at, 4)}`);
    throw e;
  }

  /**
   * The service must wait (a key): the CPU halts on the stub's OUT with interrupts on, so
   * the next interrupt runs, returns to the OUT and the service is asked again.
   */
  private waitForInterrupt(): void {
    const s = this.p.cpu.s;
    s.eip = (s.eip - 2) & 0xffff;
    setEflags(s, IF, IF);
    s.halted = true;
  }

  /** Int 19h: loads the first disk's MBR at 0000:7C00 and starts it with DL = 80h. */
  private boot(): void {
    const disk = this.p.disks.find((d) => d !== undefined);
    if (!disk) {
      throw new EngineError(
        'no-boot-device',
        'no bootable device: attach a disk or load a boot sector',
      );
    }
    disk.read(0, 1, this.scratch, 0);
    if (this.scratch[510] !== 0x55 || this.scratch[511] !== 0xaa) {
      throw new EngineError(
        'no-boot-device',
        'the first disk has no boot signature (55AAh at offset 510)',
      );
    }
    this.p.mem.load(BOOT_ADDRESS, this.scratch);
    startBootSector(this.p.cpu);
  }

  /** CS and IP of the interrupted code, from the frame the interrupt pushed. */
  private caller(): [number, number] {
    const s = this.p.cpu.s;
    const frame = s.segBase[SS]! + (s.regs[4]! & 0xffff);
    return [this.p.mem.read16(frame + 2), this.p.mem.read16(frame)];
  }
}
