// A VM folder's project files (sources, %include files, incbin data) by plain name: listed,
// read, written, created, renamed and deleted, never vm.json or the snapshots folder.
import { readFileSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError, PLAIN_FILE_NAME, type ProjectFile, RESERVED_FILE_NAMES } from '../../shared/api';
import { LIMITS } from '../../shared/schema';
import { writeFileAtomic } from './atomic-file';

export const VM_FILE = 'vm.json';

const RESERVED = new Set(RESERVED_FILE_NAMES);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether `name` may be a project file: plain (no directories, no dot files), not reserved. */
export function isProjectFileName(name: string): boolean {
  return PLAIN_FILE_NAME.test(name) && !RESERVED.has(name);
}

/** Throws bad-request unless `name` may be a project file. */
export function checkName(name: string): void {
  if (!PLAIN_FILE_NAME.test(name)) {
    throw new ApiError('bad-request', `'${name}' is not a plain file name such as defs.inc`);
  }
  if (RESERVED.has(name)) {
    throw new ApiError('bad-request', `'${name}' is reserved for the VM library`);
  }
}

/**
 * Text is what the editor can open and save back unchanged: valid UTF-8 without NUL bytes,
 * at most the size one request may carry. Anything else is data for incbin.
 */
export function kindOf(bytes: Uint8Array): ProjectFile['kind'] {
  if (bytes.length > LIMITS.sourceBytes || bytes.includes(0)) return 'binary';
  try {
    utf8.decode(bytes);
    return 'text';
  } catch {
    return 'binary';
  }
}

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** One VM folder's files; `main` is the VM's main source name. */
export class ProjectFiles {
  constructor(
    readonly vmId: string,
    readonly folder: string,
    readonly main: string,
  ) {}

  /** Every project file: the main source first, then by name. */
  async list(): Promise<ProjectFile[]> {
    // A file deleted between the listing and its stat is left out, not an error.
    const described = await Promise.all(
      (await this.names()).map((name) =>
        this.describe(name).catch((err: unknown) =>
          err instanceof ApiError && err.code === 'not-found' ? null : Promise.reject(err),
        ),
      ),
    );
    const files = described.filter((f): f is ProjectFile => f !== null);
    return files.sort((a, b) => Number(b.main) - Number(a.main) || a.name.localeCompare(b.name));
  }

  /** One file's entry in the list. */
  async describe(name: string): Promise<ProjectFile> {
    const path = this.path(name);
    const info = await stat(path).catch((err: unknown) => {
      throw isMissing(err) ? this.notFound(name) : err;
    });
    // Only files small enough to be text are read to find out whether they are.
    const kind = info.size > LIMITS.sourceBytes ? 'binary' : kindOf(await readFile(path));
    return { name, size: info.size, main: name === this.main, kind };
  }

  /** A text file's content; a binary file is refused, since saving it back would garble it. */
  async readText(name: string): Promise<string> {
    checkName(name);
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path(name));
    } catch (err) {
      throw isMissing(err) ? this.notFound(name) : err;
    }
    if (kindOf(bytes) === 'binary') {
      throw new ApiError(
        'bad-request',
        `'${name}' is a binary file; incbin can use it, the editor cannot`,
      );
    }
    // Buffer's decoding keeps a byte-order mark in the text, so a save writes it back.
    return bytes.toString('utf8');
  }

  /** Writes a file (creating it if new, within the folder's limit) atomically. */
  async write(name: string, data: string | Uint8Array): Promise<void> {
    checkName(name);
    const names = await this.names();
    if (!names.includes(name)) this.refuseFull(names);
    await writeFileAtomic(this.path(name), data);
  }

  /** Adds a new file; refuses a name in use (conflict) or a folder already full. */
  async create(name: string, data: string | Uint8Array): Promise<ProjectFile> {
    checkName(name);
    await this.refuseTaken(name);
    this.refuseFull(await this.names());
    await writeFileAtomic(this.path(name), data);
    return this.describe(name);
  }

  /** Renames a file other than the main source, never over another file. */
  async rename(from: string, to: string): Promise<ProjectFile> {
    checkName(from);
    checkName(to);
    this.refuseMain(from, 'renamed');
    await this.describe(from);
    if (to !== from) {
      // A case-only rename on a case-insensitive disk finds "to" as "from" itself.
      if (to.toLowerCase() !== from.toLowerCase()) await this.refuseTaken(to);
      await rename(this.path(from), this.path(to));
    }
    return this.describe(to);
  }

  /** Deletes a file other than the main source. */
  async delete(name: string): Promise<void> {
    checkName(name);
    this.refuseMain(name, 'deleted');
    await this.describe(name);
    await rm(this.path(name));
  }

  /** A file's bytes for %include and incbin, synchronously as the assembler asks. */
  readSync(name: string): Uint8Array | undefined {
    if (!isProjectFileName(name)) return undefined;
    try {
      return new Uint8Array(readFileSync(this.path(name)));
    } catch {
      return undefined;
    }
  }

  /** The names of the project files, in no particular order. */
  private async names(): Promise<string[]> {
    const entries = await readdir(this.folder, { withFileTypes: true });
    return entries.filter((e) => e.isFile() && isProjectFileName(e.name)).map((e) => e.name);
  }

  private refuseFull(names: readonly string[]): void {
    if (names.length >= LIMITS.projectFiles) {
      throw new ApiError('invalid-state', `a VM holds at most ${LIMITS.projectFiles} files`);
    }
  }

  private path(name: string): string {
    return join(this.folder, name);
  }

  private notFound(name: string): ApiError {
    return new ApiError('not-found', `VM '${this.vmId}' has no file '${name}'`);
  }

  private refuseMain(name: string, what: string): void {
    if (name === this.main) {
      throw new ApiError(
        'invalid-state',
        `'${name}' is the VM's main source; it cannot be ${what}`,
      );
    }
  }

  private async refuseTaken(name: string): Promise<void> {
    const taken = await stat(this.path(name)).then(
      () => true,
      (err: unknown) => (isMissing(err) ? false : Promise.reject(err)),
    );
    if (taken) throw new ApiError('conflict', `the VM already has a file named '${name}'`);
  }
}
