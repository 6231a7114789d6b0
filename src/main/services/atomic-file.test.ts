import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from './atomic-file';

// rename can be made to fail once, as a full disk or a crash between write and rename would.
const failRename = vi.hoisted(() => ({ next: undefined as Error | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      const err = failRename.next;
      failRename.next = undefined;
      if (err) throw err;
      return real.rename(from, to);
    },
  };
});

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vmlab-atomic-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary files', async () => {
    const dir = tempDir();
    const file = join(dir, 'vm.json');
    writeFileSync(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['vm.json']);
  });

  it('keeps the old content when the write fails part way', async () => {
    const dir = tempDir();
    const file = join(dir, 'main.asm');
    writeFileSync(file, 'precious');
    failRename.next = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    await expect(writeFileAtomic(file, 'half')).rejects.toThrow('disk full');
    expect(readFileSync(file, 'utf8')).toBe('precious');
    expect(readdirSync(dir)).toEqual(['main.asm']);
  });
});
