// A whole-VM snapshot file: the machine state (JSON plus binary arrays) and guest memory as
// pages, optionally incremental against a parent snapshot (DESIGN.md 2.4).
import { type Container, readContainer, writeContainer } from './container';
import { type DiskDeltas, type DiskStats, decodeDisks, encodeDisks } from './disk-store';
import { SnapshotError } from './errors';
import { applyPages, encodePageParts, type PageStats, validatePages } from './page-store';
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
  const { parts, stats } = encodePageParts(memory, parent?.memory);
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
    { name: 'memory', data: parts },
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
 * chain is verified, and every section checked, before any memory is written; errors name
 * the snapshot at fault. Memory is assembled root first in one buffer: `into` (guest memory
 * of the right size, reused so no fresh pages are faulted in), or the buffer `into` returns
 * when given the decoded state without memory (a VM's RAM, once the state says which VM
 * fits; it may refuse by throwing, and nothing is written), or a new one.
 */
export function readSnapshot<S = Record<string, unknown>>(
  file: Uint8Array,
  loadParent: ParentLoader = () => undefined,
  into?: Uint8Array | ((state: S & { disks?: DiskDeltas }) => Uint8Array),
): ReadSnapshot<S> {
  const chain = openChain(file, loadParent);
  const leaf = chain[0]!;
  const manifest = leaf.manifest;
  const memoryBytes = into instanceof Uint8Array ? into.length : manifest.memoryBytes;
  const pages = chain.map((link, i) =>
    validatePages(link.c.section('memory'), memoryBytes, i < chain.length - 1),
  );
  let rest: S;
  try {
    rest = decodeState<S>(
      new TextDecoder().decode(leaf.c.section('state.json')),
      leaf.c.section('state.bin'),
    );
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError(
      'corrupt',
      `snapshot '${manifest.name}' has unreadable state: ${(err as Error).message}`,
    );
  }
  let disks: DiskDeltas | undefined;
  for (let i = chain.length - 1; i >= 0; i--) {
    const c = chain[i]!.c;
    disks = c.has('disks') ? decodeDisks(c.section('disks'), disks) : undefined;
  }
  const state = (disks ? { ...rest, disks } : rest) as S & { disks?: DiskDeltas };
  const memory =
    into instanceof Uint8Array ? into : into ? into(state) : new Uint8Array(memoryBytes);
  if (memory.length !== memoryBytes) {
    throw new SnapshotError(
      'mismatch',
      `the snapshot has ${memoryBytes / 1048576} MiB of memory; this VM has ${memory.length / 1048576} MiB`,
    );
  }
  for (let i = pages.length - 1; i >= 0; i--) applyPages(pages[i]!, memory, i < pages.length - 1);
  return { manifest, state: { ...state, memory } };
}

/** The verified files of a snapshot's chain, the snapshot first and its root last. */
function openChain(
  file: Uint8Array,
  loadParent: ParentLoader,
): { c: Container; manifest: SnapshotManifest }[] {
  const c = open(file);
  const chain = [{ c, manifest: c.manifest as unknown as SnapshotManifest }];
  for (let m = chain[0]!.manifest; m.parent; m = chain.at(-1)!.manifest) {
    if (chain.length > 4096) throw new SnapshotError('corrupt', 'the snapshot parent chain loops');
    const parentFile = loadParent(m.parent.id);
    if (!parentFile) {
      throw new SnapshotError(
        'missing-parent',
        `snapshot '${m.name}' is incremental and its parent '${m.parent.id}' is missing`,
      );
    }
    const pc = open(parentFile);
    const pm = pc.manifest as unknown as SnapshotManifest;
    if (pm.nonce !== m.parent.nonce || pm.id !== m.parent.id) {
      throw new SnapshotError(
        'wrong-parent',
        `snapshot '${m.name}' was taken from a different '${m.parent.id}' than the one found`,
      );
    }
    if (pm.memoryBytes !== m.memoryBytes) {
      throw new SnapshotError('wrong-parent', 'the parent snapshot has a different memory size');
    }
    chain.push({ c: pc, manifest: pm });
  }
  return chain;
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
