// A whole-VM snapshot file: the machine state (JSON plus binary arrays) and guest memory as
// pages, optionally incremental against a parent snapshot (DESIGN.md 2.4).
import { type Container, readContainer, writeContainer } from './container';
import { type DiskDeltas, type DiskStats, decodeDisks, encodeDisks } from './disk-store';
import { SnapshotError } from './errors';
import { decodePages, encodePages, type PageStats } from './page-store';
import { decodeState, encodeState } from './state-codec';

/** Any machine state whose guest memory is the `memory` field and disk writes `disks`. */
export interface SnapshotState {
  memory: Uint8Array;
  disks?: DiskDeltas;
}

/** What a person sees of a snapshot, kept in the manifest. */
export interface SnapshotMeta {
  id: string;
  name: string;
  description?: string;
  createdAt: string;
  /** The VGA text screen at capture time, one string per row, for a thumbnail. */
  screen?: string[];
  /**
   * Identifies this snapshot's content across re-encodings (a delete that merges a parent
   * into its children keeps it); children name their parent by id and nonce. Generated
   * when absent.
   */
  nonce?: string;
}

export interface SnapshotManifest extends SnapshotMeta {
  kind: 'vmlab-snapshot';
  memoryBytes: number;
  nonce: string;
  parent: { id: string; nonce: string } | null;
  stats: PageStats;
  /** Present when the state had disks: their written sectors, and how many this file stores. */
  diskStats?: DiskStats;
}

/** A decoded parent, as needed to write or read an incremental child. */
export interface ParentSnapshot {
  id: string;
  nonce: string;
  memory: Uint8Array;
  disks?: DiskDeltas;
}

/** Encodes `state`; with `parent`, only the memory pages that differ from the parent's. */
export function writeSnapshot<S extends SnapshotState>(
  meta: SnapshotMeta,
  state: S,
  parent?: ParentSnapshot,
): { file: Uint8Array; manifest: SnapshotManifest } {
  const { memory, disks, ...rest } = state;
  const { json, blob } = encodeState(rest);
  const { section, stats } = encodePages(memory, parent?.memory);
  const diskSection = disks ? encodeDisks(disks, parent?.disks) : undefined;
  const manifest: SnapshotManifest = {
    kind: 'vmlab-snapshot',
    ...meta,
    nonce: meta.nonce ?? newNonce(),
    memoryBytes: memory.length,
    parent: parent ? { id: parent.id, nonce: parent.nonce } : null,
    stats,
    ...(diskSection ? { diskStats: diskSection.stats } : {}),
  };
  const file = writeContainer({ ...manifest }, [
    { name: 'state.json', data: new TextEncoder().encode(json) },
    { name: 'state.bin', data: blob },
    { name: 'memory', data: section },
    ...(diskSection ? [{ name: 'disks', data: diskSection.section }] : []),
  ]);
  return { file, manifest };
}

/** Looks up a parent snapshot's file by id; undefined when it is gone. */
export type ParentLoader = (id: string) => Uint8Array | undefined;

export interface ReadSnapshot<S> {
  manifest: SnapshotManifest;
  state: S & { memory: Uint8Array; disks?: DiskDeltas };
}

/** Reads only the manifest, after verifying the whole file (for lists and trees). */
export function readSnapshotManifest(file: Uint8Array): SnapshotManifest {
  return open(file).manifest as unknown as SnapshotManifest;
}

/**
 * Decodes a snapshot, following its parent chain through `loadParent`. Every file in the
 * chain is verified before any memory is assembled; errors name the snapshot at fault.
 */
export function readSnapshot<S = Record<string, unknown>>(
  file: Uint8Array,
  loadParent: ParentLoader = () => undefined,
  depth = 0,
): ReadSnapshot<S> {
  if (depth > 4096) throw new SnapshotError('corrupt', 'the snapshot parent chain loops');
  const c = open(file);
  const manifest = c.manifest as unknown as SnapshotManifest;
  let parentMemory: Uint8Array | undefined;
  let parentDisks: DiskDeltas | undefined;
  if (manifest.parent) {
    const parentFile = loadParent(manifest.parent.id);
    if (!parentFile) {
      throw new SnapshotError(
        'missing-parent',
        `snapshot '${manifest.name}' is incremental and its parent '${manifest.parent.id}' is missing`,
      );
    }
    const parent = readSnapshot(parentFile, loadParent, depth + 1);
    if (
      parent.manifest.nonce !== manifest.parent.nonce ||
      parent.manifest.id !== manifest.parent.id
    ) {
      throw new SnapshotError(
        'wrong-parent',
        `snapshot '${manifest.name}' was taken from a different '${manifest.parent.id}' than the one found`,
      );
    }
    parentMemory = parent.state.memory;
    parentDisks = parent.state.disks;
  }
  let rest: S;
  try {
    rest = decodeState<S>(
      new TextDecoder().decode(c.section('state.json')),
      c.section('state.bin'),
    );
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError(
      'corrupt',
      `snapshot '${manifest.name}' has unreadable state: ${(err as Error).message}`,
    );
  }
  const memory = new Uint8Array(manifest.memoryBytes);
  decodePages(c.section('memory'), memory, parentMemory);
  if (!c.has('disks')) return { manifest, state: { ...rest, memory } };
  const disks = decodeDisks(c.section('disks'), parentDisks);
  return { manifest, state: { ...rest, memory, disks } };
}

/** 64 random bits as hex; Math.random is enough to tell snapshots apart, not a secret. */
function newNonce(): string {
  let s = '';
  for (let i = 0; i < 4; i++)
    s += Math.floor(Math.random() * 0x10000)
      .toString(16)
      .padStart(4, '0');
  return s;
}

function open(file: Uint8Array): Container {
  const c = readContainer(file);
  if ((c.manifest as { kind?: unknown }).kind !== 'vmlab-snapshot') {
    throw new SnapshotError('corrupt', 'the file is a vmlab container but not a VM snapshot');
  }
  return c;
}
