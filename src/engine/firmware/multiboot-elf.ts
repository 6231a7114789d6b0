// Builds minimal ELF32 Multiboot kernels from 32-bit assembly: tests and examples of the loader (ELF spec, Multiboot 0.6.96 section 3.1).

import { assemble } from '../assembler/assembler';
import { MULTIBOOT_HEADER_MAGIC } from './multiboot';

/** Assembles `code32` behind a Multiboot header into an ELF32 file loaded at 1 MiB, with `bss` zeroed bytes after it. */
export function multibootElf(code32: string, bss = 0): Uint8Array {
  const loadAddr = 0x100000;
  const codeOffset = 96;
  const out = assemble(`bits 32\norg ${loadAddr + codeOffset}\n${code32}`);
  if (!out.ok) throw new Error(out.diagnostics.map((d) => d.message).join('; '));
  const file = new Uint8Array(codeOffset + out.bytes.length);
  const v = new DataView(file.buffer);
  file.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]); // ELF, 32-bit, little-endian, version 1
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 3, true); // EM_386
  v.setUint32(20, 1, true);
  v.setUint32(24, loadAddr + codeOffset, true); // entry
  v.setUint32(28, 52, true); // phoff
  v.setUint16(40, 52, true);
  v.setUint16(42, 32, true);
  v.setUint16(44, 1, true);
  v.setUint32(52, 1, true); // PT_LOAD
  v.setUint32(56, 0, true);
  v.setUint32(60, loadAddr, true);
  v.setUint32(64, loadAddr, true);
  v.setUint32(68, file.length, true);
  v.setUint32(72, file.length + bss, true);
  v.setUint32(76, 5, true);
  v.setUint32(84, MULTIBOOT_HEADER_MAGIC, true);
  v.setUint32(88, 0x3, true);
  v.setUint32(92, -(MULTIBOOT_HEADER_MAGIC + 3) >>> 0, true);
  file.set(out.bytes, codeOffset);
  return file;
}
