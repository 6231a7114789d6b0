import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../bus/physical-memory';
import { PortBus } from '../../bus/port-bus';
import { Cpu } from '../cpu';
import { dataBreakpointsArmed } from '../debug';
import { DF, getEflags, setEflags } from '../flags';
import { step } from '../interpreter';
import { PTE_P, PTE_RW, PTE_US } from '../paging';
import { CS, DS, ECX, EDI, ES, ESI, resetCpuState, SS } from '../state';
import { seededRandom as rng } from './testing';

// The bulk path must be invisible: every REP STOS/MOVS case below runs twice, once as is and
// once with a data breakpoint armed on an address nobody touches (which turns the bulk path
// off, as it must for real breakpoints), and both machines must end in the same state.

const MEM = 2 << 20;
/** The contents every case starts from (a pattern, so that copies show). */
const PATTERN = Uint8Array.from({ length: MEM }, (_, i) => (i * 7) >>> 4);
const CODE = 0x3000;
const PD = 0x1000;
const PT = 0x2000;

interface Case {
  code: number[];
  regs: number[];
  eflags: number;
  esBase: number;
  esLimit: number;
  dsBase: number;
  paging: boolean;
  unmapped: number[];
  readOnly: number[];
  a20: boolean;
}

function makeCase(seed: number): Case {
  const r = rng(seed);
  const size = [1, 2, 4][r(3)]!;
  const move = r(2) === 0;
  const a16 = r(3) === 0;
  const code: number[] = [];
  if (size === 2) code.push(0x66);
  if (a16) code.push(0x67);
  code.push(0xf3, (move ? 0xa4 : 0xaa) + (size > 1 ? 1 : 0), 0xf4);
  // Now and then near the 1 MiB line, where a closed A20 gate folds addresses.
  const high = r(4) === 0 ? 0xc0000 : 0;
  const near = (base: number) => high + base + r(0x3000) - 0x1800 + [0, 1, 2, 3][r(4)]!;
  const src = near(0x40000 + r(4) * 0x1000);
  // Destinations overlap the source in every way now and then.
  const dst = r(3) === 0 ? src + r(64) - 32 : near(0x60000 + r(4) * 0x1000);
  const count = [0, 1, 7, 1000, 3000, 5000, 20000][r(7)]!;
  const pages = (n: number) => Array.from({ length: n }, () => 0x3d + r(0x30));
  return {
    code,
    regs: [0x41424344 + r(2) * 0x1010101 * r(200), count, 0, 0, 0, 0, src, dst],
    eflags: 0x2 | (r(2) === 0 ? DF : 0),
    esBase: a16 ? 0x50000 : 0,
    esLimit: r(4) === 0 ? 0x70000 : 0xffffffff,
    dsBase: a16 ? 0x38000 : 0,
    paging: r(3) !== 0,
    unmapped: r(2) === 0 ? pages(2) : [],
    readOnly: pages(r(3)),
    a20: r(8) !== 0,
  };
}

function machine(c: Case, bulk: boolean) {
  const mem = new PhysicalMemory(MEM);
  const cpu = new Cpu(mem, new PortBus());
  const s = cpu.s;
  resetCpuState(s);
  mem.bytes.set(PATTERN);
  for (let seg = 0; seg < 6; seg++) {
    s.seg[seg] = seg === CS ? 8 : 16;
    s.segBase[seg] = seg === ES ? c.esBase : seg === DS ? c.dsBase : 0;
    s.segLimit[seg] = seg === ES ? c.esLimit : 0xffffffff;
    s.segAttr[seg] = seg === CS ? 0x409b : 0x4093;
  }
  s.segAttr[SS] = 0x4093;
  c.regs.forEach((v, i) => {
    s.regs[i] = v;
  });
  setEflags(s, c.eflags, 0xffffffff);
  s.cr0 = 0x11 | (c.paging ? 0x80010000 : 0); // PE, ET; PG and WP with paging
  s.cr3 = PD;
  mem.write32(PD, PT | PTE_P | PTE_RW | PTE_US);
  for (let p = 0; p < 1024; p++) {
    let pte = (p << 12) | PTE_P | PTE_RW | PTE_US;
    if (c.unmapped.includes(p)) pte = 0;
    if (c.readOnly.includes(p)) pte &= ~PTE_RW;
    mem.write32(PT + p * 4, pte);
  }
  mem.setA20(c.a20);
  c.code.forEach((b, i) => {
    mem.bytes[CODE + i] = b;
  });
  s.eip = CODE;
  if (!bulk) {
    s.dr[0] = 0xfffffff0;
    s.dr[7] = 0x000d0001; // L0, a 4-byte write watch
    cpu.dataWatch = dataBreakpointsArmed(s);
  }
  const events: number[] = [];
  cpu.eventHook = (vector, _kind, errorCode) => {
    events.push(vector, errorCode);
    return true;
  };
  let steps = 0;
  while (!s.halted && events.length === 0 && steps < 100_000) {
    step(cpu);
    steps++;
  }
  return { cpu, mem, events, steps };
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('REP STOS/MOVS bulk path', () => {
  it('ends every case in the state the one-by-one loop reaches', () => {
    let bulkRuns = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const c = makeCase(seed);
      const fast = machine(c, true);
      const slow = machine(c, false);

      const where = `case ${seed}: ${JSON.stringify(c)}`;
      expect(fast.events, where).toEqual(slow.events);
      expect(Array.from(fast.cpu.s.regs), where).toEqual(Array.from(slow.cpu.s.regs));
      expect(getEflags(fast.cpu.s), where).toBe(getEflags(slow.cpu.s));
      expect([fast.cpu.s.eip, fast.cpu.s.cr2, fast.cpu.s.icount], where).toEqual([
        slow.cpu.s.eip,
        slow.cpu.s.cr2,
        slow.cpu.s.icount,
      ]);
      expect(firstDifference(fast.mem.bytes, slow.mem.bytes), where).toBe(-1);
      if (fast.cpu.s.regs[ECX] !== c.regs[ECX]) bulkRuns++;
    }
    expect(bulkRuns).toBeGreaterThan(100);
  });

  it('fills 1 MiB with REP STOSD in a few steps, not one per element', () => {
    const c = makeCase(1);
    c.code = [0xf3, 0xab, 0xf4];
    c.regs = [0xdeadbeef, 0x40000, 0, 0, 0, 0, 0, 0x100000];
    c.eflags = 0x2;
    c.paging = false;
    c.esLimit = 0xffffffff;
    c.esBase = 0;
    c.a20 = true;
    const run = machine(c, true);
    expect(run.mem.read32(0x100000)).toBe(0xdeadbeef);
    expect(run.mem.read32(0x1ffffc)).toBe(0xdeadbeef);
    expect(run.mem.read32(0x200000)).not.toBe(0xdeadbeef);
    expect(run.cpu.s.regs[EDI]).toBe(0x200000);
    expect(run.cpu.s.regs[ESI]).toBe(0);
    expect(run.cpu.s.icount).toBe(2); // REP STOSD and HLT
    expect(run.steps).toBeLessThan(0x40000 / 1024);
  });
});
