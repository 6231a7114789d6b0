// Disk contents as a snapshot section: each disk's copy-on-write delta (the sectors the guest
// wrote) and, for an incremental snapshot, only the sectors that differ from the parent's delta.
import { SnapshotError } from './errors';

const SECTOR = 512;

/** One disk's delta over its base disk (machine.ts DiskDeltaState). */
export interface DiskDelta {
  identity: string;
  sectors: number[];
  data: Uint8Array;
}

/** Per IDE position, a disk's delta or null. */
export type DiskDeltas = (DiskDelta | null)[];

/** What a disk section holds, for the manifest. */
export interface DiskStats {
  /** Sectors the guest has written, over all disks. */
  sectors: number;
  /** Sectors whose contents this section stores (all of them without a parent). */
  stored: number;
}

/** Section layout: u32 header length, a JSON header (DiskHeader), padding to 4, sector data. */
interface DiskHeader {
  slots: ({
    identity: string;
    /** True when `changed` is the whole delta rather than a change against the parent's. */
    full: boolean;
    changed: number[];
    /** Sectors of the parent's delta this one no longer has (a revert happened between). */
    removed: number[];
  } | null)[];
}

/** Encodes `disks`; with `parent`, only the sectors that differ from the parent's delta. */
export function encodeDisks(
  disks: DiskDeltas,
  parent?: DiskDeltas,
): { section: Uint8Array; stats: DiskStats } {
  const header: DiskHeader = { slots: [] };
  const chunks: Uint8Array[] = [];
  const stats: DiskStats = { sectors: 0, stored: 0 };
  for (let i = 0; i < disks.length; i++) {
    const disk = disks[i];
    if (!disk) {
      header.slots.push(null);
      continue;
    }
    stats.sectors += disk.sectors.length;
    const before = parent?.[i];
    const base = before && before.identity === disk.identity ? sectorMap(before) : null;
    const changed: number[] = [];
    disk.sectors.forEach((lba, k) => {
      const data = disk.data.subarray(k * SECTOR, (k + 1) * SECTOR);
      const old = base?.get(lba);
      if (old && sameBytes(old, data)) return;
      changed.push(lba);
      chunks.push(data);
    });
    const kept = new Set(disk.sectors);
    const removed = base ? [...base.keys()].filter((lba) => !kept.has(lba)) : [];
    header.slots.push({ identity: disk.identity, full: base === null, changed, removed });
    stats.stored += changed.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = 4 + align4(json.length);
  const section = new Uint8Array(dataStart + chunks.length * SECTOR);
  new DataView(section.buffer).setUint32(0, json.length, true);
  section.set(json, 4);
  chunks.forEach((c, k) => {
    section.set(c, dataStart + k * SECTOR);
  });
  return { section, stats };
}

/** Decodes a disk section; an incremental one needs the parent's decoded deltas. */
export function decodeDisks(section: Uint8Array, parent?: DiskDeltas): DiskDeltas {
  const header = readHeader(section);
  const dataStart = 4 + align4(new DataView(section.buffer, section.byteOffset).getUint32(0, true));
  let next = dataStart;
  return header.slots.map((slot, i) => {
    if (!slot) return null;
    const before = parent?.[i];
    if (!slot.full && (!before || before.identity !== slot.identity)) {
      throw corrupt(
        `disk ${i} is stored as changes to a parent disk that the parent does not have`,
      );
    }
    const map = slot.full || !before ? new Map<number, Uint8Array>() : sectorMap(before);
    for (const lba of slot.removed) map.delete(lba);
    for (const lba of slot.changed) {
      if (next + SECTOR > section.length)
        throw corrupt('the disk section is shorter than its header says');
      map.set(lba, section.subarray(next, next + SECTOR));
      next += SECTOR;
    }
    const sectors = [...map.keys()].sort((a, b) => a - b);
    const data = new Uint8Array(sectors.length * SECTOR);
    sectors.forEach((lba, k) => {
      data.set(map.get(lba)!, k * SECTOR);
    });
    return { identity: slot.identity, sectors, data };
  });
}

function readHeader(section: Uint8Array): DiskHeader {
  if (section.length < 4) throw corrupt('the disk section is truncated');
  const length = new DataView(section.buffer, section.byteOffset).getUint32(0, true);
  if (4 + length > section.length) throw corrupt('the disk section is truncated');
  let header: DiskHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(section.subarray(4, 4 + length))) as DiskHeader;
  } catch {
    throw corrupt('the disk section header is not JSON');
  }
  if (!header || !Array.isArray(header.slots))
    throw corrupt('the disk section header has no slots');
  for (const slot of header.slots) {
    if (slot === null) continue;
    const lbas = [...(slot.changed ?? []), ...(slot.removed ?? [])];
    if (
      typeof slot.identity !== 'string' ||
      !Array.isArray(slot.changed) ||
      !Array.isArray(slot.removed) ||
      !lbas.every((n) => Number.isInteger(n) && n >= 0)
    ) {
      throw corrupt('the disk section header describes a disk badly');
    }
  }
  return header;
}

function sectorMap(delta: DiskDelta): Map<number, Uint8Array> {
  const map = new Map<number, Uint8Array>();
  delta.sectors.forEach((lba, k) => {
    map.set(lba, delta.data.subarray(k * SECTOR, (k + 1) * SECTOR));
  });
  return map;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function corrupt(why: string): SnapshotError {
  return new SnapshotError('corrupt', `the snapshot's disk contents are corrupt: ${why}`);
}
