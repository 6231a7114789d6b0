// Multiboot v1 loading: ELF32 or a.out-kludge kernels, the info structure with memory map and command line (Multiboot Specification 0.6.96).

import { EngineError } from '../bus/errors';
import type { PhysicalMemory } from '../bus/physical-memory';
import type { CpuState } from '../cpu/state';
import { CS, DS, EAX, EBX, ES, ESP, FS, GS, SS } from '../cpu/state';
import { e820Map } from './bios-system';

export const MULTIBOOT_HEADER_MAGIC = 0x1badb002;
export const MULTIBOOT_BOOTLOADER_MAGIC = 0x2badb002;

/** Where the loader puts its own data, below the kernel's usual 1 MiB load address. */
const GDT_ADDR = 0x8000;
const INFO_ADDR = 0x9000;
const MMAP_ADDR = 0x9100;
const CMDLINE_ADDR = 0x9400;
const LOADER_NAME_ADDR = 0x9c00;

/** A kernel as loaded: its entry point and the physical range it occupies. */
export interface LoadedKernel {
  entry: number;
  start: number;
  end: number;
}

const fail = (message: string) => new EngineError('bad-kernel', message);

/** Finds the Multiboot header in the first 8 KiB: its offset, or -1. */
function findHeader(image: Uint8Array, view: DataView): number {
  const limit = Math.min(image.length - 12, 8192 - 12);
  for (let off = 0; off <= limit; off += 4) {
    if (view.getUint32(off, true) !== MULTIBOOT_HEADER_MAGIC) continue;
    const flags = view.getUint32(off + 4, true);
    if ((MULTIBOOT_HEADER_MAGIC + flags + view.getUint32(off + 8, true)) >>> 0 === 0) return off;
  }
  return -1;
}

/** Copies the kernel's segments into memory; returns its entry point and extent. */
export function loadMultibootImage(mem: PhysicalMemory, image: Uint8Array): LoadedKernel {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const hdr = findHeader(image, view);
  if (hdr < 0) throw fail('no Multiboot header (magic 1BADB002h) in the first 8 KiB of the kernel');
  const flags = view.getUint32(hdr + 4, true);
  if ((flags & 0x4) !== 0) throw fail('the kernel asks for a video mode, which vmlab does not set');
  const place = (addr: number, bytes: Uint8Array, zeroTo: number) => {
    if (addr < 0x100000 && addr + bytes.length > 0x9fc00)
      throw fail('kernel overlaps the ROM area');
    if (zeroTo > mem.size) throw fail(`kernel needs memory up to ${zeroTo.toString(16)}h`);
    mem.load(addr, bytes);
    mem.bytes.fill(0, addr + bytes.length, zeroTo);
    mem.touch(addr + bytes.length, zeroTo - addr - bytes.length);
  };
  if ((flags & 0x10000) !== 0) {
    // a.out kludge: addresses from the header, the file loaded from header_addr's offset.
    const headerAddr = view.getUint32(hdr + 12, true);
    const loadAddr = view.getUint32(hdr + 16, true);
    const loadEnd =
      view.getUint32(hdr + 20, true) || loadAddr + (image.length - (hdr - (headerAddr - loadAddr)));
    const bssEnd = view.getUint32(hdr + 24, true) || loadEnd;
    const fileOffset = hdr - (headerAddr - loadAddr);
    if (fileOffset < 0) throw fail('Multiboot header_addr is below load_addr');
    place(loadAddr, image.subarray(fileOffset, fileOffset + (loadEnd - loadAddr)), bssEnd);
    return { entry: view.getUint32(hdr + 28, true), start: loadAddr, end: bssEnd };
  }
  if (view.getUint32(0, false) !== 0x7f454c46)
    throw fail('kernel is neither ELF nor an a.out-kludge Multiboot image');
  if (image[4] !== 1 || image[5] !== 1 || view.getUint16(18, true) !== 3) {
    throw fail('kernel is not a little-endian ELF32 i386 file');
  }
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (view.getUint32(ph, true) !== 1) continue; // PT_LOAD
    const offset = view.getUint32(ph + 4, true);
    const paddr = view.getUint32(ph + 12, true);
    const filesz = view.getUint32(ph + 16, true);
    const memsz = view.getUint32(ph + 20, true);
    place(paddr, image.subarray(offset, offset + filesz), paddr + memsz);
    start = Math.min(start, paddr);
    end = Math.max(end, paddr + memsz);
  }
  if (end === 0) throw fail('ELF kernel has no loadable segment');
  return { entry: view.getUint32(24, true), start, end };
}

/** Writes the Multiboot information structure; returns its address (for EBX). */
export function writeMultibootInfo(mem: PhysicalMemory, cmdline: string): number {
  const map = e820Map(mem.size);
  for (let i = INFO_ADDR; i < INFO_ADDR + 0x100; i++) mem.write8(i, 0);
  mem.write32(INFO_ADDR, 0x1 | 0x4 | 0x40 | 0x200); // mem, cmdline, mmap, boot loader name
  mem.write32(INFO_ADDR + 4, 639);
  mem.write32(INFO_ADDR + 8, Math.max(0, Math.floor(mem.size / 1024) - 1024));
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) mem.write8(at + i, s.charCodeAt(i) & 0xff);
    mem.write8(at + s.length, 0);
  };
  text(CMDLINE_ADDR, cmdline.slice(0, 0x7ff));
  mem.write32(INFO_ADDR + 16, CMDLINE_ADDR);
  map.forEach((e, i) => {
    const at = MMAP_ADDR + i * 24;
    mem.write32(at, 20);
    mem.write32(at + 4, e.base);
    mem.write32(at + 8, 0);
    mem.write32(at + 12, e.length);
    mem.write32(at + 16, 0);
    mem.write32(at + 20, e.type);
  });
  mem.write32(INFO_ADDR + 44, map.length * 24);
  mem.write32(INFO_ADDR + 48, MMAP_ADDR);
  text(LOADER_NAME_ADDR, 'vmlab');
  mem.write32(INFO_ADDR + 64, LOADER_NAME_ADDR);
  return INFO_ADDR;
}

/**
 * Puts the CPU in the state the Multiboot spec promises: protected mode, paging off,
 * flat 4 GiB code (selector 08h) and data (10h) segments from a GDT the loader wrote,
 * EAX = 2BADB002h, EBX = info address, interrupts off.
 */
export function enterProtectedMode(
  mem: PhysicalMemory,
  s: CpuState,
  entry: number,
  info: number,
): void {
  mem.write32(GDT_ADDR, 0);
  mem.write32(GDT_ADDR + 4, 0);
  mem.write32(GDT_ADDR + 8, 0x0000ffff);
  mem.write32(GDT_ADDR + 12, 0x00cf9b00); // code: base 0, limit 4 GiB, 32-bit, accessed
  mem.write32(GDT_ADDR + 16, 0x0000ffff);
  mem.write32(GDT_ADDR + 20, 0x00cf9300); // data: base 0, limit 4 GiB, writable, accessed
  s.gdtrBase = GDT_ADDR;
  s.gdtrLimit = 23;
  s.cr0 = (s.cr0 | 0x1) & 0x7fffffff;
  for (const seg of [ES, SS, DS, FS, GS]) {
    s.seg[seg] = 0x10;
    s.segBase[seg] = 0;
    s.segLimit[seg] = 0xffffffff;
    s.segAttr[seg] = 0xc093;
  }
  s.seg[CS] = 0x08;
  s.segBase[CS] = 0;
  s.segLimit[CS] = 0xffffffff;
  s.segAttr[CS] = 0xc09b;
  s.regs.fill(0);
  s.regs[EAX] = MULTIBOOT_BOOTLOADER_MAGIC;
  s.regs[EBX] = info;
  s.regs[ESP] = 0x7ff0;
  s.eip = entry >>> 0;
  s.eflags = 0x2;
  s.lazyOp = 0;
  s.halted = false;
  s.interruptShadow = false;
  s.cpl = 0;
}
