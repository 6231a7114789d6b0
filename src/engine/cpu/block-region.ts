// The fast tier's translation unit: the hot blocks of one physical frame in one JS function, which moves between them without returning (DESIGN.md 2.1 "Speed").

import type { PhysicalMemory } from '../bus/physical-memory';
import type { Block } from './block-cache';
import { type BlockFn, compileRegion } from './block-compiler';

/** Most blocks one region holds. */
const MAX_MEMBERS = 64;

/**
 * A region: translated code for blocks at known offsets of frame `frame`, decoded with code
 * size `size` from the frame's contents at write generation `gen`. Its code stays right while
 * RAM still holds the bytes it was made from (`spans`, copies of each member's bytes); the
 * Block objects it was made from may be rebuilt for other code meanwhile (cache slots are
 * reused), which does not matter to it.
 */
export class Region {
  gen: number;
  private readonly spans: { phys: number; code: Uint8Array }[];

  constructor(
    readonly fn: BlockFn,
    readonly frame: number,
    readonly size: number,
    gen: number,
    readonly members: readonly Block[],
  ) {
    this.gen = gen;
    this.spans = members.map((b) => ({ phys: b.phys, code: b.code }));
  }

  /** Physical address each member had when the region was made (its Block may be reused since). */
  memberPhys(k: number): number {
    return this.spans[k]!.phys;
  }

  /** True when RAM still holds every member's bytes (then the region is valid at `gen`). */
  refresh(mem: PhysicalMemory, gen: number): boolean {
    const ram = mem.bytes;
    for (const { phys, code } of this.spans) {
      for (let i = 0; i < code.length; i++) if (ram[phys + i] !== code[i]) return false;
    }
    this.gen = gen;
    return true;
  }
}

/** True when `b` can join a region of `frame`, `size` and `gen`. */
function eligible(b: Block | null, phys: number, frame: number, size: number, gen: number) {
  return (
    b !== null &&
    b.phys === phys &&
    b.phys >>> 12 === frame &&
    b.size === size &&
    b.gen === gen &&
    b.insns.length > 0
  );
}

/**
 * Translates `hot` together with the blocks of its frame reachable from it through the links
 * of earlier chains (block-chain.ts) or through the regions they already belong to (so regions
 * of a frame grow into one), and points every member at the new region. Throws where the host
 * forbids `new Function`.
 */
export function translateRegion(hot: Block, mem: PhysicalMemory): void {
  const frame = hot.phys >>> 12;
  const gen = mem.frameGen[frame]!;
  const members: Block[] = [hot];
  const seen = new Set<number>([hot.phys]);
  for (let k = 0; k < members.length && members.length < MAX_MEMBERS; k++) {
    const b = members[k]!;
    const links: [Block | null, number][] = [
      [b.next0, b.next0Phys],
      [b.next1, b.next1Phys],
    ];
    const region = b.region;
    if (region !== null && region.gen === gen) {
      region.members.forEach((m, j) => {
        links.push([m, region.memberPhys(j)]);
      });
    }
    for (const [next, phys] of links) {
      if (!eligible(next, phys, frame, hot.size, gen) || seen.has(phys)) continue;
      seen.add(phys);
      members.push(next!);
    }
  }
  const fn = compileRegion(
    members.map((b) => ({ insns: b.insns, at: b.phys & 0xfff, length: b.length })),
    frame,
  );
  const region = new Region(fn, frame, hot.size, gen, members);
  for (const b of members) {
    b.fn = fn;
    b.region = region;
  }
}
