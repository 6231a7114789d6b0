// Reads a file the user named, turning a missing or unreadable file into a UsageError.
import { readFile } from 'node:fs/promises';
import { UsageError } from './usage';

export async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder'
          : (err as Error).message;
    throw new UsageError(`cannot read '${path}': ${why}`);
  }
}
