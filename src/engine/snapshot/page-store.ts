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
  return h >>> 0;
}

/** Encodes `memory`; with `parent` (same size), only pages that differ from it. */
export function encodePages(
  memory: Uint8Array,
  parent?: Uint8Array,
): { section: Uint8Array; stats: PageStats } {
  const mem = words(memory);
  const par = parent ? words(parent) : undefined;
  if (par && par.length !== mem.length) {
    throw new RangeError('an incremental snapshot needs a parent of the same memory size');
  }
  const pageCount = memory.length / PAGE_SIZE;
  const records: number[] = [];
  const pool: number[] = []; // page index of each pooled page's first occurrence
  const byHash = new Map<number, number[]>();
  const stats: PageStats = { pages: pageCount, stored: 0, zero: 0, shared: 0, unchanged: 0 };
  for (let page = 0; page < pageCount; page++) {
    const base = page * PAGE_WORDS;
    if (par && samePage(mem, base, par, base)) {
      stats.unchanged++;
      continue;
    }
    if (isZero(mem, base)) {
      stats.zero++;
      if (par) records.push(page, ZERO_REF);
      continue;
    }
    const hash = pageHash(mem, base);
    const candidates = byHash.get(hash);
    let ref = -1;
    if (candidates) {
      for (const c of candidates) {
        if (samePage(mem, base, mem, pool[c]! * PAGE_WORDS)) {
          ref = c;
          break;
        }
      }
    }
    if (ref < 0) {
      ref = pool.length;
      pool.push(page);
      if (candidates) candidates.push(ref);
      else byHash.set(hash, [ref]);
      stats.stored++;
    } else {
      stats.shared++;
    }
    records.push(page, ref);
  }
  const headerBytes = (HEADER_WORDS + records.length) * 4;
  const section = new Uint8Array(headerBytes + pool.length * PAGE_SIZE);
  const head = new Uint32Array(section.buffer, 0, HEADER_WORDS + records.length);
  head[0] = PAGE_SIZE;
  head[1] = pageCount;
  head[2] = pool.length;
  head[3] = records.length / 2;
  head.set(records, HEADER_WORDS);
  pool.forEach((page, i) => {
    section.set(
      memory.subarray(page * PAGE_SIZE, (page + 1) * PAGE_SIZE),
      headerBytes + i * PAGE_SIZE,
    );
  });
  return { section, stats };
}

/**
 * Writes the memory a section describes into `target`: zeros (or a copy of `parent`, for an
 * incremental section), then the recorded pages. Validates everything before touching `target`.
 */
export function decodePages(section: Uint8Array, target: Uint8Array, parent?: Uint8Array): void {
  const corrupt = (why: string) =>
    new SnapshotError('corrupt', `memory section is corrupt: ${why}`);
  if (section.length < HEADER_WORDS * 4) throw corrupt('too short');
  const aligned = section.byteOffset % 4 === 0 ? section : new Uint8Array(section);
  const head = new Uint32Array(aligned.buffer, aligned.byteOffset, HEADER_WORDS);
  const [pageSize, pageCount, poolCount, recordCount] = head as unknown as number[];
  if (pageSize !== PAGE_SIZE) throw corrupt(`page size ${pageSize}`);
  if (pageCount! * PAGE_SIZE !== target.length) {
    throw new SnapshotError(
      'mismatch',
      `the snapshot has ${(pageCount! * PAGE_SIZE) / 1048576} MiB of memory; this VM has ${target.length / 1048576} MiB`,
    );
  }
  const headerBytes = (HEADER_WORDS + recordCount! * 2) * 4;
  if (aligned.length !== headerBytes + poolCount! * PAGE_SIZE) throw corrupt('wrong length');
  const recs = new Uint32Array(
    aligned.buffer,
    aligned.byteOffset + HEADER_WORDS * 4,
    recordCount! * 2,
  );
  for (let i = 0; i < recs.length; i += 2) {
    const ref = recs[i + 1]!;
    if (recs[i]! >= pageCount! || (ref !== ZERO_REF && ref >= poolCount!)) {
      throw corrupt(`record ${i / 2} points outside memory or the page pool`);
    }
    if (ref === ZERO_REF && !parent) throw corrupt('a zero-page record in a full snapshot');
  }
  if (parent && parent.length !== target.length) {
    throw new SnapshotError('wrong-parent', 'the parent snapshot has a different memory size');
  }
  if (parent) target.set(parent);
  else target.fill(0);
  for (let i = 0; i < recs.length; i += 2) {
    const at = recs[i]! * PAGE_SIZE;
    const ref = recs[i + 1]!;
    if (ref === ZERO_REF) target.fill(0, at, at + PAGE_SIZE);
    else
      target.set(
        aligned.subarray(headerBytes + ref * PAGE_SIZE, headerBytes + (ref + 1) * PAGE_SIZE),
        at,
      );
  }
}
