// The VM library on disk: one folder per VM (vm.json plus its source files), like a
// VirtualBox or VMware bundle, so VMs can be copied, versioned and shared.
import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ApiError, TECHNIQUES, type Technique, type VmInfo } from '../../shared/api';
import { writeFileAtomic } from './atomic-file';
import { DEFAULT_SOURCE } from './default-source';
import type { ProgressStep } from './progress';
import { ProjectFiles, VM_FILE } from './project-files';
import { packVm, unpackVm } from './vm-archive';

export { VM_FILE };
export const MAIN_SOURCE = 'main.asm';

const vmJson = z.object({
  id: z.string(),
  name: z.string(),
  technique: z.enum(TECHNIQUES),
  memoryMiB: z.number().int().positive(),
  mainSource: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export interface NewVm {
  name: string;
  technique?: Technique;
  memoryMiB?: number;
  source?: string;
}

export type VmPatch = Partial<Pick<VmInfo, 'name' | 'technique' | 'memoryMiB'>>;

/** Reads and writes the library folder; keeps an in-memory index of vm.json files. */
export class VmLibrary {
  readonly vmsDir: string;
  private readonly vms = new Map<string, VmInfo>();
  /** Folders whose vm.json could not be read; kept on disk untouched, reported once. */
  readonly unreadable: { folder: string; reason: string }[] = [];

  constructor(
    readonly root: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.vmsDir = join(root, 'vms');
  }

  /** Loads every VM folder; a damaged vm.json is skipped and reported, never deleted. */
  async open(): Promise<void> {
    await mkdir(this.vmsDir, { recursive: true });
    this.vms.clear();
    this.unreadable.length = 0;
    const entries = await readdir(this.vmsDir, { withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const folder = join(this.vmsDir, entry.name);
      try {
        const info = vmJson.parse(JSON.parse(await readFile(join(folder, VM_FILE), 'utf8')));
        if (info.id !== entry.name) throw new Error(`id '${info.id}' does not match its folder`);
        this.vms.set(info.id, info);
      } catch (err) {
        this.unreadable.push({ folder, reason: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  list(): VmInfo[] {
    return [...this.vms.values()].sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    );
  }

  get(id: string): VmInfo {
    const vm = this.vms.get(id);
    if (!vm) throw new ApiError('not-found', `no VM with id '${id}'`);
    return vm;
  }

  async create(spec: NewVm): Promise<VmInfo> {
    const id = this.newId(spec.name);
    const stamp = this.now().toISOString();
    const info: VmInfo = {
      id,
      name: spec.name,
      technique: spec.technique ?? 'native',
      memoryMiB: spec.memoryMiB ?? 16,
      mainSource: MAIN_SOURCE,
      createdAt: stamp,
      updatedAt: stamp,
    };
    const folder = this.folder(id);
    await mkdir(folder, { recursive: true });
    await writeFileAtomic(join(folder, MAIN_SOURCE), spec.source ?? DEFAULT_SOURCE);
    await this.writeInfo(info);
    return info;
  }

  async update(id: string, patch: VmPatch): Promise<VmInfo> {
    const info: VmInfo = { ...this.get(id), ...definedOnly(patch), updatedAt: this.stamp() };
    await this.writeInfo(info);
    return info;
  }

  async delete(id: string): Promise<void> {
    this.get(id);
    this.vms.delete(id);
    await rm(this.folder(id), { recursive: true, force: true });
  }

  /** Copies the whole folder (sources and anything else in it) under a new id. */
  async clone(id: string, name?: string): Promise<VmInfo> {
    const source = this.get(id);
    const newId = this.newId(name ?? source.name);
    const stamp = this.stamp();
    await cp(this.folder(id), this.folder(newId), { recursive: true, errorOnExist: true });
    const info: VmInfo = {
      ...source,
      id: newId,
      name: name ?? `${source.name} (copy)`,
      createdAt: stamp,
      updatedAt: stamp,
    };
    await this.writeInfo(info);
    return info;
  }

  /** The VM folder as one archive file (sources and snapshots). */
  async exportVm(id: string, step?: ProgressStep): Promise<Uint8Array> {
    return packVm(this.folder(id), this.get(id), step);
  }

  /** Adds a VM from an archive, under a new id; a name already in use gets " (imported)". */
  async importVm(file: Uint8Array, step?: ProgressStep): Promise<VmInfo> {
    const probeId = this.newId('import');
    const archived = await unpackVm(file, this.folder(probeId), step);
    const parsed = vmJson.safeParse(archived);
    if (!parsed.success) {
      await rm(this.folder(probeId), { recursive: true, force: true });
      throw new ApiError('bad-request', 'the archive has an unreadable vm.json');
    }
    const taken = this.list().some((v) => v.name === parsed.data.name);
    const name = taken ? `${parsed.data.name} (imported)` : parsed.data.name;
    const id = this.newId(name);
    await rename(this.folder(probeId), this.folder(id));
    const stamp = this.stamp();
    const info: VmInfo = { ...parsed.data, id, name, createdAt: stamp, updatedAt: stamp };
    await this.writeInfo(info);
    return info;
  }

  /** The VM's project files: sources, %include files and incbin data. */
  files(id: string): ProjectFiles {
    return new ProjectFiles(id, this.folder(id), this.get(id).mainSource);
  }

  /**
   * A file of the VM's folder for %include and incbin, read synchronously because the
   * assembler is synchronous; only plain names inside the folder, never vm.json.
   */
  readProjectFile(id: string, name: string): Uint8Array | undefined {
    return this.files(id).readSync(name);
  }

  async readSource(id: string, file?: string): Promise<{ file: string; text: string }> {
    const files = this.files(id);
    const name = file ?? files.main;
    return { file: name, text: await files.readText(name) };
  }

  async writeSource(id: string, file: string | undefined, text: string): Promise<void> {
    const files = this.files(id);
    await files.write(file ?? files.main, text);
  }

  folder(id: string): string {
    return join(this.vmsDir, id);
  }

  private async writeInfo(info: VmInfo): Promise<void> {
    await writeFileAtomic(
      join(this.folder(info.id), VM_FILE),
      `${JSON.stringify(info, null, 2)}\n`,
    );
    this.vms.set(info.id, info);
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  /** A readable, unique folder name: the name's slug plus a random suffix. */
  private newId(name: string): string {
    const slug =
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40) || 'vm';
    for (;;) {
      const id = `${slug}-${randomBytes(3).toString('hex')}`;
      if (!this.vms.has(id)) return id;
    }
  }
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
