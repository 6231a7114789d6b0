// Disassembler from the shared opcode table, printing Intel syntax the way ndisasm does (NASM manual appendix A).

import { OPCODE_TABLE, type OpcodeEntry } from '../cpu/opcode-table';
import { formatInstruction } from './disasm-format';
import { describeType } from './operand-types';

/** A decoded operand, ready for formatting. */
export type DisasmOperand =
  | { kind: 'reg'; name: string; sized?: boolean }
  | {
      kind: 'mem';
      /** Width in bits of the data, or 0 when the operand type has none (M). */
      size: number;
      seg: string;
      /** Address text inside the brackets, without segment. */
      ea: string;
      far: boolean;
    }
  | { kind: 'imm'; value: number; size: number; signed: boolean }
  | { kind: 'rel'; target: number; short: boolean }
  | { kind: 'far'; seg: number; off: number }
  | { kind: 'one' };

/** One decoded instruction. */
export interface DisasmInstruction {
  entry: OpcodeEntry;
  length: number;
  opsize: number;
  asize: number;
  /** Prefixes in order (bytes). */
  prefixes: number[];
  operands: DisasmOperand[];
  /** The memory operand's segment override was used by an operand. */
  segUsed: boolean;
}

/**
 * `ndisasm` prints exactly what ndisasm prints; `nasm` differs only where ndisasm's text would
 * assemble to other bytes (a `dword` inside 16-bit SIB addresses, E9 without `near`, WAIT
 * merged into the next instruction), so that its output assembles back to the same bytes.
 */
export type DisasmSyntax = 'ndisasm' | 'nasm';

/** One line of disassembly. */
export interface DisasmLine {
  address: number;
  bytes: Uint8Array;
  /** The instruction text as ndisasm prints it (`mov ax,0x1234`, `db 0x0f`). */
  text: string;
}

const BY_KEY: OpcodeEntry[][] = Array.from({ length: 512 }, () => []);
for (const e of OPCODE_TABLE) {
  if (e.encodeOnly || e.mnemonic.includes('-')) continue;
  const n = e.plusReg ? 8 : 1;
  for (let r = 0; r < n; r++) BY_KEY[e.opcode + r]!.push(e);
}

const PREFIX = new Set([0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]);
const SEG_NAMES: Record<number, string> = {
  38: 'es',
  46: 'cs',
  54: 'ss',
  62: 'ds',
  100: 'fs',
  101: 'gs',
};
const R8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const SREG = ['es', 'cs', 'ss', 'ds', 'fs', 'gs', 'segr6', 'segr7'];
const EA16 = ['bx+si', 'bx+di', 'bp+si', 'bp+di', 'si', 'di', 'bp', 'bx'];

const PREFIX_NAMES: Record<number, (bits: number) => string> = {
  102: (bits) => (bits === 16 ? 'o32' : 'o16'),
  103: (bits) => (bits === 16 ? 'a32' : 'a16'),
  240: () => 'lock',
  242: () => 'repne',
  243: () => 'rep',
  38: () => 'es',
  46: () => 'cs',
  54: () => 'ss',
  62: () => 'ds',
  100: () => 'fs',
  101: () => 'gs',
};
const SIZE_NAMED = new Set(['sldt', 'str', 'smsw']);
const hex = (v: number) => `0x${v.toString(16)}`;
const signedHex = (v: number) => (v < 0 ? `-${hex(-v)}` : `+${hex(v)}`);

function regName(size: number, n: number): string {
  return size === 8 ? R8[n]! : size === 16 ? R16[n]! : R32[n]!;
}

/** Reads bytes of one instruction, failing past the end of the buffer. */
class Reader {
  pos: number;
  constructor(
    private readonly bytes: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }
  u8(): number {
    if (this.pos >= this.bytes.length) throw new RangeError('truncated');
    return this.bytes[this.pos++]!;
  }
  s8(): number {
    return (this.u8() << 24) >> 24;
  }
  u16(): number {
    return this.u8() | (this.u8() << 8);
  }
  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }
  imm(size: number): number {
    return size === 8 ? this.u8() : size === 16 ? this.u16() : this.u32();
  }
}

/** Decodes the ModRM memory operand's address text; returns the text and the disp size. */
function decodeEa(r: Reader, modrm: number, asize: number, bits: number, ndisasm: boolean): string {
  const mod = modrm >> 6;
  const rm = modrm & 7;
  if (asize === 16) {
    if (mod === 0 && rm === 6) return hex(r.u16());
    const base = EA16[rm]!;
    if (mod === 0) return base;
    const d = mod === 1 ? r.s8() : (r.u16() << 16) >> 16;
    return `${base}${signedHex(d)}`;
  }
  let sib = -1;
  if (rm === 4) sib = r.u8();
  if (sib < 0) {
    if (mod === 0 && rm === 5) return `dword ${hex(r.u32())}`;
    const base = R32[rm]!;
    if (mod === 0) return base;
    const d = mod === 1 ? r.s8() : r.u32() | 0;
    return `${base}${signedHex(d)}`;
  }
  const scale = 1 << (sib >> 6);
  const index = (sib >> 3) & 7;
  const baseReg = sib & 7;
  const parts: string[] = [];
  const noBase = baseReg === 5 && mod === 0;
  if (!noBase) parts.push(R32[baseReg]!);
  if (index !== 4) parts.push(scale > 1 ? `${R32[index]}*${scale}` : R32[index]!);
  let text = parts.join('+');
  if (noBase) {
    const d = r.u32() | 0;
    text = parts.length ? `${text}${signedHex(d)}` : hex(d >>> 0);
  } else if (mod === 1) text += signedHex(r.s8());
  else if (mod === 2) text += signedHex(r.u32() | 0);
  // ndisasm marks SIB addresses in 16-bit code with `dword`; NASM would read that as disp32.
  return bits === 16 && ndisasm ? `dword ${text}` : text;
}

/** Decodes one instruction at `at`, or null when the bytes are not an instruction vmlab knows. */
export function decodeInstruction(
  bytes: Uint8Array,
  at: number,
  bits: 16 | 32,
  address: number,
  syntax: DisasmSyntax = 'ndisasm',
): DisasmInstruction | null {
  const r = new Reader(bytes, at);
  try {
    const prefixes: number[] = [];
    let b = r.u8();
    while (PREFIX.has(b)) {
      prefixes.push(b);
      b = r.u8();
      if (prefixes.length > 14) return null;
    }
    let key = b;
    if (b === 0x0f) key = 0x100 | r.u8();
    const opsize = prefixes.includes(0x66) ? (bits === 16 ? 32 : 16) : bits;
    const asize = prefixes.includes(0x67) ? (bits === 16 ? 32 : 16) : bits;
    let candidates = BY_KEY[key]!.filter((e) => e.osize === undefined || e.osize === opsize);
    if (candidates.length === 0) return null;
    let modrm = -1;
    if (candidates.some((e) => e.modrm)) {
      modrm = r.u8();
      const reg = (modrm >> 3) & 7;
      const isMem = modrm >> 6 !== 3;
      candidates = candidates.filter((e) => {
        if (e.ext >= 0 && e.ext !== reg) return false;
        for (const t of e.operands) {
          const ti = describeType(t);
          if (ti.method === 'M' && !isMem) return false;
          if (ti.method === 'S' && reg > 5) return false;
        }
        return true;
      });
    }
    const entry = candidates[0];
    if (!entry) return null;
    let seg = '';
    for (const p of prefixes) if (SEG_NAMES[p]) seg = SEG_NAMES[p]!;
    const operands: DisasmOperand[] = [];
    let segUsed = false;
    let eaText: string | null = null;
    const readEa = () => {
      if (eaText === null) eaText = decodeEa(r, modrm, asize, bits, syntax === 'ndisasm');
      return eaText;
    };
    for (const t of entry.operands) {
      const ti = describeType(t);
      const w =
        ti.size === 'b'
          ? 8
          : ti.size === 'w'
            ? 16
            : ti.size === 'd'
              ? 32
              : ti.size === 'q'
                ? 64
                : 'vzpa'.includes(ti.size) && ti.size
                  ? opsize
                  : 0;
      if (ti.fixed) {
        const f = ti.fixed;
        if (f.cls === 'acc') operands.push({ kind: 'reg', name: regName(opsize, 0) });
        else if (f.cls === 'sreg') operands.push({ kind: 'reg', name: SREG[f.num]! });
        else
          operands.push({
            kind: 'reg',
            name: regName(f.cls === 'r8' ? 8 : f.cls === 'r16' ? 16 : 32, f.num),
          });
        continue;
      }
      if (ti.one) {
        operands.push({ kind: 'one' });
        continue;
      }
      switch (ti.method) {
        case 'E':
        case 'M':
        case 'R':
          if (modrm >> 6 === 3 || ti.method === 'R') {
            // mov r, sreg / sldt / str / smsw name the register by the operand size.
            const bySize =
              ti.size === 'w' && (entry.operands.includes('Sw') || SIZE_NAMED.has(entry.mnemonic));
            operands.push({
              kind: 'reg',
              name: regName(bySize ? opsize : w || 32, modrm & 7),
              sized: bySize,
            });
          } else {
            segUsed = true;
            operands.push({
              kind: 'mem',
              size: ti.method === 'M' ? 0 : w,
              seg,
              ea: readEa(),
              far: ti.size === 'p',
            });
          }
          break;
        case 'G':
          operands.push({ kind: 'reg', name: regName(w, (modrm >> 3) & 7) });
          break;
        case 'S':
          operands.push({ kind: 'reg', name: SREG[(modrm >> 3) & 7]! });
          break;
        case 'C':
          operands.push({ kind: 'reg', name: `cr${(modrm >> 3) & 7}` });
          break;
        case 'D':
          operands.push({ kind: 'reg', name: `dr${(modrm >> 3) & 7}` });
          break;
        case 'T':
          operands.push({ kind: 'reg', name: `tr${(modrm >> 3) & 7}` });
          break;
        case 'Z':
          operands.push({ kind: 'reg', name: regName(w, key & 7) });
          break;
        case 'O':
          segUsed = true;
          operands.push({ kind: 'mem', size: w, seg, ea: hex(r.imm(asize)), far: false });
          break;
        case 'I':
          if (ti.signed) operands.push({ kind: 'imm', value: r.s8(), size: 8, signed: true });
          else
            operands.push({ kind: 'imm', value: r.imm(w === 64 ? 32 : w), size: w, signed: false });
          break;
        case 'J': {
          const short = ti.size === 'b';
          const d = short ? r.s8() : opsize === 16 ? (r.u16() << 16) >> 16 : r.u32() | 0;
          const next = address + (r.pos - at);
          const mask = opsize === 16 ? 0xffff : 0xffffffff;
          operands.push({ kind: 'rel', target: ((next + d) & mask) >>> 0, short });
          break;
        }
        case 'A': {
          const off = r.imm(opsize);
          operands.push({ kind: 'far', seg: r.u16(), off });
          break;
        }
        default:
          return null;
      }
    }
    if (modrm >= 0 && eaText === null && modrm >> 6 !== 3 && entry.modrm) readEa();
    return { entry, length: r.pos - at, opsize, asize, prefixes, operands, segUsed };
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/** Disassembles `bytes` loaded at `origin` as ndisasm does: one line per instruction, `db` for the rest. */
export function disassemble(
  bytes: Uint8Array,
  options: { bits?: 16 | 32; origin?: number; syntax?: DisasmSyntax } = {},
): DisasmLine[] {
  const bits = options.bits ?? 16;
  const syntax = options.syntax ?? 'ndisasm';
  const origin = options.origin ?? 0;
  const lines: DisasmLine[] = [];
  let at = 0;
  while (at < bytes.length) {
    const address = (origin + at) >>> 0;
    const ins = decodeInstruction(bytes, at, bits, address, syntax);
    // ndisasm reads WAIT (9B) as a prefix of the instruction that follows it.
    if (
      syntax === 'ndisasm' &&
      ins &&
      ins.entry.opcode === 0x9b &&
      ins.prefixes.length === 0 &&
      at + 1 < bytes.length
    ) {
      const next = decodeInstruction(bytes, at + 1, bits, address + 1, syntax);
      if (next && next.entry.opcode !== 0x9b) {
        const text = `wait ${formatInstruction(next, bits, syntax)}`;
        lines.push({ address, bytes: bytes.subarray(at, at + 1 + next.length), text });
        at += 1 + next.length;
        continue;
      }
    }
    if (!ins) {
      const b = bytes[at]!;
      // ndisasm names a prefix that no instruction follows; other bytes become db.
      const text = PREFIX_NAMES[b]?.(bits) ?? `db 0x${b.toString(16).padStart(2, '0')}`;
      lines.push({ address, bytes: bytes.subarray(at, at + 1), text });
      at++;
      continue;
    }
    lines.push({
      address,
      bytes: bytes.subarray(at, at + ins.length),
      text: formatInstruction(ins, bits, syntax),
    });
    at += ins.length;
  }
  return lines;
}

/** The disassembly as ndisasm prints it: address, hex bytes (8 a line), instruction. */
export function formatNdisasm(lines: DisasmLine[]): string {
  let out = '';
  for (const l of lines) {
    let hexText = '';
    for (const b of l.bytes) hexText += b.toString(16).toUpperCase().padStart(2, '0');
    out += `${l.address.toString(16).toUpperCase().padStart(8, '0')}  ${hexText.slice(0, 16).padEnd(18)}${l.text}\n`;
    for (let k = 16; k < hexText.length; k += 16) out += `         -${hexText.slice(k, k + 16)}\n`;
  }
  return out;
}
