import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../bus/physical-memory';
import { PortBus } from '../bus/port-bus';
import { Cpu } from './cpu';
import { CpuFault, Vector } from './faults';
import { ACCESS_USER, ACCESS_WRITE } from './paging';
import { DS } from './state';

const PD = 0x10000;
const PT = 0x11000;

/** A CPU with paging on: PD at 10000h, linear 400000h-7FFFFFh through PT at 11000h. */
function pagedCpu() {
  const mem = new PhysicalMemory(1 << 20);
  const cpu = new Cpu(mem, new PortBus());
  const s = cpu.s;
  mem.write32(PD + 1 * 4, PT | 0x7);
  s.cr3 = PD;
  s.cr0 = 0x80000011;
  s.segLimit[DS] = 0xffffffff;
  s.segBase[DS] = 0;
  return { cpu, mem, s };
}

function fault(f: () => unknown): [number, number] {
  try {
    f();
  } catch (e) {
    if (e instanceof CpuFault) return [e.vector, e.errorCode];
    throw e;
  }
  return [-1, -1];
}

describe('paging and the TLB', () => {
  it('translates through the TLB, setting A on read and D on the first write', () => {
    const { cpu, mem } = pagedCpu();
    mem.write32(PT, 0x20000 | 0x7);
    mem.write32(0x20010, 0xcafe);
    expect(cpu.read32(DS, 0x400010)).toBe(0xcafe);
    expect(mem.read32(PT) & 0x60).toBe(0x20);
    expect(mem.read32(PD + 4) & 0x20).toBe(0x20);
    cpu.write32(DS, 0x400020, 1);
    expect(mem.read32(PT) & 0x60).toBe(0x60);
    expect(mem.read32(0x20020)).toBe(1);
  });

  it('keeps a stale translation until INVLPG or a flush, as a TLB does', () => {
    const { cpu, mem } = pagedCpu();
    mem.write32(PT, 0x20000 | 0x7);
    mem.write32(0x20000, 1);
    mem.write32(0x21000, 2);
    expect(cpu.read32(DS, 0x400000)).toBe(1);
    mem.write32(PT, 0x21000 | 0x7);
    expect(cpu.read32(DS, 0x400000)).toBe(1);
    cpu.tlb.invalidate(0x400);
    expect(cpu.read32(DS, 0x400000)).toBe(2);
  });

  it('keeps global pages over a CR3 reload (CR4.PGE) and drops them on a full flush', () => {
    const { cpu, mem, s } = pagedCpu();
    s.cr4 = 0x80;
    mem.write32(PT, 0x20000 | 0x107);
    mem.write32(PT + 4, 0x21000 | 0x007);
    cpu.read32(DS, 0x400000);
    cpu.read32(DS, 0x401000);
    cpu.tlb.flush(true);
    expect(cpu.tlb.entries[0x400]).not.toBe(0);
    expect(cpu.tlb.entries[0x401]).toBe(0);
    cpu.tlb.flush(false);
    expect(cpu.tlb.entries[0x400]).toBe(0);
  });

  it('raises #PF with CR2 and the error code, and checks both pages of a split access', () => {
    const { cpu, mem, s } = pagedCpu();
    mem.write32(PT, 0x20000 | 0x7);
    mem.write32(PT + 4, 0x21000 | 0x5); // read-only user page
    s.cr0 |= 0x10000; // WP
    expect(fault(() => cpu.write32(DS, 0x400ffe, 0))).toEqual([Vector.PF, 0x3]);
    expect(s.cr2).toBe(0x401000);
    expect(mem.read16(0x20ffe)).toBe(0); // the first page was not written
    expect(fault(() => cpu.translate(0x402000, ACCESS_USER | ACCESS_WRITE))).toEqual([
      Vector.PF,
      0x6,
    ]);
    expect(s.cr2).toBe(0x402000);
  });

  it('maps 4 MiB pages with CR4.PSE and reports reserved bits with RSVD', () => {
    const { cpu, mem, s } = pagedCpu();
    s.cr4 = 0x10;
    mem.write32(PD + 2 * 4, 0x00000087);
    mem.write32(PD + 3 * 4, 0x00200087);
    mem.write32(0x5000, 0x77);
    expect(cpu.read32(DS, 0x805000)).toBe(0x77);
    expect(fault(() => cpu.read32(DS, 0xc00000))).toEqual([Vector.PF, 0x9]);
  });

  it('costs nothing with paging off: linear is physical', () => {
    const { cpu, s } = pagedCpu();
    s.cr0 = 0x11;
    expect(cpu.translate(0x12345, ACCESS_USER | ACCESS_WRITE)).toBe(0x12345);
  });
});
