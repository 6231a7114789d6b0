import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../bus/physical-memory';
import { PortBus } from '../bus/port-bus';
import { BlockCache } from './block-cache';
import { Cpu } from './cpu';
import { seededRandom as rng } from './exec/testing';
import { runFast } from './fast-step';
import { getEflags } from './flags';
import { runSteps } from './interpreter';
import { CS, EBX, ECX, ESP, SS } from './state';

// Random loops of the forms the lean path (lean-step.ts) and the translator (block-emit.ts)
// handle themselves, mixed with forms they hand to the handlers, run three ways: reference
// tier (lean path), fast tier interpreting its blocks (the handlers) and fast tier translating
// them. All three must end with the same registers, flags, memory and icount, also when the
// runs are cut at odd step budgets and timer deadlines.

const CODE = 0x1000;
/** The data the loops read and write: in a frame of its own, or in the code's frame (seed % 4 === 1). */
const DATA = 0x8000;
const DATA_BY_CODE = CODE + 0x800;
const NEVER = { nextIcount: Number.MAX_SAFE_INTEGER };

/** Registers a random instruction may write: not ECX (the loop count), EBX (data) or ESP. */
const WRITABLE = [0, 2, 5, 6, 7];

/** One random instruction's bytes, for 32-bit (`wide`) or 16-bit code. */
function instruction(r: (n: number) => number, wide: boolean): number[] {
  const dst = WRITABLE[r(WRITABLE.length)]!;
  const src = r(8);
  const g = r(8);
  const disp = r(16) * 4;
  const base = wide ? EBX : 7; // [ebx+disp8] or [bx+disp8]
  const byteDst = [0, 2, 4, 6][r(4)]!; // AL, DL, AH, DH
  switch (r(19)) {
    case 0:
      return [g * 8 + 1, 0xc0 | (src << 3) | dst]; // ALU Ev,Gv register form
    case 1:
      return [g * 8, 0xc0 | (src << 3) | byteDst]; // ALU Eb,Gb
    case 2:
      return [0x83, 0xc0 | (g << 3) | dst, r(256)]; // ALU Ev,Ibs
    case 3:
      return [g * 8 + 3, 0x40 | (dst << 3) | base, disp]; // ALU Gv,[ebx+disp8]
    case 4:
      return [g * 8 + 1, 0x40 | (src << 3) | base, disp]; // ALU [ebx+disp8],Gv
    case 5:
      return [0x40 + dst + (r(2) ? 8 : 0)]; // INC/DEC
    case 6:
      return [0x50 + src, 0x58 + dst]; // PUSH, POP
    case 7:
      return [0x89, 0x40 | (src << 3) | base, disp]; // MOV [ebx+disp8],Gv
    case 8:
      return [0x8b, 0x40 | (dst << 3) | base, disp]; // MOV Gv,[ebx+disp8]
    case 9:
      return [0x8d, 0x40 | (dst << 3) | (src === 4 ? 5 : src), r(256)]; // LEA Gv,[reg+disp8]
    case 10: {
      const imm = [r(256), r(256)];
      return [0xb8 + dst, ...imm, ...(wide ? [r(256), r(256)] : [])]; // MOV r,imm
    }
    case 11:
      return [0xc1, 0xc0 | ((4 + r(4)) << 3) | dst, r(32)]; // shifts: through the handler
    case 12:
      return [0x85, 0xc0 | (src << 3) | dst]; // TEST Ev,Gv
    case 13:
      return [0x9c, 0x58 + dst]; // PUSHF; POP: the flags into a register
    case 14:
      return [0x0f, 0x90 + r(16), 0xc0 | byteDst]; // SETcc
    default: {
      // A flag producer (operands often equal) right before Jcc over a 2-byte ADD, so that
      // the translator's conditions from known flags meet every edge.
      const same = r(2) === 0 ? dst : src;
      const producers = [
        [0x39, 0xc0 | (same << 3) | dst], // CMP
        [0x29, 0xc0 | (same << 3) | dst], // SUB
        [0x01, 0xc0 | (same << 3) | dst], // ADD
        [0x21, 0xc0 | (same << 3) | dst], // AND
        [0x85, 0xc0 | (same << 3) | dst], // TEST
        [0x83, 0xf8 | dst, r(2) === 0 ? 0 : r(256)], // CMP imm
        [0x40 + dst + (r(2) ? 8 : 0)], // INC/DEC
        [],
      ];
      const p = producers[r(producers.length)]!;
      return [...p, 0x70 + r(16), 2, 0x01, 0xc0 | (src << 3) | dst]; // Jcc over a 2-byte ADD
    }
  }
}

/** A loop of `n` random instructions run `count` times, then HLT. */
function program(seed: number, wide: boolean): number[] {
  const r = rng(seed);
  const body: number[] = [];
  const n = 3 + r(20);
  for (let i = 0; i < n; i++) body.push(...instruction(r, wide));
  // dec ecx; jnz rel32 (or rel16) back to the start; hlt.
  const back = -(body.length + 1 + (wide ? 6 : 4));
  const rel = wide
    ? [back & 0xff, (back >> 8) & 0xff, (back >> 16) & 0xff, (back >> 24) & 0xff]
    : [back & 0xff, (back >> 8) & 0xff];
  return [...body, 0x49, 0x0f, 0x85, ...rel, 0xf4];
}

type Mode = 'reference' | 'interpreted' | 'translated';

function run(code: number[], wide: boolean, seed: number, mode: Mode, cut: boolean) {
  const mem = new PhysicalMemory(1 << 20);
  const cpu = new Cpu(mem, new PortBus());
  mem.load(CODE, code);
  const data = rng(seed ^ 0x5a5a);
  // Data next to code: every write retires the frame's translations until their bytes are
  // found intact again (block-cache.ts, block-region.ts).
  const at = seed % 4 === 1 ? DATA_BY_CODE : DATA;
  for (let i = 0; i < 128; i++) mem.write8(at + i, data(256));
  const s = cpu.s;
  s.seg[CS] = 0;
  s.segBase[CS] = 0;
  if (wide) {
    s.segAttr[CS]! |= 0x4000;
    s.segAttr[SS]! |= 0x4000;
  }
  s.eip = CODE;
  for (let i = 0; i < 8; i++) s.regs[i] = (data(0x10000) << 16) | data(0x10000);
  s.regs[ESP] = 0x7000;
  s.regs[EBX] = at;
  s.regs[ECX] = 1 + data(40);
  if (mode !== 'reference') {
    cpu.blocks = new BlockCache(mem);
    cpu.blocks.hotRuns = mode === 'translated' ? 0 : Number.POSITIVE_INFINITY;
  }
  const step = mode === 'reference' ? runSteps : runFast;
  for (let k = 1; k < 100_000 && !s.halted; k++) {
    if (cut) step(cpu, 1 + (k % 13), { nextIcount: s.icount + (k % 7) + 1 });
    else step(cpu, 1000, NEVER);
  }
  if (mode === 'translated') {
    // A translation that failed to compile falls back to interpreting, silently: not here.
    expect(cpu.blocks!.hotRuns).toBe(0);
  }
  return {
    regs: Array.from(s.regs),
    eip: s.eip,
    flags: getEflags(s),
    icount: s.icount,
    data: Array.from(mem.bytes.subarray(0x6f00, DATA + 128)),
    near: Array.from(mem.bytes.subarray(CODE, CODE + 0x1000)),
  };
}

describe('lean path and translation against the handlers', () => {
  for (const wide of [true, false]) {
    it(`${wide ? 32 : 16}-bit code: random loops end in the same state on every path`, () => {
      for (let seed = 1; seed <= 200; seed++) {
        const code = program(seed, wide);
        const cut = seed % 3 === 0;
        const want = run(code, wide, seed, 'interpreted', cut);
        expect(run(code, wide, seed, 'reference', cut), `seed ${seed}`).toEqual(want);
        expect(run(code, wide, seed, 'translated', cut), `seed ${seed}`).toEqual(want);
      }
    });
  }
});
