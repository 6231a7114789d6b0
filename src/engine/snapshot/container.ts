// The snapshot file container: magic, format version, a checksummed JSON manifest, then
// checksummed binary sections. Readers refuse a bad file before using any of it.
import { checksum32 } from './checksum';
import { SnapshotError } from './errors';

export const MAGIC = 'VMLABSNP';
/** Bumped whenever the layout of the container or of any section changes. */
export const FORMAT_VERSION = 1;
const HEADER_BYTES = 20; // magic 8, version 4, manifest length 4, manifest checksum 4
const ALIGN = 8;

export interface SectionEntry {
  name: string;
  offset: number;
  length: number;
  checksum: number;
}

/** What the manifest always holds; callers add their own fields beside `sections`. */
export interface ContainerManifest {
  sections: SectionEntry[];
  [field: string]: unknown;
}

const align = (n: number) => (n + ALIGN - 1) & ~(ALIGN - 1);

/** Builds a container from a manifest (without `sections`) and named binary sections. */
export function writeContainer(
  manifest: Record<string, unknown>,
  sections: readonly ContainerSection[],
): Uint8Array {
  const encoder = new TextEncoder();
  const lengths = sections.map(sectionLength);
  // Section offsets depend on the manifest's length, which depends on the offsets' digits:
  // lay out with a guess, and redo until the manifest length is stable (one or two rounds).
  // Checksums are filled in once the sections sit in the output, which they are copied into
  // exactly once (a section may be given as parts, such as the pages of guest memory).
  let manifestBytes: Uint8Array = new Uint8Array(0);
  let entries: SectionEntry[] = [];
  const layout = (checksums: readonly number[]) => {
    let offset = align(HEADER_BYTES + manifestBytes.length);
    entries = sections.map(({ name }, i) => {
      const entry = { name, offset, length: lengths[i]!, checksum: checksums[i] ?? 0xffffffff };
      offset = align(offset + lengths[i]!);
      return entry;
    });
    return encoder.encode(JSON.stringify({ ...manifest, sections: entries }));
  };
  for (let round = 0; round < 4; round++) {
    const next = layout([]);
    const stable = next.length === manifestBytes.length;
    manifestBytes = next;
    if (stable) break;
  }
  const last = entries.at(-1);
  const total = last ? last.offset + last.length : align(HEADER_BYTES + manifestBytes.length);
  const out = new Uint8Array(total);
  const checksums = sections.map((section, i) => {
    const at = entries[i]!.offset;
    let pos = at;
    for (const part of partsOf(section)) {
      out.set(part, pos);
      pos += part.length;
    }
    return checksum32(out.subarray(at, pos));
  });
  // The checksums are 0xFFFFFFFF-sized placeholders above, so the real ones never lengthen
  // the manifest; a shorter one is padded with spaces JSON ignores, keeping the offsets.
  const final = layout(checksums);
  if (final.length > manifestBytes.length) throw new Error('container manifest grew');
  const padded = new Uint8Array(manifestBytes.length).fill(0x20);
  padded.set(final);
  const view = new DataView(out.buffer);
  out.set(encoder.encode(MAGIC), 0);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, padded.length, true);
  view.setUint32(16, checksum32(padded), true);
  out.set(padded, HEADER_BYTES);
  return out;
}

/** A section to write: its bytes whole, or in parts written one after another. */
export interface ContainerSection {
  name: string;
  data: Uint8Array | readonly Uint8Array[];
}

function partsOf(section: ContainerSection): readonly Uint8Array[] {
  return section.data instanceof Uint8Array ? [section.data] : section.data;
}

function sectionLength(section: ContainerSection): number {
  let n = 0;
  for (const part of partsOf(section)) n += part.length;
  return n;
}

export interface Container {
  manifest: ContainerManifest;
  section(name: string): Uint8Array;
  has(name: string): boolean;
}

/** Reads and verifies a container: magic, version, manifest and every section's checksum. */
export function readContainer(input: Uint8Array, what = 'snapshot file'): Container {
  // A plain view: sections cut from a Node Buffer would be Buffers, whose slice() is no copy.
  const file = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (file.length < 8 || new TextDecoder().decode(file.subarray(0, 8)) !== MAGIC) {
    throw new SnapshotError('wrong-magic', `${what} is not a vmlab snapshot (wrong magic number)`);
  }
  if (file.length < HEADER_BYTES) {
    throw new SnapshotError('truncated', `${what} is truncated: its header is incomplete`);
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const version = view.getUint32(8, true);
  if (version > FORMAT_VERSION) {
    throw new SnapshotError(
      'future-version',
      `${what} was written by a newer vmlab (format ${version}; this version reads up to ${FORMAT_VERSION})`,
    );
  }
  if (version === 0) throw new SnapshotError('corrupt', `${what} is corrupt: format version 0`);
  const manifestLength = view.getUint32(12, true);
  if (HEADER_BYTES + manifestLength > file.length) {
    throw new SnapshotError('truncated', `${what} is truncated: its manifest is cut off`);
  }
  const manifestBytes = file.subarray(HEADER_BYTES, HEADER_BYTES + manifestLength);
  if (checksum32(manifestBytes) !== view.getUint32(16, true)) {
    throw new SnapshotError('corrupt', `${what} is corrupt: the manifest checksum does not match`);
  }
  let manifest: ContainerManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as ContainerManifest;
    if (!Array.isArray(manifest.sections)) throw new Error('no section list');
  } catch (err) {
    throw new SnapshotError(
      'corrupt',
      `${what} is corrupt: the manifest is unreadable (${(err as Error).message})`,
    );
  }
  const bodies = new Map<string, Uint8Array>();
  for (const s of manifest.sections) {
    if (s.offset + s.length > file.length) {
      throw new SnapshotError('truncated', `${what} is truncated: section '${s.name}' is cut off`);
    }
    const body = file.subarray(s.offset, s.offset + s.length);
    if (checksum32(body) !== s.checksum) {
      throw new SnapshotError(
        'corrupt',
        `${what} is corrupt: section '${s.name}' fails its checksum`,
      );
    }
    bodies.set(s.name, body);
  }
  return {
    manifest,
    has: (name) => bodies.has(name),
    section(name) {
      const body = bodies.get(name);
      if (!body)
        throw new SnapshotError('corrupt', `${what} is corrupt: it has no '${name}' section`);
      return body;
    },
  };
}
