import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CowOverlay } from '../../engine';
import { RawFileDisk } from './raw-file-disk';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('raw image file disk', () => {
  it('reads, writes in place, pads a short last sector and refuses out-of-range access', () => {
    dir = mkdtempSync(join(tmpdir(), 'vmlab-disk-'));
    const file = join(dir, 'd.img');
    writeFileSync(file, Buffer.alloc(700, 3));
    const disk = RawFileDisk.open(file);
    expect(disk.sectorCount).toBe(2);
    const buf = new Uint8Array(1024);
    disk.read(0, 2, buf, 0);
    expect([buf[0], buf[699], buf[700]]).toEqual([3, 3, 0]);
    disk.write(0, 1, new Uint8Array(512).fill(9), 0);
    disk.flush();
    expect(readFileSync(file)[511]).toBe(9);
    expect(() => disk.read(2, 1, buf, 0)).toThrow(RangeError);
    disk.close();
    expect(() => disk.read(0, 1, buf, 0)).toThrow(/closed/);
  });

  it('opens read-only files read-only, and a copy-on-write overlay keeps them untouched', () => {
    dir = mkdtempSync(join(tmpdir(), 'vmlab-disk-'));
    const file = join(dir, 'ro.img');
    writeFileSync(file, Buffer.alloc(1024, 1));
    chmodSync(file, 0o444);
    const disk = RawFileDisk.open(file, { readOnly: true });
    expect(disk.readOnly).toBe(true);
    expect(() => disk.write(0, 1, new Uint8Array(512), 0)).toThrow(/read-only/);
    const cow = new CowOverlay(disk);
    cow.write(1, 1, new Uint8Array(512).fill(7), 0);
    const buf = new Uint8Array(512);
    cow.read(1, 1, buf, 0);
    expect(buf[0]).toBe(7);
    expect(readFileSync(file)[512]).toBe(1);
    disk.close();
  });
});
