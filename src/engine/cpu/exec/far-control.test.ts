import { describe, expect, it } from 'vitest';
import { UnimplementedError } from '../../bus/errors';
import { PhysicalMemory } from '../../bus/physical-memory';
import { PortBus } from '../../bus/port-bus';
import { Cpu } from '../cpu';
import { NT } from '../flags';
import { step } from '../interpreter';
import { CS, ESP, SS } from '../state';

const GDT = 0x800;
const IDT = 0xa00;

/** Writes descriptor `index` of the GDT: base, limit (20 bits), access byte, flags nibble. */
function desc(
  mem: PhysicalMemory,
  index: number,
  base: number,
  limit: number,
  access: number,
  flags: number,
) {
  const a = GDT + index * 8;
  mem.write16(a, limit & 0xffff);
  mem.write16(a + 2, base & 0xffff);
  mem.write8(a + 4, (base >>> 16) & 0xff);
  mem.write8(a + 5, access);
  mem.write8(a + 6, ((limit >>> 16) & 0xf) | (flags << 4));
  mem.write8(a + 7, base >>> 24);
}

/** Flat ring-0 protected mode with a GDT (code 08h, data 10h, TSS 28h, task gate 30h) and an IDT. */
function machine(code: number[]) {
  const mem = new PhysicalMemory(1 << 20);
  const cpu = new Cpu(mem, new PortBus());
  desc(mem, 1, 0, 0xfffff, 0x9a, 0xc);
  desc(mem, 2, 0, 0xfffff, 0x92, 0xc);
  desc(mem, 5, 0x900, 0x67, 0x89, 0);
  mem.write16(GDT + 6 * 8 + 2, 0x28); // task gate -> TSS 28h
  mem.write8(GDT + 6 * 8 + 5, 0x85);
  mem.write16(IDT + 0x40 * 8 + 2, 0x28); // IDT 40h: task gate
  mem.write8(IDT + 0x40 * 8 + 5, 0x85);
  const s = cpu.s;
  Object.assign(s, { cr0: 0x11, gdtrBase: GDT, gdtrLimit: 0x3f, idtrBase: IDT, idtrLimit: 0x7ff });
  for (let i = 0; i < 6; i++) {
    s.seg[i] = 0x10;
    s.segBase[i] = 0;
    s.segLimit[i] = 0xffffffff;
    s.segAttr[i] = 0xc093;
  }
  s.seg[CS] = 0x08;
  s.segAttr[CS] = 0xc09b;
  s.regs[ESP] = 0x8000;
  s.eip = 0x1000;
  mem.load(0x1000, code);
  return { cpu, s, mem };
}

function unimplemented(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof UnimplementedError) return e.message;
    throw e;
  }
  return 'no error';
}

describe('far transfers: what is left for later is a clear error', () => {
  it('JMP/CALL to a TSS or a task gate: hardware task switch not implemented', () => {
    for (const sel of [0x28, 0x30]) {
      const m = machine([0xea, 0, 0, 0, 0, sel, 0]);
      expect(unimplemented(() => step(m.cpu))).toMatch(/hardware task switch .*not implemented/);
      const c = machine([0x9a, 0, 0, 0, 0, sel, 0]);
      expect(unimplemented(() => step(c.cpu))).toMatch(/hardware task switch .*not implemented/);
    }
  });

  it('INT through a task gate and IRET with NT set are task switches too', () => {
    const m = machine([0xcd, 0x40]);
    expect(unimplemented(() => step(m.cpu))).toMatch(/hardware task switch not implemented/);
    const i = machine([0xcf]);
    i.s.eflags |= NT;
    expect(unimplemented(() => step(i.cpu))).toMatch(/IRET with NT=1/);
  });

  it('IRET to virtual-8086 mode is not implemented', () => {
    const m = machine([0xcf]);
    m.mem.write32(0x8000, 0x2000);
    m.mem.write32(0x8004, 0x08);
    m.mem.write32(0x8008, 0x20002);
    expect(unimplemented(() => step(m.cpu))).toMatch(/virtual-8086/);
  });

  it('a far JMP to a ring-0 code segment loads CS and sets the accessed bit', () => {
    const m = machine([0xea, 0x00, 0x20, 0, 0, 0x08, 0]);
    step(m.cpu);
    expect([m.s.seg[CS], m.s.eip, m.s.cpl]).toEqual([0x08, 0x2000, 0]);
    expect(m.mem.read8(GDT + 8 + 5)).toBe(0x9b);
    expect(m.s.seg[SS]).toBe(0x10);
  });
});
