// Instruction encoding from the shared opcode table, with NASM's choice of the shortest form (NASM manual 2.1.23 -O).

import type { OpcodeEntry } from '../cpu/opcode-table';
import {
  type AddressField,
  type Attempt,
  type EncodeContext,
  emit,
  fitsSigned8,
  sizeSensitive,
  width,
  wordDestination,
} from './instruction-bytes';
import { ADDRESS_SIZE, BY_MNEMONIC, FOLLOW_BITS, SIZED_SPELLINGS, SPELLINGS } from './mnemonics';
import { describeType, type TypeInfo } from './operand-types';
import type { Operand } from './operands';

export type { AddressField, EncodeContext } from './instruction-bytes';
export { allMnemonics, isMnemonic, isRelative } from './mnemonics';

/** An encoding, or why none exists. */
export type EncodeResult =
  | { ok: true; bytes: number[]; warnings: string[]; fields?: AddressField[] }
  | { ok: false; message: string };

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
      const r = ops[0]?.kind === 'reg' ? ops[0].reg.size : 0;
      const extend = mnemonic === 'movzx' || mnemonic === 'movsx';
      // movzx ax, [m] can only be a byte; movzx eax, [m] could be a byte or a word.
      if (extend && widths.size - (widths.has(r) ? 1 : 0) === 1) {
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
  if (best) {
    const r: EncodeResult = { ok: true, bytes: best.bytes!, warnings: best.warnings ?? [] };
    if (best.fields) r.fields = best.fields;
    return r;
  }
  if (fail === 3) return { ok: false, message: 'short jump is out of range' };
  // A qword operand of a form that follows the operand size exists only in 64-bit mode.
  const qword = ops.length === 1 && ops[0]!.kind === 'mem' && ops[0]!.size === 64;
  if (qword && mnemonic !== 'cmpxchg8b' && entries.some(followsOperandSize)) {
    return { ok: false, message: `instruction not supported in ${ctx.bits}-bit mode` };
  }
  if (fail === 2) return { ok: false, message: 'mismatch in operand sizes' };
  return { ok: false, message: 'invalid combination of opcode and operands' };
}

/** A one-operand form whose r/m is operand-size wide (Ev): nasm knows a 64-bit one too. */
function followsOperandSize(e: OpcodeEntry): boolean {
  return e.operands.length === 1 && e.operands[0] === 'Ev';
}

const SHIFTS_AND_BIT_TESTS = new Set('rol ror rcl rcr shl sal shr sar bt bts btr btc'.split(' '));

/**
 * Whether nasm calls a contradicting size keyword (or FAR) a size mismatch, as observed: it does
 * when another operand has a size too, or the instruction has no form that follows the operand
 * size (sldt byte [bx]), or for JMP/CALL. A lone wrong size where the form follows the operand
 * size (push byte [bx], inc far [bx], bts byte [bx], 1) is no form at all, and so is a wrong
 * source size for MOVZX/MOVSX into a 32-bit register (two sizes would fit), and any for a
 * shift or a bit test other than BT r/m, reg (rol byte far [bx], cl; bt ax, word 3).
 */
function sizeConflict(e: OpcodeEntry, s: number, ops: Operand[]): boolean {
  if (e.mnemonic === 'movzx' || e.mnemonic === 'movsx') return s === 16;
  if (SHIFTS_AND_BIT_TESTS.has(e.mnemonic)) return e.operands[1] === 'Gv';
  if (e.mnemonic === 'jmp' || e.mnemonic === 'call') return true;
  if (!BY_MNEMONIC.get(e.mnemonic)?.some(sizeSensitive)) return true;
  let sized = 0;
  for (const o of ops) {
    if (o.kind === 'reg' || (o.kind === 'imm' && o.size > 0)) sized++;
    else if (o.kind === 'mem' && (o.size > 0 || o.far)) sized++;
  }
  return sized > 1;
}

const REG_CLASS_OF: Record<string, string> = { S: 'sreg', C: 'creg', D: 'dreg', T: 'treg' };

function attempt(e: OpcodeEntry, s: number, ops: Operand[], ctx: EncodeContext): Attempt {
  // NASM has no movzx/movsx r16, r/m16 (it would be a plain move).
  if ((e.mnemonic === 'movzx' || e.mnemonic === 'movsx') && e.operands[1] === 'Ew' && s === 16)
    return { fail: 1 };
  let memWidth = 0;
  let rangeFail = false;
  // A size keyword that contradicts the form, with every operand of the right kind: nasm
  // reports that as a size mismatch rather than as no form at all.
  let sizeMismatch = false;
  let oneMismatch = false;
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
          const jump = e.mnemonic === 'jmp' || e.mnemonic === 'call';
          if (!o.far && jump) return { fail: 1 };
          // LDS/LES/...: nasm takes no size word on the pointer at all.
          if (o.size !== 0 && !jump) sizeMismatch = true;
          else if (o.size !== 0 && o.size !== s) return { fail: 1 };
          break;
        }
        // CMPXCHG8B takes a qword or an unsized operand (nasm calls other sizes no form).
        if (e.mnemonic === 'cmpxchg8b' && (o.far || (o.size !== 0 && o.size !== 64)))
          return { fail: 1 };
        // LEA ignores FAR (it computes an offset); elsewhere FAR is the wrong size.
        if (o.far && e.mnemonic !== 'lea') {
          sizeMismatch = true;
          break;
        }
        if (ti.method === 'O' && (o.asize !== 0 || o.dispSize === 8)) return { fail: 1 };
        // A bare memory operand (LGDT, INVLPG, BOUND's bounds) takes no size word; LEA any.
        if (
          w === 0 &&
          ti.method === 'M' &&
          o.size !== 0 &&
          e.mnemonic !== 'lea' &&
          e.mnemonic !== 'cmpxchg8b'
        ) {
          sizeMismatch = true;
          break;
        }
        if (w === 0 || ti.size === 'a' || ti.size === 's') {
          if (ti.size === 'a' && o.size !== 0 && o.size !== s) return { fail: 1 };
          break;
        }
        const size = o.size || inferredSize(e, ops, i, ti);
        if (size === 0) memWidth = ti.size === 'v' || ti.size === 'z' ? -1 : w;
        else if (size !== w) {
          if (o.size === 0) return { fail: 1 };
          sizeMismatch = true;
        }
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
          // nasm shortens a jump only to a target in its own section; an absolute address or
          // another section's label takes the near form unless SHORT asks (LOOP has no other).
          const elsewhere = !o.reloc || (o.addr !== undefined && o.addrBase !== ctx.sectionBase);
          const shortOnly = e.exec === 'LOOP' || e.exec === 'JCXZ';
          if (ti.size === 'b' && elsewhere && o.jump !== 'short' && !shortOnly) return { fail: 1 };
          break;
        }
        if (o.jump !== '') return { fail: 1 };
        if (ti.one) {
          if (o.value !== 1n || o.reloc || o.size === 8) return { fail: 1 };
          if (o.size !== 0) oneMismatch = true;
          break;
        }
        if (ti.method !== 'I') return { fail: 1 };
        if (ti.signed) {
          if (o.size !== 0 && o.size !== 8 && (o.size !== s || o.strict)) sizeMismatch = true;
          if (o.size !== 8 && (o.reloc || !fitsSigned8(o.value, s))) rangeFail = true;
          break;
        }
        if (o.size !== 0 && o.size !== w) sizeMismatch = true;
        break;
      }
      case 'farptr':
        if (ti.method !== 'A') return { fail: 1 };
        if (s !== (o.size || (ctx.osize ?? 0) || ctx.bits)) return { fail: 1 };
        break;
    }
  }
  if (sizeMismatch) return { fail: sizeConflict(e, s, ops) ? 2 : 1 };
  // rol ax, word 1: nasm's shift-by-one form reports the size keyword as a mismatch.
  if (oneMismatch) return { fail: 2 };
  if (rangeFail) return { fail: 1 };
  const a = emit(e, s, ops, ctx);
  if (memWidth) a.memWidth = memWidth;
  return a;
}
