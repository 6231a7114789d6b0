// A whole VM as one file: vm.json, its sources and its snapshots, in the checksummed
// snapshot container, to hand to someone else or move to another machine.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readContainer, SnapshotError, writeContainer } from '../../engine';
import { ApiError, type VmInfo } from '../../shared/api';
import { PLAIN_FILE_NAME } from '../../shared/schema';
import { type ProgressStep, quietProgress } from './progress';
import { VM_FILE } from './vm-library';

export const ARCHIVE_KIND = 'vmlab-vm';
/** Entries of an archive are plain names or one level under snapshots/, never anything else. */
const isEntry = (name: string) => PLAIN_FILE_NAME.test(name.replace(/^snapshots\//, ''));

/**
 * Reads every file of a VM folder (one level plus snapshots/) into an archive.
 * Steps: pack (file k of n), encode.
 */
export async function packVm(
  folder: string,
  info: VmInfo,
  step: ProgressStep = quietProgress,
): Promise<Uint8Array> {
  const entries: string[] = [];
  for (const sub of ['', 'snapshots/']) {
    let names: string[];
    try {
      names = (await readdir(join(folder, sub), { withFileTypes: true }))
        .filter((e) => e.isFile() && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort();
    } catch {
      continue;
    }
    entries.push(...names.map((name) => `${sub}${name}`).filter(isEntry));
  }
  const sections: { name: string; data: Uint8Array }[] = [];
  for (const [k, entry] of entries.entries()) {
    await step('pack', { index: k + 1, count: entries.length });
    sections.push({ name: entry, data: new Uint8Array(await readFile(join(folder, entry))) });
  }
  await step('encode');
  return writeContainer({ kind: ARCHIVE_KIND, vm: info }, sections);
}

/**
 * Unpacks an archive into `folder` (which must not exist), through a temporary sibling
 * folder, so a refused or failed import leaves nothing behind. Returns the archived vm.json.
 * Steps: decode (checking every section), unpack (file k of n).
 */
export async function unpackVm(
  file: Uint8Array,
  folder: string,
  step: ProgressStep = quietProgress,
): Promise<VmInfo> {
  await step('decode');
  let container: ReturnType<typeof readContainer>;
  try {
    container = readContainer(file, 'the VM archive');
  } catch (err) {
    if (err instanceof SnapshotError) throw new ApiError('bad-request', err.message);
    throw err;
  }
  const { manifest } = container;
  if (manifest.kind !== ARCHIVE_KIND || typeof manifest.vm !== 'object' || manifest.vm === null) {
    throw new ApiError('bad-request', 'the file is not a vmlab VM archive');
  }
  for (const s of manifest.sections) {
    if (!isEntry(s.name))
      throw new ApiError('bad-request', `the archive holds a bad entry name '${s.name}'`);
  }
  if (!manifest.sections.some((s) => s.name === VM_FILE)) {
    throw new ApiError('bad-request', 'the archive has no vm.json');
  }
  const temp = `${folder}.importing`;
  await rm(temp, { recursive: true, force: true });
  try {
    await mkdir(join(temp, 'snapshots'), { recursive: true });
    for (const [k, s] of manifest.sections.entries()) {
      await step('unpack', { index: k + 1, count: manifest.sections.length });
      await writeFile(join(temp, s.name), container.section(s.name));
    }
    await rename(temp, folder);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
  return manifest.vm as VmInfo;
}
