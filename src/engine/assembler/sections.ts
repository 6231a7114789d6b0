// Section placement for NASM's flat binary format: progbits in order, then nobits (NASM manual 8.1.3).

/** A section's layout attributes (constants) and its size in the current pass. */
export interface SectionInfo {
  name: string;
  nobits: boolean;
  /** Alignment from align= and from ALIGN directives inside the section. */
  align: number;
  start?: number;
  vstart?: number;
  follows?: string;
  vfollows?: string;
  size: number;
  /** An ABSOLUTE block: addresses from vstart, never placed in the output. */
  absolute?: boolean;
  /** Placement computed by `layout`: load address and the address labels use. */
  loadAt: number;
  vaddr: number;
}

const alignUp = (v: number, a: number) => (a > 1 ? Math.ceil(v / a) * a : v);

/** Creates a section with the bin format's defaults (.bss is nobits; alignment 4). */
export function newSection(name: string): SectionInfo {
  return {
    name,
    nobits: name === '.bss',
    align: 4,
    size: 0,
    loadAt: 0,
    vaddr: 0,
  };
}

/**
 * Places the sections: the first at ORG (unless start=), the other progbits sections after
 * it in order of definition, aligned, then the nobits ones. Returns the sections in load order.
 */
export function layout(sections: SectionInfo[], origin: number): SectionInfo[] {
  for (const s of sections) if (s.absolute) s.vaddr = s.vstart ?? 0;
  const progbits = sections.filter((s) => !s.nobits);
  const nobits = sections.filter((s) => s.nobits && !s.absolute);
  const order = [...progbits, ...nobits];
  const byName = new Map(sections.map((s) => [s.name, s]));
  let pos = origin;
  order.forEach((s, i) => {
    const after = s.follows ? byName.get(s.follows) : undefined;
    if (after) pos = after.loadAt + after.size;
    if (s.start !== undefined) s.loadAt = s.start;
    else s.loadAt = i === 0 ? origin : alignUp(pos, s.align);
    pos = s.loadAt + s.size;
  });
  let prev: SectionInfo | undefined;
  for (const s of order) {
    // nobits sections follow the previous section's virtual end (NASM's implicit vfollows).
    const vafter = s.vfollows
      ? byName.get(s.vfollows)
      : s.nobits && s.start === undefined
        ? prev
        : undefined;
    if (s.vstart !== undefined) s.vaddr = s.vstart;
    else if (vafter) s.vaddr = alignUp(vafter.vaddr + vafter.size, s.align);
    else s.vaddr = s.loadAt;
    prev = s;
  }
  return order;
}
