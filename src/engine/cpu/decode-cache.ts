// The fast tier's decoded-instruction cache, keyed by physical address (DESIGN.md 2.1 "Speed").

import type { PhysicalMemory } from '../bus/physical-memory';
import { DecodedInstruction } from './decoded-instruction';

const SLOTS = 1 << 15;
const MASK = SLOTS - 1;

/**
 * Decoded instructions by the physical address of their first byte, direct-mapped. An entry
 * is valid while its frame's write generation (PhysicalMemory.frameGen) is the one it was
 * decoded at: any write to a frame holding decoded code (the instruction itself, DMA, the
 * IDE device, firmware loading an image, snapshot restore) bumps it. When the generation
 * moved, the entry's bytes are compared with RAM, so data written next to code costs a
 * compare, not a decode. Never saved: it is derived state.
 */
export class DecodeCache {
  private readonly slots: (DecodedInstruction | undefined)[] = new Array(SLOTS).fill(undefined);

  constructor(private readonly mem: PhysicalMemory) {}

  /** The cached decode of the instruction at `phys` for code size `size`, or null. */
  lookup(phys: number, size: number): DecodedInstruction | null {
    const d = this.slots[(phys ^ (phys >>> 15)) & MASK];
    if (d === undefined || d.cachePhys !== phys || d.cacheSize !== size) return null;
    const mem = this.mem;
    const frame = phys >>> 12;
    const gen = mem.frameGen[frame]!;
    if (d.cacheGen === gen) return d;
    const ram = mem.bytes;
    const bytes = d.bytes;
    const n = d.length;
    for (let i = 0; i < n; i++) if (ram[phys + i] !== bytes[i]) return null;
    d.cacheGen = gen;
    mem.codeFrames[frame] = 1;
    return d;
  }

  /** An object to decode the instruction at `phys` into, untagged until `tag` is called. */
  claim(phys: number): DecodedInstruction {
    const i = (phys ^ (phys >>> 15)) & MASK;
    let d = this.slots[i];
    if (d === undefined) {
      d = new DecodedInstruction();
      this.slots[i] = d;
    }
    d.cachePhys = -1;
    return d;
  }

  /** Marks `d` (from claim, decoded from RAM at `phys` inside one frame) valid for code size `size`. */
  tag(d: DecodedInstruction, phys: number, size: number): void {
    const frame = phys >>> 12;
    d.cachePhys = phys;
    d.cacheSize = size;
    d.cacheGen = this.mem.frameGen[frame]!;
    this.mem.codeFrames[frame] = 1;
  }
}
