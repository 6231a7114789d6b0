// Guest memory as a snapshot section: zero pages left out, identical pages stored once, and,
// for an incremental snapshot, only the pages that differ from the parent's memory.
import { SnapshotError } from './errors';

export const PAGE_SIZE = 4096;
const PAGE_WORDS = PAGE_SIZE / 4;
/** A record's reference meaning "this page is all zeros" (only needed against a parent). */
const ZERO_REF = 0xffffffff;
const HEADER_WORDS = 4;

/** Section layout (little-endian u32): pageSize, pageCount, poolCount, recordCount,
 *  then recordCount pairs (page index, pool index or ZERO_REF), then the pool's pages. */
export interface PageStats {
  pages: number;
  stored: number;
  zero: number;
  shared: number;
  unchanged: number;
}

function words(bytes: Uint8Array): Uint32Array {
  if (bytes.byteOffset % 4 !== 0 || bytes.length % PAGE_SIZE !== 0) {
    throw new RangeError('memory must be whole 4 KiB pages, 4-byte aligned');
  }
  return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

function isZero(w: Uint32Array, base: number): boolean {
  for (let i = base; i < base + PAGE_WORDS; i++) if (w[i] !== 0) return false;
  return true;
}

function samePage(a: Uint32Array, aBase: number, b: Uint32Array, bBase: number): boolean {
  for (let i = 0; i < PAGE_WORDS; i++) if (a[aBase + i] !== b[bBase + i]) return false;
  return true;
}

function pageHash(w: Uint32Array, base: number): number {
  let h = 0x811c9dc5;
  for (let i = base; i < base + PAGE_WORDS; i += 8) h = Math.imul(h ^ w[i]!, 0x01000193);
  // Mix the high bits down: the pool table indexes by the low bits, which in FNV depend only
  // on the low bits of the words (strided data would all land in a few slots).
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Encodes `memory`; with `parent` (same size), only pages that differ from it. The section is
 * returned as parts (header, then pages of `memory` itself, uncopied) for writeContainer to
 * copy once into the file; `memory` must not change until then.
 */
export function encodePageParts(
  memory: Uint8Array,
  parent?: Uint8Array,
): { parts: Uint8Array[]; stats: PageStats } {
  const mem = words(memory);
  const par = parent ? words(parent) : undefined;
  if (par && par.length !== mem.length) {
    throw new RangeError('an incremental snapshot needs a parent of the same memory size');
  }
  const pageCount = memory.length / PAGE_SIZE;
  const records = new Uint32Array(HEADER_WORDS + pageCount * 2);
  let recordWords = HEADER_WORDS;
  const pool: number[] = []; // page index of each pooled page's first occurrence
  const table = new PoolTable(pageCount);
  const stats: PageStats = { pages: pageCount, stored: 0, zero: 0, shared: 0, unchanged: 0 };
  for (let page = 0; page < pageCount; page++) {
    const base = page * PAGE_WORDS;
    if (par && samePage(mem, base, par, base)) {
      stats.unchanged++;
      continue;
    }
    if (isZero(mem, base)) {
      stats.zero++;
      if (par) {
        records[recordWords++] = page;
        records[recordWords++] = ZERO_REF;
      }
      continue;
    }
    const hash = pageHash(mem, base);
    let ref = -1;
    for (let slot = table.start(hash); table.used(slot); slot = table.next(slot)) {
      const c = table.refAt(slot);
      if (table.hashAt(slot) === hash && samePage(mem, base, mem, pool[c]! * PAGE_WORDS)) {
        ref = c;
        break;
      }
    }
    if (ref < 0) {
      ref = pool.length;
      pool.push(page);
      table.add(hash, ref);
      stats.stored++;
    } else {
      stats.shared++;
    }
    records[recordWords++] = page;
    records[recordWords++] = ref;
  }
  records[0] = PAGE_SIZE;
  records[1] = pageCount;
  records[2] = pool.length;
  records[3] = (recordWords - HEADER_WORDS) / 2;
  const header = new Uint8Array(records.buffer, 0, recordWords * 4);
  const parts: Uint8Array[] = [header];
  for (const page of pool) parts.push(memory.subarray(page * PAGE_SIZE, (page + 1) * PAGE_SIZE));
  return { parts, stats };
}

/** encodePageParts as one contiguous section. */
export function encodePages(
  memory: Uint8Array,
  parent?: Uint8Array,
): { section: Uint8Array; stats: PageStats } {
  const { parts, stats } = encodePageParts(memory, parent);
  const section = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    section.set(part, at);
    at += part.length;
  }
  return { section, stats };
}

/**
 * Pool pages by hash, open addressing in typed arrays: one entry per stored page, no
 * per-page allocation (a Map of arrays cost more than the hashing for filled memory).
 */
class PoolTable {
  private readonly hashes: Uint32Array;
  /** Pool index + 1 per slot; 0 marks an empty slot. */
  private readonly refs: Int32Array;
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size <<= 1;
    this.hashes = new Uint32Array(size);
    this.refs = new Int32Array(size);
    this.mask = size - 1;
  }

  /** The first slot to probe for `hash`; probing goes on with next() while used() holds. */
  start(hash: number): number {
    return hash & this.mask;
  }

  next(slot: number): number {
    return (slot + 1) & this.mask;
  }

  used(slot: number): boolean {
    return this.refs[slot] !== 0;
  }

  hashAt(slot: number): number {
    return this.hashes[slot]!;
  }

  refAt(slot: number): number {
    return this.refs[slot]! - 1;
  }

  add(hash: number, ref: number): void {
    let slot = hash & this.mask;
    while (this.refs[slot] !== 0) slot = (slot + 1) & this.mask;
    this.hashes[slot] = hash;
    this.refs[slot] = ref + 1;
  }
}

/** A memory section whose header and records have been checked (validatePages). */
export interface CheckedPages {
  section: Uint8Array;
  pageCount: number;
  headerBytes: number;
  records: Uint32Array;
  /** Records name their pages in ascending order (as encodePageParts writes them). */
  ascending: boolean;
}

/**
 * Checks a memory section for `memoryBytes` of memory without writing anything: header,
 * length, and that every record points inside memory and the page pool. A zero-page record
 * only makes sense against a parent (`incremental`).
 */
export function validatePages(
  section: Uint8Array,
  memoryBytes: number,
  incremental: boolean,
): CheckedPages {
  const corrupt = (why: string) =>
    new SnapshotError('corrupt', `memory section is corrupt: ${why}`);
  if (section.length < HEADER_WORDS * 4) throw corrupt('too short');
  const aligned = section.byteOffset % 4 === 0 ? section : new Uint8Array(section);
  const head = new Uint32Array(aligned.buffer, aligned.byteOffset, HEADER_WORDS);
  const [pageSize, pageCount, poolCount, recordCount] = head as unknown as number[];
  if (pageSize !== PAGE_SIZE) throw corrupt(`page size ${pageSize}`);
  if (pageCount! * PAGE_SIZE !== memoryBytes) {
    throw new SnapshotError(
      'mismatch',
      `the snapshot has ${(pageCount! * PAGE_SIZE) / 1048576} MiB of memory; this VM has ${memoryBytes / 1048576} MiB`,
    );
  }
  const headerBytes = (HEADER_WORDS + recordCount! * 2) * 4;
  if (aligned.length !== headerBytes + poolCount! * PAGE_SIZE) throw corrupt('wrong length');
  const records = new Uint32Array(
    aligned.buffer,
    aligned.byteOffset + HEADER_WORDS * 4,
    recordCount! * 2,
  );
  let ascending = true;
  for (let i = 0; i < records.length; i += 2) {
    const ref = records[i + 1]!;
    if (records[i]! >= pageCount! || (ref !== ZERO_REF && ref >= poolCount!)) {
      throw corrupt(`record ${i / 2} points outside memory or the page pool`);
    }
    if (ref === ZERO_REF && !incremental) throw corrupt('a zero-page record in a full snapshot');
    if (i > 0 && records[i]! <= records[i - 2]!) ascending = false;
  }
  return { section: aligned, pageCount: pageCount!, headerBytes, records, ascending };
}

/**
 * Writes checked pages into `target`. A full snapshot (`onParent` false) starts from zeros,
 * written only where no page lands; an incremental one applies its pages over `target`,
 * which already holds the parent's memory.
 */
export function applyPages(pages: CheckedPages, target: Uint8Array, onParent: boolean): void {
  const { section, headerBytes, records } = pages;
  if (!onParent && !pages.ascending) target.fill(0);
  let zeroFrom = 0; // first page not yet written, for a full snapshot with ascending records
  for (let i = 0; i < records.length; i += 2) {
    const at = records[i]! * PAGE_SIZE;
    const ref = records[i + 1]!;
    if (!onParent && pages.ascending) {
      if (zeroFrom < at) target.fill(0, zeroFrom, at);
      zeroFrom = at + PAGE_SIZE;
    }
    if (ref === ZERO_REF) target.fill(0, at, at + PAGE_SIZE);
    else
      target.set(
        section.subarray(headerBytes + ref * PAGE_SIZE, headerBytes + (ref + 1) * PAGE_SIZE),
        at,
      );
  }
  if (!onParent && pages.ascending && zeroFrom < target.length) target.fill(0, zeroFrom);
}

/**
 * Writes the memory a section describes into `target`: zeros (or a copy of `parent`, for an
 * incremental section), then the recorded pages. Validates everything before touching `target`.
 */
export function decodePages(section: Uint8Array, target: Uint8Array, parent?: Uint8Array): void {
  const pages = validatePages(section, target.length, parent !== undefined);
  if (parent && parent.length !== target.length) {
    throw new SnapshotError('wrong-parent', 'the parent snapshot has a different memory size');
  }
  if (parent) target.set(parent);
  applyPages(pages, target, parent !== undefined);
}
