// Replays protected-mode vectors (harness-pm.asm, gen-pm-layout.mjs) on vmlab: the same GDT, IDT, TSS and segment caches, one instruction, and the outcome as the harness reports it.

import { PhysicalMemory } from '../../bus/physical-memory';
import { PortBus } from '../../bus/port-bus';
import { BlockCache } from '../block-cache';
import { Cpu } from '../cpu';
import { Descriptor } from '../descriptors';
import { runFast } from '../fast-step';
import { getEflags, setEflags } from '../flags';
import { step } from '../interpreter';
import { setNullSegment, setSegmentCache } from '../segmentation';
import { CS, DS, ES, FS, GS, resetCpuState, SS } from '../state';
import { COMPARED_FLAGS, hexBytes, load, NO_DEADLINE, type Outcome, type Vector } from './replay';
import { type SysLayout, sysFrame, sysGates, sysRegs, sysTables, sysVector } from './replay-pm-sys';

/** Where the harness put its tables, as recorded in a protected-mode file's header. */
export interface PmLayout {
  gdtBase: number;
  /** The GDT's bytes as the cases see it (TSS busy after LTR). */
  gdt: string;
  idtBase: number;
  idtLimit: number;
  tssBase: number;
  tr: number;
  ring0Stack: number;
  /** Paging cases: the page directory and the page table mapping the first 4 MiB. */
  pageDirectory: number;
  pageTable: number;
  /** The system-table suite (generate.mjs --suite sys) adds these. */
  sys?: SysLayout;
}

/** A protected-mode case: code size, CPL and the selectors it starts with (ES CS SS DS FS GS). */
export interface PmVector extends Vector {
  d32: boolean;
  cpl: number;
  sregs: number[];
  /** A control transfer: it runs at LANDING in a page of INT3 instructions (harness-pm.asm). */
  landing?: boolean;
  /** Paging on: the flags (P, R/W, U/S, A, D) of the PTEs of the window's page (1000h) and
   * of the stack's lower page (6000h), and CR0.WP. */
  paging?: Paging;
  /** System-table suite: the TSS's I/O map base and its bytes 68h-97h (the bitmap). */
  io?: { base: number; map: string };
}

/** How a paging case maps the window's page and the stack's lower page. */
export interface Paging {
  pte: number;
  pteStack: number;
  wp: boolean;
}

/** Status flags and DF, plus IF, IOPL, NT, RF (set in fault frames), AC, VIF, VIP and ID. */
export const PM_COMPARED_FLAGS =
  COMPARED_FLAGS | 0x200 | 0x3000 | 0x4000 | 0x10000 | 0x40000 | 0x80000 | 0x100000 | 0x200000;

const WIN = 0x1000;
const STK = 0x6fe0;
const CODE = 0x2000;
const LANDING = 0x2800;
/** CR0 as the harness leaves it: Bochs's reset value (CD, NW, ET) plus PE. */
const CR0 = 0x60000011;
/** vmlab's IDT gates lead to 08:STUBS + 8n; nothing runs there, an EIP there names vector n. */
const STUBS = 0xf8000;
const VECTORS = 0x31;
const HARNESS_CS = 0x08;
/** Exceptions that push an error code (SDM 3A table 6-1). */
const ERROR_VECTORS = 0x00027d00;
const scratch = new Descriptor();
const RF = 0x10000;

/** A reusable protected-mode machine that runs vectors the way harness-pm.asm does. */
export class PmVectorRunner {
  readonly mem = new PhysicalMemory(1 << 20);
  readonly cpu = new Cpu(this.mem, new PortBus());

  /** `tier` as for VectorRunner: the reference interpreter, the fast tier or its translation. */
  constructor(
    private readonly layout: PmLayout,
    private readonly tier: 'fast' | 'translated' | 'reference' = 'reference',
    /** Clear RF in the EFLAGS image of fault frames, as QEMU leaves it (the SDM sets it). */
    private readonly frameRfClear = false,
  ) {
    if (tier === 'translated') {
      this.cpu.blocks = new BlockCache(this.mem);
      this.cpu.blocks.hotRuns = 0;
    }
  }

  /** Writes the GDT, IDT and TSS and points GDTR, IDTR, TR and an empty LDTR at them. */
  private tables(): void {
    const { mem, layout: l } = this;
    const s = this.cpu.s;
    load(mem, l.gdtBase, l.gdt);
    s.gdtrBase = l.gdtBase;
    s.gdtrLimit = l.gdt.length / 2 - 1;
    for (let n = 0; n <= l.idtLimit >> 3; n++) {
      const at = l.idtBase + n * 8;
      const off = STUBS + n * 8;
      const present = n < 32 || n === 0x30;
      const type = n === 3 || n === 4 || n === 0x30 ? 0xee00 : 0x8e00;
      mem.write32(at, present ? ((HARNESS_CS << 16) | (off & 0xffff)) >>> 0 : 0);
      mem.write32(at + 4, present ? ((off & 0xffff0000) | type) >>> 0 : 0);
    }
    s.idtrBase = l.idtBase;
    s.idtrLimit = l.idtLimit;
    for (let i = 0; i < 0x68; i += 4) mem.write32(l.tssBase + i, 0);
    mem.write32(l.tssBase + 4, l.ring0Stack);
    mem.write16(l.tssBase + 8, 0x10);
    mem.write16(l.tssBase + 0x66, 0x68);
    s.tr = l.tr;
    s.trBase = l.tssBase;
    s.trLimit = 0x67;
    s.trAttr = 0x8b;
    s.ldtr = 0;
    s.ldtrBase = 0;
    s.ldtrLimit = 0;
    s.ldtrAttr = 0;
    if (l.sys) sysGates(mem, l);
  }

  /** Identity-maps the first 4 MiB (present, writable, user, accessed, dirty) but the two
   * pages that take the case's flags, and turns paging on. */
  private paging(p: Paging): void {
    const { mem, layout: l } = this;
    const s = this.cpu.s;
    mem.write32(l.pageDirectory, l.pageTable | 0x27);
    for (let i = 0; i < 1024; i++) mem.write32(l.pageTable + i * 4, (i << 12) | 0x67);
    mem.write32(l.pageTable + 4, WIN | p.pte);
    mem.write32(l.pageTable + 6 * 4, 0x6000 | p.pteStack);
    s.cr0 = (s.cr0 | 0x80000000 | (p.wp ? 0x10000 : 0)) >>> 0;
  }

  /** Loads a segment register's cache straight from the GDT, as the harness's loads did. */
  private segment(seg: number, selector: number): void {
    const s = this.cpu.s;
    if ((selector & 0xfffc) === 0) {
      setNullSegment(s, seg, selector);
      return;
    }
    const at = this.layout.gdtBase + (selector & 0xfff8);
    setSegmentCache(s, seg, selector, scratch.decode(this.mem.read32(at), this.mem.read32(at + 4)));
  }

  /** Runs one vector and reports vmlab's outcome. */
  run(v: PmVector): Outcome {
    const { mem, cpu } = this;
    const s = cpu.s;
    resetCpuState(s);
    s.cr0 = CR0;
    s.cr3 = this.layout.pageDirectory;
    this.tables();
    if (this.layout.sys) sysTables(this.cpu, this.layout, v);
    load(mem, WIN, v.win);
    load(mem, STK, v.stk);
    if (v.landing) {
      mem.bytes.fill(0xcc, CODE, CODE + 0x1000);
      mem.touch(CODE, 0x1000);
    }
    const entry = v.landing ? LANDING : CODE;
    load(mem, entry, v.code);
    for (let i = 0; i < 6; i++) this.segment(i, v.sregs[i]!);
    s.cpl = v.cpl;
    if (v.paging) this.paging(v.paging);
    cpu.tlb.flush(false);
    for (let r = 0; r < 8; r++) s.regs[r] = v.regs[r]!;
    setEflags(s, v.eflags, 0xffffffff);
    s.eip = entry;
    this.step();
    // Where a control transfer lands, the INT3 there reports CS:EIP as vector 3.
    if (v.landing && this.vector() < 0) this.step();
    const regs = Array.from(s.regs);
    const sregs = [s.seg[ES]!, s.seg[CS]!, s.seg[SS]!, s.seg[DS]!, s.seg[FS]!, s.seg[GS]!];
    const o: Outcome = { regs, eflags: getEflags(s), sregs, vector: -1, win: '', stk: '' };
    const vector = this.vector();
    if (vector >= 0) {
      if (this.layout.sys)
        sysFrame(cpu, o, vector, v.cpl, this.layout.ring0Stack, this.frameRfClear);
      else this.frame(o, vector);
    }
    if (this.layout.sys) o.sys = sysRegs(cpu, this.layout, vector >= 0);
    if (v.paging) {
      o.cr2 = s.cr2;
      o.pte = mem.read32(this.layout.pageTable + 4);
      o.pteStack = mem.read32(this.layout.pageTable + 6 * 4);
    }
    o.win = hexBytes(mem, WIN, 32);
    o.stk = hexBytes(mem, STK, 64);
    return o;
  }

  /** One instruction on the runner's tier. */
  private step(): void {
    if (this.tier === 'reference') step(this.cpu);
    else runFast(this.cpu, 1, NO_DEADLINE);
  }

  /** The vector whose gate the CPU just went through, or -1 (EIP in the stubs names it). */
  private vector(): number {
    const s = this.cpu.s;
    if (this.layout.sys) {
      const n = sysVector(s.eip, this.layout.sys);
      if (n >= 0) return n;
    }
    const stub = s.eip - STUBS;
    if ((s.seg[CS]! & 0xfffc) !== HARNESS_CS || stub < 0 || stub >= VECTORS * 8) return -1;
    return stub >> 3;
  }

  /** Fills `o` from the exception frame of `vector`, as harness-pm.asm's fault handler does. */
  private frame(o: Outcome, vector: number): void {
    const s = this.cpu.s;
    const base = s.segBase[SS]!;
    const esp = s.regs[4]!;
    let at = esp;
    const read32 = (off: number) => this.mem.read32((base + off) >>> 0);
    o.vector = vector;
    o.error = 0;
    if (((ERROR_VECTORS >>> vector) & 1) !== 0) {
      o.error = read32(at);
      at += 4;
    }
    o.eip = read32(at);
    o.sregs[1] = read32(at + 4) & 0xffff;
    if (this.frameRfClear) this.mem.write32((base + at + 8) >>> 0, read32(at + 8) & ~RF);
    o.eflags = read32(at + 8);
    if ((o.sregs[1] & 3) !== 0) {
      o.regs[4] = read32(at + 12);
      o.sregs[2] = read32(at + 16) & 0xffff;
    } else {
      o.regs[4] = (at + 12) >>> 0;
    }
  }
}
