// Instruction encoding from the shared opcode table, with NASM's choice of the shortest form (NASM manual 2.1.23 -O).

import { OPCODE_TABLE, type OpcodeEntry, type OperandType } from '../cpu/opcode-table';
import type { Operand } from './operands';

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

const SEG_PREFIX = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65];
const SREG_TYPES: Partial<Record<OperandType, number>> = {
  ES: 0,
  CS: 1,
  SS: 2,
  DS: 3,
  FS: 4,
  GS: 5,
};

/** True when the entry's encoding depends on the operand size (so 0x66 may be needed). */
function sizeSensitive(e: OpcodeEntry): boolean {
  return e.osize !== undefined || e.operands.some((t) => /v$|z$|^eAX$|^Ibs$|^Ap$|^Mp$/.test(t));
}

/** Width in bits of an operand type at operand size `s`, or 0 when it has no fixed width. */
function typeWidth(t: OperandType, s: number): number {
  if (t === 'Eb' || t === 'Gb' || t === 'Zb' || t === 'AL' || t === 'CL' || t === 'Ob') return 8;
  if (t === 'Ew' || t === 'Sw' || t === 'DX') return 16;
  if (t === 'Ev' || t === 'Gv' || t === 'Zv' || t === 'eAX' || t === 'Ov') return s;
  return 0;
}

const fitsSigned8 = (v: bigint, s: number) => {
  const t = BigInt.asIntN(s, v);
  return t >= -128n && t <= 127n;
};

interface Attempt {
  bytes?: number[];
  warnings?: string[];
  /** Failure kinds, most telling last: 1 no match, 2 size unknown, 3 out of range. */
  fail: number;
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
  const entries = BY_MNEMONIC.get(mnemonic) ?? [];
  let best: Attempt | undefined;
  let fail = 1;
  const candidates: Attempt[] = [];
  for (const e of entries) {
    if (e.operands.length !== ops.length) continue;
    const sizes = e.osize
      ? [e.osize]
      : sizeSensitive(e)
        ? [ctx.bits, ctx.bits === 16 ? 32 : 16]
        : [ctx.bits];
    for (const s of sizes) {
      const a = attempt(e, s, ops, ctx);
      if (a.bytes) candidates.push(a);
      else fail = Math.max(fail, a.fail);
    }
  }
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

/** Size the other operands give an unsized memory operand: a register or a sized immediate. */
function inferredSize(ops: Operand[]): number {
  for (const o of ops) {
    if (o.kind === 'reg') return o.reg.size;
    if (o.kind === 'mem' && o.size > 0) return o.size;
    if (o.kind === 'imm' && o.size > 0) return o.size;
  }
  return 0;
}

function attempt(e: OpcodeEntry, s: number, ops: Operand[], ctx: EncodeContext): Attempt {
  const inferred = inferredSize(ops);
  let unsized = false;
  let rangeFail = false;
  for (let i = 0; i < ops.length; i++) {
    const t = e.operands[i]!;
    const o = ops[i]!;
    const width = typeWidth(t, s);
    switch (o.kind) {
      case 'empty':
        return { fail: 1 };
      case 'reg': {
        if (o.size !== 0 && o.size !== o.reg.size) return { fail: 1 };
        if (o.reg.cls === 'sreg') {
          if (t === 'Sw') break;
          if (SREG_TYPES[t] === o.reg.num) break;
          return { fail: 1 };
        }
        const isE = t === 'Eb' || t === 'Ew' || t === 'Ev';
        const isG = t === 'Gb' || t === 'Gv' || t === 'Zb' || t === 'Zv';
        const fixed = t === 'AL' || t === 'eAX' ? 0 : t === 'CL' ? 1 : t === 'DX' ? 2 : -1;
        if (!isE && !isG && fixed < 0) return { fail: 1 };
        if (fixed >= 0 && o.reg.num !== fixed) return { fail: 1 };
        if (o.reg.size !== width) return { fail: 1 };
        break;
      }
      case 'mem': {
        if (t === 'M') break;
        if (t === 'Mp') {
          // JMP/CALL need FAR to pick the far form; LES/LDS take any memory operand.
          if (!o.far && (e.exec === 'JMP_FAR' || e.exec === 'CALL_FAR')) return { fail: 1 };
          break;
        }
        if (o.far) return { fail: 1 };
        const isE = t === 'Eb' || t === 'Ew' || t === 'Ev';
        const isO = t === 'Ob' || t === 'Ov';
        if (!isE && !isO) return { fail: 1 };
        if (isO && o.rm !== -1) return { fail: 1 };
        const size = o.size || inferred;
        if (size === 0) {
          // NASM's defaults: near indirect JMP/CALL take the operand size.
          if (e.exec !== 'JMP_INDIRECT' && e.exec !== 'CALL_INDIRECT') unsized = true;
          else if (width !== ctx.bits) return { fail: 1 };
        } else if (size !== width) return { fail: 1 };
        break;
      }
      case 'imm': {
        if (o.jump === 'far') return { fail: 1 };
        if (t === 'Jb' || t === 'Jz') {
          if (o.size !== 0) return { fail: 1 };
          if (t === 'Jb' && o.jump === 'near') return { fail: 1 };
          if (t === 'Jz' && o.jump === 'short') return { fail: 1 };
          break;
        }
        if (o.jump !== '') return { fail: 1 };
        if (t === '1') {
          if (o.value !== 1n || o.size !== 0 || ctx.unknown) return { fail: 1 };
          break;
        }
        if (t === 'Ib') {
          if (o.size !== 0 && o.size !== 8) return { fail: 1 };
          break;
        }
        if (t === 'Ibs') {
          if (o.size !== 0 && o.size !== 8 && (o.size !== s || o.strict)) return { fail: 1 };
          if (!ctx.unknown && !fitsSigned8(o.value, s)) rangeFail = true;
          break;
        }
        const immWidth = t === 'Iw' ? 16 : t === 'Iz' || t === 'Iv' ? s : -1;
        if (immWidth < 0) return { fail: 1 };
        if (o.size !== 0 && o.size !== immWidth) return { fail: 1 };
        break;
      }
      case 'farptr':
        if (t !== 'Ap') return { fail: 1 };
        break;
    }
  }
  if (rangeFail) return { fail: 1 };
  if (unsized) return { fail: 2 };
  return emit(e, s, ops, ctx);
}

function pushImm(out: number[], v: bigint, bytes: number): void {
  for (let i = 0; i < bytes; i++) out.push(Number(BigInt.asUintN(8, v >> BigInt(8 * i))));
}

/** Warning text when `v` does not fit `bits` bits as a signed or unsigned value (NASM's check). */
function boundsWarning(v: bigint, bits: number, known: boolean): string | undefined {
  if (!known) return undefined;
  const lim = 1n << BigInt(bits);
  if (v < -lim || v >= lim)
    return `${bits === 8 ? 'byte' : bits === 16 ? 'word' : 'dword'} data exceeds bounds`;
  return undefined;
}

function emit(e: OpcodeEntry, s: number, ops: Operand[], ctx: EncodeContext): Attempt {
  const out: number[] = [];
  const warnings: string[] = [];
  const prefixes = ctx.prefixes.filter((p) => !SEG_PREFIX.includes(p));
  let seg = ctx.prefixes.find((p) => SEG_PREFIX.includes(p)) ?? -1;
  for (const o of ops) if (o.kind === 'mem' && o.seg >= 0) seg = SEG_PREFIX[o.seg]!;
  out.push(...prefixes);
  if (seg >= 0) out.push(seg);
  if (sizeSensitive(e) && s !== ctx.bits) out.push(0x66);
  if (e.opcode > 0xff) out.push(0x0f);
  let opcode = e.opcode & 0xff;
  let regField = e.ext;
  let rmOp: Operand | undefined;
  e.operands.forEach((t, i) => {
    const o = ops[i]!;
    if ((t === 'Zb' || t === 'Zv') && o.kind === 'reg') opcode += o.reg.num;
    else if ((t === 'Gb' || t === 'Gv' || t === 'Sw') && o.kind === 'reg') regField = o.reg.num;
    else if (t === 'Eb' || t === 'Ew' || t === 'Ev' || t === 'M' || t === 'Mp') rmOp = o;
  });
  out.push(opcode);
  if (e.modrm) modrm(out, Math.max(regField, 0), rmOp);
  let relAt = -1;
  let relBytes = 0;
  let relTarget = 0n;
  e.operands.forEach((t, i) => {
    const o = ops[i]!;
    if (o.kind === 'mem' && (t === 'Ob' || t === 'Ov')) pushImm(out, o.disp, 2);
    if (o.kind === 'farptr') {
      pushImm(out, o.off, s / 8);
      pushImm(out, o.seg, 2);
    }
    if (o.kind !== 'imm') return;
    const known = !ctx.unknown;
    if (t === 'Ib' || t === 'Ibs') {
      const w = t === 'Ib' ? boundsWarning(o.value, 8, known) : undefined;
      if (w) warnings.push(w);
      pushImm(out, o.value, 1);
    } else if (t === 'Iw' || t === 'Iz' || t === 'Iv') {
      const bits = t === 'Iw' ? 16 : s;
      const w = boundsWarning(o.value, bits, known);
      if (w) warnings.push(w);
      pushImm(out, o.value, bits / 8);
    } else if (t === 'Jb' || t === 'Jz') {
      relAt = out.length;
      relBytes = t === 'Jb' ? 1 : s / 8;
      relTarget = o.value;
      pushImm(out, 0n, relBytes);
    }
  });
  if (relAt >= 0) {
    const rel = relTarget - (ctx.here + BigInt(out.length));
    if (relBytes === 1 && !ctx.unknown && (rel < -128n || rel > 127n)) return { fail: 3 };
    out.splice(relAt, relBytes);
    const bytes: number[] = [];
    pushImm(bytes, rel, relBytes);
    out.splice(relAt, 0, ...bytes);
  }
  return { bytes: out, warnings, fail: 0 };
}

/** Appends ModRM and displacement for 16-bit addressing. */
function modrm(out: number[], reg: number, o: Operand | undefined): void {
  if (!o || o.kind === 'reg') {
    out.push(0xc0 | (reg << 3) | (o && o.kind === 'reg' ? o.reg.num : 0));
    return;
  }
  if (o.kind !== 'mem') return;
  if (o.rm < 0) {
    out.push((reg << 3) | 6);
    pushImm(out, o.disp, 2);
    return;
  }
  const d = BigInt.asIntN(16, o.disp);
  if (d === 0n && o.rm !== 6) out.push((reg << 3) | o.rm);
  else if (d >= -128n && d <= 127n) {
    out.push(0x40 | (reg << 3) | o.rm);
    pushImm(out, d, 1);
  } else {
    out.push(0x80 | (reg << 3) | o.rm);
    pushImm(out, d, 2);
  }
}
