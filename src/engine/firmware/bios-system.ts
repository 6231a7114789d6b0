// BIOS system services: int 15h (E820, A20, memory size), int 1Ah (ticks, RTC), int 11h/12h and the timer tick (Ralf Brown's Interrupt List; ACPI 6.4, 15.1 for E820).

import type { PhysicalMemory } from '../bus/physical-memory';
import type { PortBus } from '../bus/port-bus';
import { EAX, EBX, ECX, EDI, EDX, ES } from '../cpu/state';
import { BiosCall } from './bios-call';

const BDA_TICKS = 0x46c;
const BDA_MIDNIGHT = 0x470;
/** Ticks in a day at 1193182 / 65536 Hz. */
const TICKS_PER_DAY = 0x1800b0;
const SMAP = 0x534d4150;

/** E820 address range types. */
export const E820_RAM = 1;
export const E820_RESERVED = 2;

/** One E820 entry. */
export interface E820Entry {
  base: number;
  length: number;
  type: number;
}

/** The machine's memory map: conventional RAM, EBDA, ROM area, extended RAM, APIC pages, BIOS flash. */
export function e820Map(ramBytes: number): E820Entry[] {
  const map: E820Entry[] = [
    { base: 0, length: 0x9fc00, type: E820_RAM },
    { base: 0x9fc00, length: 0x400, type: E820_RESERVED },
    { base: 0xf0000, length: 0x10000, type: E820_RESERVED },
  ];
  if (ramBytes > 0x100000)
    map.push({ base: 0x100000, length: ramBytes - 0x100000, type: E820_RAM });
  map.push({ base: 0xfec00000, length: 0x1000, type: E820_RESERVED });
  map.push({ base: 0xfee00000, length: 0x1000, type: E820_RESERVED });
  map.push({ base: 0xfffc0000, length: 0x40000, type: E820_RESERVED });
  return map;
}

/** IRQ 0: the BDA tick counter at 40:6C, with the midnight flag at 40:70. */
export function timerTick(mem: PhysicalMemory): void {
  let t = mem.read32(BDA_TICKS) + 1;
  if (t >= TICKS_PER_DAY) {
    t = 0;
    mem.write8(BDA_MIDNIGHT, 1);
  }
  mem.write32(BDA_TICKS, t);
}

/** Int 15h: system services. Returns false for functions vmlab does not provide. */
export function int15(c: BiosCall, io: PortBus): boolean {
  const mem = c.mem;
  const ax = c.ax;
  const ah = c.ah;
  if (ax === 0xe820 && c.s.regs[EDX] === SMAP) {
    const map = e820Map(mem.size);
    const i = c.s.regs[EBX]!;
    const e = map[i];
    if (!e || c.s.regs[ECX]! < 20) {
      c.setCarry(true);
      c.setAh(0x86);
      return true;
    }
    const at = BiosCall.linear(c.s.seg[ES]!, c.s.regs[EDI]!);
    mem.write32(at, e.base);
    mem.write32(at + 4, 0);
    mem.write32(at + 8, e.length);
    mem.write32(at + 12, 0);
    mem.write32(at + 16, e.type);
    c.s.regs[EAX] = SMAP;
    c.s.regs[ECX] = 20;
    c.s.regs[EBX] = i + 1 < map.length ? i + 1 : 0;
    c.setCarry(false);
    return true;
  }
  if (ax === 0xe801) {
    const kb = Math.floor(mem.size / 1024);
    const low = Math.min(0x3c00, Math.max(0, kb - 1024));
    const high = Math.max(0, Math.floor((mem.size - 16 * 1024 * 1024) / 65536));
    c.set16(EAX, low);
    c.set16(ECX, low);
    c.set16(EBX, high);
    c.set16(EDX, high);
    c.setCarry(false);
    return true;
  }
  if (ah === 0x24) {
    const sub = c.al;
    if (sub === 0 || sub === 1) {
      io.write(0x92, 1, (io.read(0x92, 1) & ~0x03) | (sub === 1 ? 0x02 : 0));
      c.setAh(0);
    } else if (sub === 2) {
      c.setAh(0);
      c.setAl(mem.a20Enabled ? 1 : 0);
    } else if (sub === 3) {
      c.setAh(0);
      c.set16(EBX, 0x0003); // keyboard controller and port 92h
    } else {
      c.setAh(0x86);
      c.setCarry(true);
      return true;
    }
    c.setCarry(false);
    return true;
  }
  if (ah === 0x88) {
    c.set16(EAX, Math.min(0xffff, Math.max(0, Math.floor(mem.size / 1024) - 1024)));
    c.setCarry(false);
    return true;
  }
  if (ah === 0x86 || ah === 0x4f || ah === 0x91 || ah === 0x90) {
    c.setCarry(ah === 0x4f); // wait: no delay in virtual time; 4Fh: keep the scancode
    if (ah !== 0x4f) c.setAh(0);
    return true;
  }
  if (ah === 0xc0 || ah === 0x53 || ah === 0xec) {
    c.setAh(0x86); // no configuration table, no APM
    c.setCarry(true);
    return true;
  }
  return false;
}

const readCmos = (io: PortBus, index: number) => {
  io.write(0x70, 1, index);
  return io.read(0x71, 1);
};

/** Int 1Ah: tick count and the RTC. Returns false for functions vmlab does not provide. */
export function int1a(c: BiosCall, io: PortBus): boolean {
  const mem = c.mem;
  switch (c.ah) {
    case 0x00: {
      const t = mem.read32(BDA_TICKS);
      c.set16(ECX, t >>> 16);
      c.set16(EDX, t & 0xffff);
      c.setAl(mem.read8(BDA_MIDNIGHT));
      mem.write8(BDA_MIDNIGHT, 0);
      return true;
    }
    case 0x01:
      mem.write32(BDA_TICKS, ((c.cx << 16) | c.dx) >>> 0);
      mem.write8(BDA_MIDNIGHT, 0);
      return true;
    case 0x02:
      c.set8(ECX, true, readCmos(io, 4));
      c.set8(ECX, false, readCmos(io, 2));
      c.set8(EDX, true, readCmos(io, 0));
      c.set8(EDX, false, 0);
      c.setCarry(false);
      return true;
    case 0x04:
      c.set8(ECX, true, readCmos(io, 0x32));
      c.set8(ECX, false, readCmos(io, 9));
      c.set8(EDX, true, readCmos(io, 8));
      c.set8(EDX, false, readCmos(io, 7));
      c.setCarry(false);
      return true;
    default:
      return false;
  }
}
