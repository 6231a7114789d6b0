import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from './state-codec';

describe('state codec', () => {
  it('keeps typed arrays binary and round-trips plain state exactly', () => {
    const state = {
      version: 3,
      cpu: {
        regs: new Uint32Array([1, 0xffffffff, 3]),
        seg: new Uint16Array([0x7c0, 2]),
        halted: true,
      },
      devices: [{ fifo: [1, 2, 3], name: 'com1', lsr: 0x60 }],
      image: new Uint8Array([0x55, 0xaa]),
      nothing: null,
    };
    const { json, blob } = encodeState(state);
    expect(json).not.toContain('4294967295');
    expect(blob.length).toBeGreaterThanOrEqual(12 + 4 + 2);
    const back = decodeState<typeof state>(json, blob);
    expect(back).toEqual(state);
    expect(back.cpu.regs).toBeInstanceOf(Uint32Array);
    back.cpu.regs[0] = 99; // a copy, not a view of the blob
    expect(decodeState<typeof state>(json, blob).cpu.regs[0]).toBe(1);
  });

  it('refuses state that would not come back the same', () => {
    expect(() => encodeState({ f: () => 1 })).toThrow(/not plain data/);
    expect(() => encodeState({ m: new Map() })).toThrow(/not plain data/);
    expect(() => encodeState({ n: Number.NaN })).toThrow(/JSON cannot keep/);
  });

  it('refuses arrays that point outside the blob', () => {
    const json = '{"a":{"$typed":"Uint32Array","offset":8,"length":4}}';
    expect(() => decodeState(json, new Uint8Array(16))).toThrow(/outside the state blob/);
  });
});

describe('state codec with Node Buffers', () => {
  it('decodes arrays from a blob that is a view into a larger Buffer', async () => {
    const { Buffer } = await import('node:buffer');
    const { json, blob } = encodeState({ regs: new Uint32Array([0x11223344, 5]) });
    const pool = Buffer.alloc(blob.length + 16, 0xaa);
    pool.set(blob, 8);
    const back = decodeState<{ regs: Uint32Array }>(json, pool.subarray(8, 8 + blob.length));
    expect(Array.from(back.regs)).toEqual([0x11223344, 5]);
  });
});
