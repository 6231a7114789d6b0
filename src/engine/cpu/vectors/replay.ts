// Replays recorded single-instruction vectors (generate.mjs, harness.asm) on vmlab's reference interpreter.

import { PhysicalMemory } from '../../bus/physical-memory';
import { PortBus } from '../../bus/port-bus';
import { BlockCache } from '../block-cache';
import { Cpu } from '../cpu';
import { runFast } from '../fast-step';
import { getEflags, setEflags } from '../flags';
import { step } from '../interpreter';
import { CS, DS, ES, FS, GS, REAL_MODE_SEG_ATTR, resetCpuState, SS } from '../state';

/** One recorded case: initial state, the instruction, and what the reference emulator did. */
export interface Vector {
  form: string;
  code: string;
  regs: number[];
  eflags: number;
  win: string;
  stk: string;
  /** EFLAGS bits the SDM leaves undefined for this case; they are not compared. */
  undef: number;
  out: {
    regs: number[];
    eflags: number;
    sregs: number[];
    vector: number;
    /** Protected mode, after an exception: its error code (0 if none) and the EIP it saved. */
    error?: number;
    eip?: number;
    /** Protected mode with paging: CR2 and the window page's PTE afterwards. */
    cr2?: number;
    pte?: number;
    pteStack?: number;
    win?: string;
    stk?: string;
    /** The system-table suite: the table registers afterwards and the handler's EFLAGS. */
    sys?: SysRegs;
  };
}

/** GDTR and IDTR (limit, base), LDTR, TR, the access byte of TR's GDT entry, and EFLAGS in
 * the exception handler (0 without an exception). */
export interface SysRegs {
  gdtr: number[];
  idtr: number[];
  ldtr: number;
  tr: number;
  trAccess: number;
  hflags: number;
}

/** The state after one instruction, in the harness's terms. */
export interface Outcome {
  regs: number[];
  eflags: number;
  sregs: number[];
  vector: number;
  error?: number;
  eip?: number;
  cr2?: number;
  pte?: number;
  pteStack?: number;
  sys?: SysRegs;
  win: string;
  stk: string;
}

const WIN = 0x1000;
const STK = 0x6fe0;
const CODE = 0x2000;
const FAULT_CS = 0xf000;
/** Status flags and DF: what the comparison looks at. */
export const COMPARED_FLAGS = 0x0001 | 0x0004 | 0x0010 | 0x0040 | 0x0080 | 0x0400 | 0x0800;

/** `n` bytes of memory from `at` as a hex string. */
export function hexBytes(mem: PhysicalMemory, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++)
    s += mem
      .read8(at + i)
      .toString(16)
      .padStart(2, '0');
  return s;
}

/** Writes the bytes of a hex string to memory at `at`. */
export function load(mem: PhysicalMemory, at: number, hex: string): void {
  for (let i = 0; i < hex.length / 2; i++)
    mem.write8(at + i, Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

export const NO_DEADLINE = { nextIcount: Number.MAX_SAFE_INTEGER };

/** A reusable real-mode machine that runs vectors the way harness.asm does. */
export class VectorRunner {
  readonly mem = new PhysicalMemory(1 << 20);
  readonly cpu = new Cpu(this.mem, new PortBus());

  /**
   * `fast` runs each vector as the fast tier's first block run, `translated` through its JS
   * translation (one runner, one code address reused: the caches must see each new vector).
   */
  constructor(private readonly tier: 'fast' | 'translated' | 'reference' = 'reference') {
    if (tier === 'translated') {
      this.cpu.blocks = new BlockCache(this.mem);
      this.cpu.blocks.hotRuns = 0;
    }
  }

  /** Runs one vector and reports vmlab's outcome. */
  run(v: Vector): Outcome {
    const { mem, cpu } = this;
    const s = cpu.s;
    resetCpuState(s);
    // IVT: vector n -> F000:n, so that a delivered exception is recognisable by CS.
    for (let n = 0; n < 32; n++) {
      mem.write16(n * 4, n);
      mem.write16(n * 4 + 2, FAULT_CS);
    }
    load(mem, WIN, v.win);
    load(mem, STK, v.stk);
    load(mem, CODE, v.code);
    for (let i = 0; i < 6; i++) {
      s.seg[i] = 0;
      s.segBase[i] = 0;
      s.segLimit[i] = 0xffff;
      s.segAttr[i] = REAL_MODE_SEG_ATTR;
    }
    s.segAttr[CS] = 0x9b;
    s.seg[FS] = 0x80;
    s.segBase[FS] = 0x800;
    s.seg[GS] = 0x90;
    s.segBase[GS] = 0x900;
    for (let r = 0; r < 8; r++) s.regs[r] = v.regs[r]!;
    setEflags(s, v.eflags, 0xffffffff);
    s.eip = CODE;
    if (this.tier === 'reference') step(cpu);
    else runFast(cpu, 1, NO_DEADLINE);
    let vector = -1;
    const regs = Array.from(s.regs);
    let eflags = getEflags(s);
    if (s.seg[CS] === FAULT_CS) {
      vector = s.eip;
      const sp = s.regs[4]! & 0xffff;
      eflags = mem.read16(sp + 4);
      regs[4] = (regs[4]! & 0xffff0000) | ((sp + 6) & 0xffff);
    }
    return {
      regs,
      eflags,
      sregs: [s.seg[ES]!, s.seg[DS]!, s.seg[FS]!, s.seg[GS]!, s.seg[SS]!],
      vector,
      win: hexBytes(mem, WIN, 32),
      stk: hexBytes(mem, STK, 64),
    };
  }
}

/**
 * Differences between vmlab's outcome and the recorded one, as readable strings. `flags` are
 * the EFLAGS bits compared (less the case's undefined ones).
 */
export function compare(v: Vector, o: Outcome, flags = COMPARED_FLAGS): string[] {
  const diffs: string[] = [];
  const hex = (n: number) => (n >>> 0).toString(16);
  const names = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
  if (o.vector !== v.out.vector) diffs.push(`vector ${o.vector} != ${v.out.vector}`);
  else if (v.out.error !== undefined) {
    if (o.error !== v.out.error)
      diffs.push(`error code ${hex(o.error ?? -1)} != ${hex(v.out.error)}`);
    if (o.eip !== v.out.eip) diffs.push(`saved eip ${hex(o.eip ?? -1)} != ${hex(v.out.eip!)}`);
  }
  for (let r = 0; r < 8; r++) {
    if (o.regs[r] !== v.out.regs[r])
      diffs.push(`${names[r]} ${hex(o.regs[r]!)} != ${hex(v.out.regs[r]!)}`);
  }
  if (v.out.pte !== undefined) {
    if (o.cr2 !== v.out.cr2) diffs.push(`cr2 ${hex(o.cr2 ?? -1)} != ${hex(v.out.cr2!)}`);
    if (o.pte !== v.out.pte) diffs.push(`pte ${hex(o.pte ?? -1)} != ${hex(v.out.pte)}`);
    if (o.pteStack !== v.out.pteStack)
      diffs.push(`stack pte ${hex(o.pteStack ?? -1)} != ${hex(v.out.pteStack!)}`);
  }
  const mask = flags & ~v.undef;
  if ((o.eflags & mask) !== (v.out.eflags & mask)) {
    diffs.push(`eflags ${hex(o.eflags & mask)} != ${hex(v.out.eflags & mask)} (mask ${hex(mask)})`);
  }
  for (let i = 0; i < v.out.sregs.length; i++) {
    if (o.sregs[i] !== v.out.sregs[i])
      diffs.push(`sreg ${i} ${hex(o.sregs[i]!)} != ${hex(v.out.sregs[i]!)}`);
  }
  if (o.win !== (v.out.win ?? v.win)) diffs.push(`window ${o.win} != ${v.out.win ?? v.win}`);
  if (o.stk !== (v.out.stk ?? v.stk)) diffs.push(`stack ${o.stk} != ${v.out.stk ?? v.stk}`);
  const sys = v.out.sys;
  if (sys) {
    const got = JSON.stringify(o.sys ?? {});
    if (got !== JSON.stringify(sys))
      diffs.push(`system registers ${got} != ${JSON.stringify(sys)}`);
  }
  return diffs;
}
