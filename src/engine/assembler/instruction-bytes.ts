// Bytes of one chosen encoding: prefixes, opcode, ModRM, immediates, and the address fields a listing shows (Intel SDM vol. 2A, 2.1).

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
  /** Base address of the current section: a jump into it is plain bytes in a listing. */
  sectionBase?: number;
}

/**
 * A field that `nasm -l` shows as an address rather than as bytes: [offset] for an absolute
 * address, (target) for a relative one leaving the section; `value` is what it shows.
 */
export interface AddressField {
  at: number;
  size: number;
  relative: boolean;
  value: bigint;
}

/** One encoding tried for an operand size: its bytes, or why it does not fit. */
export interface Attempt {
  bytes?: number[];
  warnings?: string[];
  /** Width an unsized memory operand took in this attempt, or 0. */
  memWidth?: number;
  fields?: AddressField[];
  /** Failure kinds, most telling last: 1 no match, 2 operand sizes conflict, 3 out of range. */
  fail: number;
}

const SEG_PREFIX = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65];

/** Per table entry: its encoding depends on the operand size (so 0x66 may be needed). */
const SENSITIVE = OPCODE_TABLE.map(
  (e) => e.osize !== undefined || e.operands.some((t) => describeType(t).sensitive),
);
export const sizeSensitive = (e: OpcodeEntry): boolean => SENSITIVE[e.index] ?? false;

/** Width in bits of a typed operand at operand size `s` (0: any). */
export function width(ti: TypeInfo, s: number): number {
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

/** True when `v` at operand size `s` bits fits a sign-extended byte. */
export const fitsSigned8 = (v: bigint, s: number) => {
  const t = BigInt.asIntN(s, v);
  return t >= -128n && t <= 127n;
};

/** True when operand `i` of `e` is an Ew destination whose register size NASM honours. */
export function wordDestination(e: OpcodeEntry, i: number): boolean {
  if (i !== 0 || e.operands[0] !== 'Ew') return false;
  return (
    e.operands[1] === 'Sw' || e.mnemonic === 'sldt' || e.mnemonic === 'str' || e.mnemonic === 'smsw'
  );
}

/** Appends the low `bytes` bytes of `v`, little-endian. */
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

/** The bytes of entry `e` at operand size `s` with `ops`, once `attempt` found that they fit. */
export function emit(e: OpcodeEntry, s: number, ops: Operand[], ctx: EncodeContext): Attempt {
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
  let fields: AddressField[] | undefined;
  const field = (size: number, value: bigint | undefined, relative = false) => {
    if (value === undefined) return;
    fields = fields ?? [];
    fields.push({ at: out.length - size, size, relative, value });
  };
  if (e.modrm) {
    const r = modrmBytes(Math.max(regField, 0), rmOp, asize);
    if (!r) return { fail: 1 };
    out.push(...r);
    // An address is never shortened, so it fills the displacement at the end.
    if (rmOp?.kind === 'mem') field(rmOp.dispSize === 8 ? 1 : asize / 8, rmOp.addr);
  }
  let relAt = -1;
  let relBytes = 0;
  let relTarget = 0n;
  const known = !ctx.unknown;
  e.operands.forEach((t, i) => {
    const o = ops[i]!;
    const ti = describeType(t);
    if (o.kind === 'mem' && ti.method === 'O') {
      pushImm(out, o.disp, asize / 8);
      field(asize / 8, o.addr);
    }
    if (o.kind === 'farptr') {
      pushImm(out, o.off, s / 8);
      field(s / 8, o.offAddr);
      pushImm(out, o.seg, 2);
    }
    if (o.kind !== 'imm') return;
    if (ti.method === 'J') {
      relAt = out.length;
      relBytes = ti.size === 'b' ? 1 : s / 8;
      relTarget = o.value;
      pushImm(out, 0n, relBytes);
      // nasm lists a jump as plain bytes only when its target is in the same section.
      if (o.addr === undefined || o.addrBase !== ctx.sectionBase)
        field(relBytes, o.addr ?? o.value, true);
    } else if (ti.signed) {
      // An address is the output format's to check; nasm -f bin never warns about one.
      if (o.size === 8 && known && o.addr === undefined && !fitsSigned8(o.value, s))
        warnings.push('signed byte value exceeds bounds');
      pushImm(out, o.value, 1);
      field(1, o.addr);
    } else if (ti.method === 'I') {
      const bits = width(ti, s);
      const w = boundsWarning(o.value, bits, known && o.addr === undefined);
      if (w) warnings.push(w);
      pushImm(out, o.value, bits / 8);
      field(bits / 8, o.addr);
    }
  });
  if (relAt >= 0) {
    const rel = relTarget - (ctx.here + BigInt(out.length));
    if (relBytes === 1 && !ctx.unknown && (rel < -128n || rel > 127n)) return { fail: 3 };
    const bytes: number[] = [];
    pushImm(bytes, rel, relBytes);
    for (let k = 0; k < relBytes; k++) out[relAt + k] = bytes[k]!;
  }
  return fields ? { bytes: out, warnings, fail: 0, fields } : { bytes: out, warnings, fail: 0 };
}
