// Instruction encoding from the shared opcode table, with NASM's choice of the shortest form (NASM manual 2.1.23 -O).

import { OPCODE_TABLE, type OpcodeEntry } from '../cpu/opcode-table';
import { modrmBytes } from './modrm';
import { describeType, type TypeInfo } from './operand-types';
import type { MemOperand, Operand } from './operands';

/** Everything the encoder needs to know about where and how an instruction is assembled. */
export interface EncodeContext {
  /** Address of the instruction's first byte. */
  here: bigint;
  /** Current BITS setting. */
  bits: 16 | 32;
  /** True when some operand value is not yet known: range checks are optimistic. */
  unknown: boolean;
  /** Prefix bytes requested by prefix words (rep, lock, segment names). */
  prefixes: number[];
  /** Operand and address size asked for by o16/o32 and a16/a32, or 0. */
  osize?: number;
  asize?: number;
}

/** An encoding, or why none exists. */
export type EncodeResult =
  | { ok: true; bytes: number[]; warnings: string[] }
  | { ok: false; message: string };

const BY_MNEMONIC = new Map<string, OpcodeEntry[]>();
for (const e of OPCODE_TABLE) {
  if (e.decodeOnly) continue;
  for (const m of [e.mnemonic, ...e.aliases]) {
    const list = BY_MNEMONIC.get(m) ?? [];
    list.push(e);
    BY_MNEMONIC.set(m, list);
  }
}

/**
 * NASM spellings the table does not list: w-suffixed forms of the size-following
 * instructions, and other names for table entries.
 */
const SPELLINGS: Record<string, string> = {
  xlat: 'xlatb',
  retn: 'ret',
  iretw: 'iret',
  pushfw: 'pushf',
  popfw: 'popf',
  pushaw: 'pusha',
  popaw: 'popa',
  jecxz: 'jcxz',
};
/** Size-suffixed NASM spellings: the table entry and the operand size they ask for. */
const SIZED_SPELLINGS: Record<string, [string, number]> = {
  retw: ['ret', 16],
  retd: ['ret', 32],
  retnw: ['ret', 16],
  retnd: ['ret', 32],
  retfw: ['retf', 16],
  retfd: ['retf', 32],
};
/** Instructions whose operand size NASM takes from BITS; the table lists their 16-bit form. */
const FOLLOW_BITS = new Set(['iret', 'pushf', 'popf', 'pusha', 'popa']);
/** Instructions whose address size is part of the name (E3 is JCXZ or JECXZ by address size). */
const ADDRESS_SIZE: Record<string, number> = { jcxz: 16, jecxz: 32 };

/** True when `mnemonic` (lower case) is an instruction in the opcode table. */
export function isMnemonic(mnemonic: string): boolean {
  return (
    BY_MNEMONIC.has(mnemonic) ||
    BY_MNEMONIC.has(SPELLINGS[mnemonic] ?? '') ||
    BY_MNEMONIC.has(SIZED_SPELLINGS[mnemonic]?.[0] ?? '')
  );
}

const RELATIVE = new Set<string>();
for (const [m, list] of BY_MNEMONIC)
  if (list.some((e) => e.operands.some((t) => describeType(t).method === 'J'))) RELATIVE.add(m);
for (const [k, v] of Object.entries(SPELLINGS)) if (RELATIVE.has(v)) RELATIVE.add(k);

/** True when some form of `mnemonic` takes a relative offset (so its bytes depend on `$`). */
export function isRelative(mnemonic: string): boolean {
  return RELATIVE.has(mnemonic);
}

/** Every mnemonic the assembler accepts, for the editor. */
export function allMnemonics(): string[] {
  return [
    ...BY_MNEMONIC.keys(),
    ...Object.keys(SPELLINGS).filter((k) => BY_MNEMONIC.has(SPELLINGS[k]!)),
  ];
}

const SEG_PREFIX = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65];

/** Per table entry: its encoding depends on the operand size (so 0x66 may be needed). */
const SENSITIVE = OPCODE_TABLE.map(
  (e) => e.osize !== undefined || e.operands.some((t) => describeType(t).sensitive),
);
const sizeSensitive = (e: OpcodeEntry): boolean => SENSITIVE[e.index] ?? false;

/** Width in bits of a typed operand at operand size `s` (0: any). */
function width(ti: TypeInfo, s: number): number {
  switch (ti.size) {
    case 'b':
      return 8;
    case 'w':
      return 16;
    case 'd':
      return 32;
    case 'q':
      return 64;
    case 'v':
    case 'z':
    case 'p':
    case 'a':
      return s;
    default:
      return 0;
  }
}

const fitsSigned8 = (v: bigint, s: number) => {
  const t = BigInt.asIntN(s, v);
  return t >= -128n && t <= 127n;
};

interface Attempt {
  bytes?: number[];
  warnings?: string[];
  /** Width an unsized memory operand took in this attempt, or 0. */
  memWidth?: number;
  /** Failure kinds, most telling last: 1 no match, 2 size unknown, 3 out of range. */
  fail: number;
}

/**
 * Size the other operands give an unsized memory operand at position `at`: a register or a
 * sized immediate whose operand type has the same size letter (so movzx ax,[bx] stays unsized).
 */
function inferredSize(e: OpcodeEntry, ops: Operand[], at: number, ti: TypeInfo): number {
  for (let j = 0; j < ops.length; j++) {
    const o = ops[j]!;
    if (j === at) continue;
    const tj = describeType(e.operands[j]!);
    const same = tj.size === ti.size || (tj.size === 'z' && ti.size === 'v');
    if (o.kind === 'reg' && (o.reg.cls === 'r8' || o.reg.cls === 'r16' || o.reg.cls === 'r32')) {
      if (same || tj.fixed) return o.reg.size;
    } else if (o.kind === 'imm' && o.size > 0 && (same || tj.signed)) return o.size;
  }
  return 0;
}

/** Operand sizes the operands explicitly ask for (registers, size keywords). */
function demandedSize(ops: Operand[]): Set<number> {
  const s = new Set<number>();
  for (const o of ops) {
    if (o.kind === 'reg' && (o.reg.cls === 'r16' || o.reg.cls === 'r32')) s.add(o.reg.size);
    else if ((o.kind === 'mem' || o.kind === 'imm' || o.kind === 'farptr') && o.size > 8)
      s.add(o.size);
  }
  return s;
}

/**
 * Encodes `mnemonic` with `ops`, picking the shortest encoding; among equal lengths the first
 * in table order, which is NASM's preference. `floor` asks for at least that many bytes when
 * some form allows it (used to force convergence of the multi-pass optimiser).
 */
export function encode(
  mnemonic: string,
  ops: Operand[],
  ctx: EncodeContext,
  floor = 0,
): EncodeResult {
  if (ADDRESS_SIZE[mnemonic] && !ctx.asize) ctx = { ...ctx, asize: ADDRESS_SIZE[mnemonic] };
  const spelled = SIZED_SPELLINGS[mnemonic];
  if (spelled) {
    mnemonic = spelled[0];
    if (!ctx.osize) ctx = { ...ctx, osize: spelled[1] };
  }
  if (FOLLOW_BITS.has(mnemonic) && ctx.bits === 32 && BY_MNEMONIC.has(`${mnemonic}d`))
    mnemonic = `${mnemonic}d`;
  mnemonic = SPELLINGS[mnemonic] ?? mnemonic;
  const entries = BY_MNEMONIC.get(mnemonic) ?? [];
  // NASM's two-operand imul reg, imm means imul reg, reg, imm.
  if (mnemonic === 'imul' && ops.length === 2 && ops[0]!.kind === 'reg' && ops[1]!.kind === 'imm')
    ops = [ops[0]!, ops[0]!, ops[1]!];
  if (entries.length === 0) return { ok: false, message: 'parser: instruction expected' };
  const other = ctx.bits === 16 ? 32 : 16;
  const demanded = demandedSize(ops);
  let fail = 1;
  let candidates: Attempt[] = [];
  for (const e of entries) {
    if (e.operands.length !== ops.length) continue;
    let sizes: number[];
    if (e.osize) sizes = [e.osize];
    else if (!sizeSensitive(e)) sizes = [ctx.bits];
    else if (ctx.osize) sizes = [ctx.osize];
    else sizes = demanded.has(other) ? [ctx.bits, other] : [ctx.bits];
    for (const s of sizes) {
      const a = attempt(e, s, ops, ctx);
      if (a.bytes) candidates.push(a);
      else fail = Math.max(fail, a.fail);
    }
  }
  // An unsized memory operand must mean one width across all the forms that fit.
  const sized = candidates.filter((c) => !c.memWidth);
  if (sized.length < candidates.length) {
    const widths = new Set(candidates.map((c) => c.memWidth));
    if (sized.length > 0) candidates = sized;
    else if (mnemonic === 'jmp' || mnemonic === 'call') {
      // NASM's default for near indirect JMP/CALL is the operand size.
    } else if (widths.size > 1 || widths.has(-1)) {
      if (mnemonic === 'movzx' || mnemonic === 'movsx') {
        const r = ops[0]?.kind === 'reg' ? ops[0].reg.size : 0;
        candidates = candidates.filter((c) => c.memWidth !== r);
      } else return { ok: false, message: 'operation size not specified' };
    }
  }
  let best: Attempt | undefined;
  for (const c of candidates) {
    if (!best || c.bytes!.length < best.bytes!.length) best = c;
  }
  if (best && floor > best.bytes!.length) {
    const longer = candidates.filter((c) => c.bytes!.length >= floor);
    best =
      longer.length > 0
        ? longer.reduce((a, b) => (b.bytes!.length < a.bytes!.length ? b : a))
        : candidates.reduce((a, b) => (b.bytes!.length > a.bytes!.length ? b : a));
  }
  if (best) return { ok: true, bytes: best.bytes!, warnings: best.warnings ?? [] };
  if (fail === 3) return { ok: false, message: 'short jump is out of range' };
  if (fail === 2) return { ok: false, message: 'operation size not specified' };
  return { ok: false, message: 'invalid combination of opcode and operands' };
}

const REG_CLASS_OF: Record<string, string> = { S: 'sreg', C: 'creg', D: 'dreg', T: 'treg' };

function attempt(e: OpcodeEntry, s: number, ops: Operand[], ctx: EncodeContext): Attempt {
  // NASM has no movzx/movsx r16, r/m16 (it would be a plain move).
  if ((e.mnemonic === 'movzx' || e.mnemonic === 'movsx') && e.operands[1] === 'Ew' && s === 16)
    return { fail: 1 };
  let memWidth = 0;
  let rangeFail = false;
  for (let i = 0; i < ops.length; i++) {
    const ti = describeType(e.operands[i]!);
    const o = ops[i]!;
    const w = width(ti, s);
    switch (o.kind) {
      case 'empty':
        return { fail: 1 };
      case 'reg': {
        if (o.size !== 0 && o.size !== o.reg.size) return { fail: 1 };
        if (ti.fixed) {
          if (ti.fixed.cls !== o.reg.cls || ti.fixed.num !== o.reg.num) {
            if (!(ti.fixed.cls === 'acc' && o.reg.num === 0 && o.reg.size === w))
              return { fail: 1 };
            if (o.reg.cls !== 'r8' && o.reg.cls !== 'r16' && o.reg.cls !== 'r32')
              return { fail: 1 };
          }
          break;
        }
        const cls = REG_CLASS_OF[ti.method];
        if (cls) {
          if (o.reg.cls !== cls) return { fail: 1 };
          break;
        }
        if (ti.method !== 'E' && ti.method !== 'G' && ti.method !== 'R' && ti.method !== 'Z')
          return { fail: 1 };
        if (o.reg.cls !== 'r8' && o.reg.cls !== 'r16' && o.reg.cls !== 'r32') return { fail: 1 };
        if (o.reg.size !== w) {
          // mov r32, sreg / mov sreg, r32 / sldt r32: NASM takes the 32-bit register name too.
          const loose = ti.method === 'E' && w === 16 && o.reg.size === 32 && wordDestination(e, i);
          const sregSource =
            ti.method === 'E' && w === 16 && o.reg.size === 32 && e.operands[0] === 'Sw';
          if (!loose && !sregSource) return { fail: 1 };
        }
        break;
      }
      case 'mem': {
        if (ti.method !== 'E' && ti.method !== 'M' && ti.method !== 'O') return { fail: 1 };
        if (ti.size === 'p') {
          // JMP/CALL need FAR to pick the far form; LES/LDS take any memory operand.
          if (!o.far && (e.mnemonic === 'jmp' || e.mnemonic === 'call')) return { fail: 1 };
          if (o.size !== 0 && o.size !== s) return { fail: 1 };
          break;
        }
        if (o.far) return { fail: 1 };
        if (ti.method === 'O' && (o.asize !== 0 || o.dispSize === 8)) return { fail: 1 };
        if (w === 0 || ti.size === 'a' || ti.size === 's') {
          if (ti.size === 'a' && o.size !== 0 && o.size !== s) return { fail: 1 };
          break;
        }
        const size = o.size || inferredSize(e, ops, i, ti);
        if (size === 0) memWidth = ti.size === 'v' || ti.size === 'z' ? -1 : w;
        else if (size !== w) return { fail: 1 };
        break;
      }
      case 'imm': {
        if (o.jump === 'far') return { fail: 1 };
        if (ti.method === 'J') {
          if (o.size !== 0 && (o.size !== s || ti.size === 'b')) return { fail: 1 };
          // NASM's LOOP and JCXZ templates take no SHORT keyword (they are short anyway).
          if (o.jump === 'short' && (e.exec === 'LOOP' || e.exec === 'JCXZ')) return { fail: 1 };
          if (ti.size === 'b' && o.jump === 'near') return { fail: 1 };
          if (ti.size !== 'b' && o.jump === 'short') return { fail: 1 };
          break;
        }
        if (o.jump !== '') return { fail: 1 };
        if (ti.one) {
          if (o.value !== 1n || o.size !== 0 || o.reloc) return { fail: 1 };
          break;
        }
        if (ti.method !== 'I') return { fail: 1 };
        if (ti.signed) {
          if (o.size !== 0 && o.size !== 8 && (o.size !== s || o.strict)) return { fail: 1 };
          if (o.size !== 8 && (o.reloc || !fitsSigned8(o.value, s))) rangeFail = true;
          break;
        }
        if (o.size !== 0 && o.size !== w) return { fail: 1 };
        break;
      }
      case 'farptr':
        if (ti.method !== 'A') return { fail: 1 };
        if (s !== (o.size || (ctx.osize ?? 0) || ctx.bits)) return { fail: 1 };
        break;
    }
  }
  if (rangeFail) return { fail: 1 };
  const a = emit(e, s, ops, ctx);
  if (memWidth) a.memWidth = memWidth;
  return a;
}

/** True when operand `i` of `e` is an Ew destination whose register size NASM honours. */
function wordDestination(e: OpcodeEntry, i: number): boolean {
  if (i !== 0 || e.operands[0] !== 'Ew') return false;
  return (
    e.operands[1] === 'Sw' || e.mnemonic === 'sldt' || e.mnemonic === 'str' || e.mnemonic === 'smsw'
  );
}

function pushImm(out: number[], v: bigint, bytes: number): void {
  let n = BigInt.asUintN(64, v);
  for (let i = 0; i < bytes; i++) {
    out.push(Number(n & 0xffn));
    n >>= 8n;
  }
}

/** Warning text when `v` does not fit `bits` bits as a signed or unsigned value (NASM's check). */
function boundsWarning(v: bigint, bits: number, known: boolean): string | undefined {
  if (!known) return undefined;
  const lim = 1n << BigInt(bits);
  if (v < -lim || v >= lim)
    return `${bits === 8 ? 'byte' : bits === 16 ? 'word' : 'dword'} data exceeds bounds`;
  return undefined;
}

/** Address size of a memory operand under the current BITS and a16/a32. */
function addressSize(m: MemOperand, ctx: EncodeContext): number {
  if (m.asize) return m.asize;
  if (ctx.asize) return ctx.asize;
  if (m.dispSize === 16 || m.dispSize === 32) return m.dispSize;
  return ctx.bits;
}

function emit(e: OpcodeEntry, s: number, ops: Operand[], ctx: EncodeContext): Attempt {
  const out: number[] = [];
  const warnings: string[] = [];
  let seg = -1;
  const prefixes: number[] = [];
  for (const p of ctx.prefixes) {
    if (SEG_PREFIX.includes(p)) seg = p;
    else prefixes.push(p);
  }
  let mem: MemOperand | undefined;
  for (const o of ops) if (o.kind === 'mem') mem = o;
  if (mem && mem.seg >= 0) seg = SEG_PREFIX[mem.seg]!;
  out.push(...prefixes);
  if (seg >= 0) out.push(seg);
  let opsize = sizeSensitive(e) ? s : ctx.bits;
  if (ctx.osize) opsize = ctx.osize;
  // A register destination of mov r, sreg / sldt / str / smsw sets the operand size.
  const first = ops[0];
  if (first?.kind === 'reg' && first.reg.cls !== 'r8' && wordDestination(e, 0) && !ctx.osize)
    opsize = first.reg.size;
  if (opsize !== ctx.bits) out.push(0x66);
  const asize = mem ? addressSize(mem, ctx) : ctx.asize || ctx.bits;
  if (asize !== ctx.bits) out.push(0x67);
  if (e.opcode > 0xff) out.push(0x0f);
  let opcode = e.opcode & 0xff;
  let regField = e.ext;
  let rmOp: Operand | undefined;
  e.operands.forEach((t, i) => {
    const o = ops[i]!;
    const ti = describeType(t);
    if (ti.method === 'Z' && o.kind === 'reg') opcode += o.reg.num;
    else if ('GSCDT'.includes(ti.method) && !ti.fixed && o.kind === 'reg') regField = o.reg.num;
    else if (ti.method === 'E' || ti.method === 'M' || ti.method === 'R') rmOp = o;
  });
  out.push(opcode);
  if (e.modrm) {
    const r = modrmBytes(Math.max(regField, 0), rmOp, asize);
    if (!r) return { fail: 1 };
    out.push(...r);
  }
  let relAt = -1;
  let relBytes = 0;
  let relTarget = 0n;
  const known = !ctx.unknown;
  e.operands.forEach((t, i) => {
    const o = ops[i]!;
    const ti = describeType(t);
    if (o.kind === 'mem' && ti.method === 'O') pushImm(out, o.disp, asize / 8);
    if (o.kind === 'farptr') {
      pushImm(out, o.off, s / 8);
      pushImm(out, o.seg, 2);
    }
    if (o.kind !== 'imm') return;
    if (ti.method === 'J') {
      relAt = out.length;
      relBytes = ti.size === 'b' ? 1 : s / 8;
      relTarget = o.value;
      pushImm(out, 0n, relBytes);
    } else if (ti.signed) {
      if (o.size === 8 && known && !fitsSigned8(o.value, s))
        warnings.push('signed byte value exceeds bounds');
      pushImm(out, o.value, 1);
    } else if (ti.method === 'I') {
      const bits = width(ti, s);
      const w = boundsWarning(o.value, bits, known);
      if (w) warnings.push(w);
      pushImm(out, o.value, bits / 8);
    }
  });
  if (relAt >= 0) {
    const rel = relTarget - (ctx.here + BigInt(out.length));
    if (relBytes === 1 && !ctx.unknown && (rel < -128n || rel > 127n)) return { fail: 3 };
    const bytes: number[] = [];
    pushImm(bytes, rel, relBytes);
    for (let k = 0; k < relBytes; k++) out[relAt + k] = bytes[k]!;
  }
  return { bytes: out, warnings, fail: 0 };
}
