import { describe, expect, it } from 'vitest';
import { Descriptor, SYS_CALL_GATE32, SYS_TSS32_AVAIL } from './descriptors';

describe('descriptors', () => {
  it('decodes a flat 4 GiB ring-3 code segment (G = 1, D = 1)', () => {
    const d = new Descriptor().decode(0x0000ffff, 0x00cffa00);
    expect([d.base, d.limit, d.dpl, d.present, d.isCode, d.isReadable]).toEqual([
      0,
      0xffffffff,
      3,
      true,
      true,
      true,
    ]);
    expect(d.attr).toBe(0xc0fa);
  });

  it('decodes a byte-granular expand-down data segment with a high base', () => {
    const d = new Descriptor().decode(0x34560fff, 0x12409678);
    expect([d.base, d.limit, d.isData, d.isWritableData, d.isConforming]).toEqual([
      0x12783456,
      0xfff,
      true,
      true,
      false,
    ]);
    expect(d.attr & 0x1c).toBe(0x14);
  });

  it('decodes gates and system segments', () => {
    const gate = new Descriptor().decode(0x00081234, 0x5678ec02);
    expect([
      gate.systemType,
      gate.gateSelector,
      gate.gateOffset,
      gate.gateParams,
      gate.dpl,
    ]).toEqual([SYS_CALL_GATE32, 0x08, 0x56781234, 2, 3]);
    const tss = new Descriptor().decode(0x00000067, 0x00008900);
    expect([tss.systemType, tss.limit, tss.isSegment]).toEqual([SYS_TSS32_AVAIL, 0x67, false]);
  });
});
