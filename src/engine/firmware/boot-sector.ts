// Starting a boot sector as a PC BIOS does: image at 0000:7C00, real mode, DL = boot drive (BIOS Boot Specification 1.01).

import { EngineError } from '../bus/errors';
import type { PhysicalMemory } from '../bus/physical-memory';
import type { Cpu } from '../cpu/cpu';
import { IF, setEflags } from '../cpu/flags';
import { loadSegment } from '../cpu/segmentation';
import { CS, DS, EDX, ES, ESP, FS, GS, SS } from '../cpu/state';

/** Where a BIOS loads the boot sector. */
export const BOOT_ADDRESS = 0x7c00;
/** Boot code must stay below the extended BIOS data area at 9FC00h. */
export const BOOT_LIMIT = 0x9fc00;
/** Drive number passed in DL: the first hard disk. */
export const BOOT_DRIVE = 0x80;

/**
 * Copies `image` (the whole file, not just 512 bytes) to 0x7C00 and sets the CPU as a BIOS
 * leaves it for a boot sector: CS:IP = 0000:7C00, DS = ES = SS = 0, SP = 7C00h, DL = 80h,
 * interrupts enabled. Throws an EngineError if the image does not fit below 9FC00h.
 */
export function loadBootSector(mem: PhysicalMemory, cpu: Cpu, image: Uint8Array): void {
  if (image.length > BOOT_LIMIT - BOOT_ADDRESS || BOOT_ADDRESS + image.length > mem.size) {
    throw new EngineError(
      'image-too-large',
      `boot image of ${image.length} bytes does not fit between 7C00h and 9FC00h`,
    );
  }
  mem.load(BOOT_ADDRESS, image);
  startBootSector(cpu);
}

/** Sets the CPU as a BIOS leaves it for a boot sector already at 7C00h (int 19h's last step). */
export function startBootSector(cpu: Cpu): void {
  const s = cpu.s;
  s.regs.fill(0);
  s.regs[EDX] = BOOT_DRIVE;
  s.regs[ESP] = BOOT_ADDRESS;
  for (const seg of [ES, DS, FS, GS]) loadSegment(cpu, seg, 0);
  loadSegment(cpu, SS, 0);
  s.seg[CS] = 0;
  s.segBase[CS] = 0;
  s.eip = BOOT_ADDRESS;
  s.interruptShadow = false;
  s.halted = false;
  setEflags(s, IF | 0x2, 0xffffffff);
}
