// The MP floating pointer and configuration table: one CPU, the ISA bus, the I/O APIC and its routing (Intel MultiProcessor Specification 1.4, chapter 4).

import type { PhysicalMemory } from '../bus/physical-memory';
import { IOAPIC_BASE } from '../devices/io-apic';
import { LAPIC_BASE } from '../devices/local-apic';

/** Where the floating pointer goes: in the BIOS ROM area F0000h-FFFFFh, 16-byte aligned. */
export const MP_FLOATING_POINTER = 0xfa000;
const MP_CONFIG_TABLE = MP_FLOATING_POINTER + 0x10;
/** The I/O APIC's ID in the table (the local APIC is 0). */
export const IOAPIC_ID = 1;

/** Makes the bytes from `start` to `end` sum to zero by setting the byte at `at`. */
function checksum(mem: PhysicalMemory, start: number, end: number, at: number): void {
  mem.write8(at, 0);
  let sum = 0;
  for (let a = start; a < end; a++) sum += mem.read8(a);
  mem.write8(at, (0x100 - (sum & 0xff)) & 0xff);
}

function ascii(mem: PhysicalMemory, at: number, text: string, length: number): void {
  const padded = text.padEnd(length, ' ');
  for (let i = 0; i < length; i++) mem.write8(at + i, padded.charCodeAt(i));
}

/**
 * Writes the MP tables: a processor entry (the bootstrap CPU, local APIC 0), bus 0 "ISA",
 * the I/O APIC, ISA IRQs 0-15 routed to its pins (IRQ 0 to pin 2, ExtINT on pin 0), and
 * LINT0 = ExtINT, LINT1 = NMI. Returns the table's length.
 */
export function writeMpTables(mem: PhysicalMemory): number {
  const entries: number[][] = [];
  const u16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];
  const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
  // Processor: enabled bootstrap processor, family 6 signature, FPU and APIC features.
  entries.push([0, 0, 0x14, 0x03, ...u32(0x0663), ...u32(0x0201), ...u32(0), ...u32(0)]);
  entries.push([1, 0, ...[...'ISA   '].map((c) => c.charCodeAt(0))]);
  entries.push([2, IOAPIC_ID, 0x11, 0x01, ...u32(IOAPIC_BASE)]);
  const intEntry = (type: number, irq: number, pin: number) => [
    3,
    type,
    ...u16(0),
    0,
    irq,
    IOAPIC_ID,
    pin,
  ];
  entries.push(intEntry(3, 0, 0)); // ExtINT from the 8259 on pin 0
  for (let irq = 0; irq < 16; irq++) {
    if (irq === 2) continue; // the cascade
    entries.push(intEntry(0, irq, irq === 0 ? 2 : irq));
  }
  entries.push([4, 3, ...u16(0), 0, 0, 0xff, 0]); // ExtINT to LINT0 of every local APIC
  entries.push([4, 1, ...u16(0), 0, 0, 0xff, 1]); // NMI to LINT1
  const body = entries.flat();
  const length = 44 + body.length;
  const t = MP_CONFIG_TABLE;
  ascii(mem, t, 'PCMP', 4);
  mem.write16(t + 4, length);
  mem.write8(t + 6, 4); // spec revision 1.4
  ascii(mem, t + 8, 'VMLAB', 8);
  ascii(mem, t + 16, 'VMLAB PC', 12);
  mem.write32(t + 28, 0);
  mem.write16(t + 32, 0);
  mem.write16(t + 34, entries.length);
  mem.write32(t + 36, LAPIC_BASE);
  mem.write16(t + 40, 0);
  mem.write8(t + 42, 0);
  mem.write8(t + 43, 0);
  mem.load(t + 44, body);
  checksum(mem, t, t + length, t + 7);
  const f = MP_FLOATING_POINTER;
  ascii(mem, f, '_MP_', 4);
  mem.write32(f + 4, MP_CONFIG_TABLE);
  mem.write8(f + 8, 1); // length in paragraphs
  mem.write8(f + 9, 4);
  for (let i = 11; i < 16; i++) mem.write8(f + i, 0); // table present, virtual-wire mode
  checksum(mem, f, f + 16, f + 10);
  return length;
}
