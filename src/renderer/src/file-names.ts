// Project file names in the UI: the service's own naming rule checked as the user types,
// sizes as a person reads them, and which files the editor highlights as assembly.

import { PLAIN_FILE_NAME, RESERVED_FILE_NAMES } from '../../shared/api';

/** Extensions whose files are NASM source (the main source, %include files). */
const ASSEMBLY_EXTENSIONS = ['.asm', '.inc', '.nasm', '.mac', '.s'];

/**
 * Why `name` cannot be a new (or renamed) file of the VM, or null when it can; `taken` are
 * the names the VM already has, `current` the file being renamed (it may keep its name).
 */
export function fileNameProblem(
  name: string,
  taken: readonly string[],
  current?: string,
): string | null {
  if (name === '') return 'Type a file name, such as defs.inc';
  if (name.includes('/') || name.includes('\\')) return 'File names cannot contain folders';
  if (name.startsWith('.')) return 'File names cannot start with a dot';
  if (name.length > 100) return 'File names are at most 100 characters';
  if (!PLAIN_FILE_NAME.test(name)) {
    return 'Use only letters, digits, dot, dash and underscore (no spaces)';
  }
  if (RESERVED_FILE_NAMES.includes(name)) return `'${name}' is reserved for the VM library`;
  if (name !== current && taken.includes(name)) return `The VM already has a file named '${name}'`;
  return null;
}

/**
 * A picked file's name made plain, so an upload of "my font.bin" is not refused for its
 * space: other characters become '_', and a leading dot or dash goes.
 */
export function plainFileName(name: string): string {
  const plain = name
    .replace(/[^A-Za-z0-9_.-]/g, '_')
    .replace(/^[.-]+/, '')
    .slice(0, 100);
  return plain || 'file';
}

/** Whether the editor should highlight the file as NASM assembly (else plain text). */
export function isAssemblyFile(name: string): boolean {
  const lower = name.toLowerCase();
  return ASSEMBLY_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** A file size as a person reads it: "512 B", "1.5 KiB", "2.0 MiB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
