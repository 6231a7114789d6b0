import { describe, expect, it } from 'vitest';
import { checksum32 } from './checksum';
import { FORMAT_VERSION, readContainer, writeContainer } from './container';
import { SnapshotError } from './errors';

function sample(): Uint8Array {
  return writeContainer({ id: 'snap-1', name: 'first' }, [
    { name: 'state', data: new TextEncoder().encode('{"a":1}') },
    { name: 'memory', data: new Uint8Array(1000).map((_, i) => i & 0xff) },
    { name: 'empty', data: new Uint8Array(0) },
  ]);
}

function refusal(file: Uint8Array): SnapshotError {
  try {
    readContainer(file);
  } catch (err) {
    if (err instanceof SnapshotError) return err;
    throw err;
  }
  throw new Error('expected the file to be refused');
}

describe('snapshot container', () => {
  it('round-trips the manifest and every section', () => {
    const c = readContainer(sample());
    expect(c.manifest).toMatchObject({ id: 'snap-1', name: 'first' });
    expect(new TextDecoder().decode(c.section('state'))).toBe('{"a":1}');
    expect(c.section('memory')[999]).toBe(999 & 0xff);
    expect(c.section('empty').length).toBe(0);
    expect(c.has('disk')).toBe(false);
    expect(() => c.section('disk')).toThrow(/no 'disk' section/);
  });

  it('refuses a wrong magic number', () => {
    const file = sample();
    file[0] = 0x4e;
    expect(refusal(file)).toMatchObject({
      kind: 'wrong-magic',
      message: expect.stringMatching(/not a vmlab snapshot/),
    });
    expect(refusal(new TextEncoder().encode('PK\u0003\u0004 a zip file'))).toMatchObject({
      kind: 'wrong-magic',
    });
  });

  it('refuses a file from a newer vmlab, saying which versions', () => {
    const file = sample();
    new DataView(file.buffer).setUint32(8, FORMAT_VERSION + 1, true);
    expect(refusal(file).message).toBe(
      `snapshot file was written by a newer vmlab (format ${FORMAT_VERSION + 1}; this version reads up to ${FORMAT_VERSION})`,
    );
  });

  it('refuses a truncated file at every length', () => {
    const file = sample();
    for (let len = 8; len < file.length; len += 7) {
      expect(refusal(file.subarray(0, len)).kind, `length ${len}`).toBe('truncated');
    }
  });

  it('refuses a file with any single bit flipped past the magic', () => {
    const file = sample();
    for (let i = 8; i < file.length; i += 3) {
      const bad = file.slice();
      bad[i]! ^= 1 << (i % 8);
      // Flipping a padding byte changes nothing that is read; everything else must be caught.
      try {
        const c = readContainer(bad);
        expect(c.manifest.sections.every((s) => i < s.offset || i >= s.offset + s.length)).toBe(
          true,
        );
      } catch (err) {
        expect(err).toBeInstanceOf(SnapshotError);
        expect(['corrupt', 'truncated', 'future-version']).toContain((err as SnapshotError).kind);
      }
    }
  });

  it('checksums change with any single-bit change, including the tail bytes', () => {
    const data = new Uint8Array(4099).map((_, i) => (i * 7) & 0xff);
    const base = checksum32(data);
    for (const at of [0, 1, 2048, 4095, 4096, 4098]) {
      const copy = data.slice();
      copy[at]! ^= 0x10;
      expect(checksum32(copy)).not.toBe(base);
    }
    expect(checksum32(data.subarray(1))).toBe(checksum32(data.slice(1)));
  });
});

describe('container layout', () => {
  it('stays consistent whatever the manifest length does to the section offsets', () => {
    for (let pad = 0; pad < 40; pad++) {
      const file = writeContainer({ note: 'x'.repeat(pad) }, [
        { name: 'a', data: new Uint8Array(13).fill(1) },
        { name: 'b', data: new Uint8Array(5).fill(2) },
      ]);
      const c = readContainer(file);
      expect(c.section('a')).toEqual(new Uint8Array(13).fill(1));
      expect(c.section('b')).toEqual(new Uint8Array(5).fill(2));
    }
  });
});

describe('containers read from Node Buffers', () => {
  it('reads a file held in a Buffer at an odd offset of a larger pool', async () => {
    const { Buffer } = await import('node:buffer');
    const file = writeContainer({ kind: 'x' }, [
      { name: 'words', data: new Uint8Array(new Uint32Array([1, 2, 3, 0xdeadbeef]).buffer) },
      { name: 'tail', data: new Uint8Array([9, 8, 7]) },
    ]);
    const pool = Buffer.alloc(file.length + 3);
    pool.set(file, 3);
    const odd = pool.subarray(3);
    expect(odd.byteOffset % 4).not.toBe(0);
    const c = readContainer(odd);
    expect(Array.from(new Uint32Array(c.section('words').slice().buffer))).toEqual([
      1, 2, 3, 0xdeadbeef,
    ]);
    expect(Array.from(c.section('tail'))).toEqual([9, 8, 7]);
  });
});
