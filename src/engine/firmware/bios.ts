// vmlab's built-in PC BIOS: IVT, BIOS data area, ROM stubs and services (IBM PC/AT Technical Reference, BIOS listing).

import type { AccessSize, Device, PortRange } from '../bus/device';
import { EngineError, hex, UnimplementedError } from '../bus/errors';
import type { PhysicalMemory } from '../bus/physical-memory';
import { vectorName } from '../cpu/faults';
import { type CpuState, CS, SS } from '../cpu/state';
import { initVideo, teletype } from './bios-video';

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
const BIOS_BASE = BIOS_SEGMENT << 4;

/** The BIOS keeps its state in guest memory (IVT, BIOS data area), so it saves nothing. */
export type BiosState = Record<string, never>;

// BIOS data area (segment 0040h).
const BDA_COM1 = 0x400;
const BDA_EQUIPMENT = 0x410;
const BDA_MEMORY_KB = 0x413;

/**
 * The BIOS. It is a device on the firmware-call port and, like real firmware, runs on the
 * CPU's registers: `cpu` is the live CPU state, `screen` receives teletype text.
 */
export class Bios implements Device<BiosState> {
  readonly name = 'bios';
  readonly portRanges: readonly PortRange[];

  constructor(
    private readonly mem: PhysicalMemory,
    private readonly cpu: CpuState,
    private readonly screen: (byte: number) => void,
  ) {
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

  /** Writes the IVT, the BIOS data area, the ROM stubs and the reset vector; clears the screen. */
  install(): void {
    const mem = this.mem;
    for (let v = 0; v < 256; v++) {
      mem.write16(v * 4, STUB_OFFSET + v * 4);
      mem.write16(v * 4 + 2, BIOS_SEGMENT);
      mem.load(BIOS_BASE + STUB_OFFSET + v * 4, STUB);
    }
    mem.write16(BDA_COM1, 0x3f8);
    mem.write16(BDA_EQUIPMENT, 0x0220); // 80x25 colour, one serial port
    mem.write16(BDA_MEMORY_KB, Math.min(639, Math.floor(mem.size / 1024)));
    // Reset vector F000:FFF0: with nothing loaded, ask int 19h for a boot device.
    mem.load(BIOS_BASE + 0xfff0, [0xcd, 0x19, 0xf4]);
    mem.write8(BIOS_BASE + 0xfffe, 0xfc); // model byte: PC/AT
    initVideo(mem);
  }

  reset(): void {}

  saveState(): BiosState {
    return {};
  }

  loadState(_state: BiosState): void {}

  /** Handles a write to the firmware-call port. */
  private call(): void {
    const s = this.cpu;
    const offset = s.eip - 2 - STUB_OFFSET;
    if (s.seg[CS] !== BIOS_SEGMENT || offset < 0 || offset >= 256 * 4 || offset % 4 !== 0) return;
    this.service(offset / 4);
  }

  private service(vector: number): void {
    const ah = (this.cpu.regs[0]! >>> 8) & 0xff;
    const al = this.cpu.regs[0]! & 0xff;
    const [cs, ip] = this.caller();
    const viaInt = this.mem.read16(((cs << 4) + ip - 2) >>> 0) === (0xcd | (vector << 8));
    // Vectors 08h-0Fh are both CPU exceptions (#DF..#GP) and IRQ 0-7 in real mode. With no
    // interrupt controller yet, an entry that did not come from INT n is an exception.
    if (vector < 8 || (vector < 0x10 && !viaInt)) {
      const e = new EngineError(
        'unhandled-exception',
        `unhandled CPU exception ${vectorName(vector)} (vector ${vector}) with no guest handler`,
      );
      e.locate(cs, ip, `${hex(cs, 4)}:${hex(ip, 4)}`);
      throw e;
    }
    if ((vector >= 0x08 && vector <= 0x0f) || (vector >= 0x70 && vector <= 0x77)) return; // IRQs: EOI once a PIC exists
    if (vector === 0x1b || vector === 0x1c) return; // user hooks: Ctrl-Break, timer tick
    if (vector === 0x10 && ah === 0x0e) {
      teletype(this.mem, al);
      this.screen(al);
      return;
    }
    if (vector === 0x19) {
      throw new EngineError('no-boot-device', 'no bootable device: load a boot sector first');
    }
    const fn = vector === 0x11 || vector === 0x12 || vector === 0x18 ? '' : ` AH=${hex(ah, 2)}h`;
    const e = new UnimplementedError(
      'unimplemented-bios',
      `unimplemented BIOS service int ${hex(vector, 2)}h${fn}`,
    );
    // Point at the INT instruction rather than past it when the caller used INT n.
    const at = viaInt ? ip - 2 : ip;
    e.locate(cs, at, `${hex(cs, 4)}:${hex(at, 4)}`);
    throw e;
  }

  /** CS and IP of the interrupted code, from the frame the interrupt pushed. */
  private caller(): [number, number] {
    const s = this.cpu;
    const frame = s.segBase[SS]! + (s.regs[4]! & 0xffff);
    return [this.mem.read16(frame + 2), this.mem.read16(frame)];
  }
}
