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
    win?: string;
    stk?: string;
  };
}

/** The state after one instruction, in the harness's terms. */
export interface Outcome {
  regs: number[];
  eflags: number;
  sregs: number[];
  vector: number;
  win: string;
  stk: string;
}

const WIN = 0x1000;
const STK = 0x6fe0;
const CODE = 0x2000;
const FAULT_CS = 0xf000;
/** Status flags and DF: what the comparison looks at. */
export const COMPARED_FLAGS = 0x0001 | 0x0004 | 0x0010 | 0x0040 | 0x0080 | 0x0400 | 0x0800;

function hexBytes(mem: PhysicalMemory, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++)
    s += mem
      .read8(at + i)
      .toString(16)
      .padStart(2, '0');
  return s;
}

function load(mem: PhysicalMemory, at: number, hex: string): void {
  for (let i = 0; i < hex.length / 2; i++)
    mem.write8(at + i, Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

const NO_DEADLINE = { nextIcount: Number.MAX_SAFE_INTEGER };

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

/** Differences between vmlab's outcome and the recorded one, as readable strings. */
export function compare(v: Vector, o: Outcome): string[] {
  const diffs: string[] = [];
  const hex = (n: number) => (n >>> 0).toString(16);
  const names = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
  if (o.vector !== v.out.vector) diffs.push(`vector ${o.vector} != ${v.out.vector}`);
  for (let r = 0; r < 8; r++) {
    if (o.regs[r] !== v.out.regs[r])
      diffs.push(`${names[r]} ${hex(o.regs[r]!)} != ${hex(v.out.regs[r]!)}`);
  }
  const mask = COMPARED_FLAGS & ~v.undef;
  if ((o.eflags & mask) !== (v.out.eflags & mask)) {
    diffs.push(`eflags ${hex(o.eflags & mask)} != ${hex(v.out.eflags & mask)} (mask ${hex(mask)})`);
  }
  for (let i = 0; i < 5; i++) {
    if (o.sregs[i] !== v.out.sregs[i])
      diffs.push(`sreg ${i} ${hex(o.sregs[i]!)} != ${hex(v.out.sregs[i]!)}`);
  }
  if (o.win !== (v.out.win ?? v.win)) diffs.push(`window ${o.win} != ${v.out.win ?? v.win}`);
  if (o.stk !== (v.out.stk ?? v.stk)) diffs.push(`stack ${o.stk} != ${v.out.stk ?? v.stk}`);
  return diffs;
}
