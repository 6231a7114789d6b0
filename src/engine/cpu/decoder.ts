// Table-driven x86 instruction decoder (Intel SDM vol. 2A, 2.1 "Instruction format" and 2.1.5 ModRM/SIB).

import {
  type CodeSource,
  type DecodedInstruction,
  MAX_INSTRUCTION_LENGTH,
  OPK_CREG,
  OPK_DREG,
  OPK_FAR,
  OPK_IMM,
  OPK_MEM,
  OPK_REG,
  OPK_SREG,
} from './decoded-instruction';
import { CpuFault, Vector } from './faults';
import { OPCODE_KEYS, OPCODE_TABLE, type OperandType } from './opcode-table';
import { DS, EBP, ESP, SS } from './state';

// Fetch state of the decode in progress, module-level so that decoding allocates no closure.
// Properties of one const object rather than module-level `let`s: V8 writes a script-context
// slot through a slow path, which made those three writes per decode the decoder's main cost.
const fetch: { src: CodeSource; dst: DecodedInstruction | null; pos: number } = {
  src: { codeByte: () => 0 },
  dst: null,
  pos: 0,
};

function next(): number {
  const f = fetch;
  const at = f.pos;
  if (at >= MAX_INSTRUCTION_LENGTH) throw new CpuFault(Vector.GP, 0);
  const b = f.src.codeByte(at);
  f.dst!.bytes[at] = b;
  f.pos = at + 1;
  return b;
}

const SLOTS_PER_KEY = 16; // 8 ModRM.reg extensions x 2 operand sizes
const slots = new Int16Array(OPCODE_KEYS * SLOTS_PER_KEY).fill(-1);
const hasModrm = new Uint8Array(OPCODE_KEYS);
for (const e of OPCODE_TABLE) {
  if (e.encodeOnly) continue;
  const keys = e.plusReg ? 8 : 1;
  for (let k = 0; k < keys; k++) {
    const key = e.opcode + k;
    hasModrm[key] = e.modrm ? 1 : 0;
    for (let ext = 0; ext < 8; ext++) {
      if (e.ext >= 0 && e.ext !== ext) continue;
      for (let wide = 0; wide < 2; wide++) {
        if (e.osize && (e.osize === 32) !== (wide === 1)) continue;
        const i = key * SLOTS_PER_KEY + ext * 2 + wide;
        if (slots[i] === -1) slots[i] = e.index;
      }
    }
  }
}

// Operand types as small numbers, so the per-instruction switch compares integers.
const OPERAND_TYPES: readonly OperandType[] = [
  'Eb',
  'Ew',
  'Ev',
  'Gb',
  'Gv',
  'Sw',
  'M',
  'Mp',
  'Ib',
  'Iw',
  'Iv',
  'Iz',
  'Ibs',
  'Jb',
  'Jz',
  'Ob',
  'Ov',
  'Ap',
  'Zb',
  'Zv',
  'AL',
  'CL',
  'DX',
  'eAX',
  '1',
  'ES',
  'CS',
  'SS',
  'DS',
  'FS',
  'GS',
  'Rd',
  'Cd',
  'Dd',
  'Gw',
];
const T_Eb = 0;
const T_Ew = 1;
const T_Ev = 2;
const T_Gb = 3;
const T_Gv = 4;
const T_Sw = 5;
const T_M = 6;
const T_Mp = 7;
const T_Ib = 8;
const T_Iw = 9;
const T_Iv = 10;
const T_Iz = 11;
const T_Ibs = 12;
const T_Jb = 13;
const T_Jz = 14;
const T_Ob = 15;
const T_Ov = 16;
const T_Ap = 17;
const T_Zb = 18;
const T_Zv = 19;
const T_AL = 20;
const T_CL = 21;
const T_DX = 22;
const T_eAX = 23;
const T_ONE = 24;
const T_ES = 25;
const T_CS = 26;
const T_SS = 27;
const T_DS = 28;
const T_FS = 29;
const T_GS = 30;
const T_Rd = 31;
const T_Cd = 32;
const T_Dd = 33;
const T_Gw = 34;

// Operand types of entry n at OPERAND_CODES[n * 4 + i] and their count at [n * 4 + 3]: one flat
// array, so that decoding loads no per-entry object.
const OPERAND_CODES = new Uint8Array(OPCODE_TABLE.length * 4);
for (const e of OPCODE_TABLE) {
  e.operands.forEach((o, i) => {
    OPERAND_CODES[e.index * 4 + i] = OPERAND_TYPES.indexOf(o);
  });
  OPERAND_CODES[e.index * 4 + 3] = e.operands.length;
}

// 16-bit addressing forms (SDM 2A table 2-1): base, second base/index, default segment.
const EA16_BASE = [3, 3, 5, 5, 6, 7, 5, 3];
const EA16_INDEX = [6, 7, 6, 7, -1, -1, -1, -1];
const EA16_SEG = [DS, DS, SS, SS, DS, DS, SS, DS];

/**
 * Decodes one instruction from `src` into `d` with default operand and address size
 * `defaultSize`. Throws CpuFault #GP(0) past 15 bytes; an unknown opcode leaves d.entry null.
 */
export function decode(source: CodeSource, d: DecodedInstruction, defaultSize: 16 | 32): void {
  fetch.src = source;
  fetch.dst = d;
  fetch.pos = 0;
  d.entry = null;
  d.segOverride = -1;
  d.rep = 0;
  d.lock = false;
  d.modrm = -1;
  d.hasMem = false;
  d.count = 0;
  let opSize = defaultSize;
  let adSize = defaultSize;
  let b = next();
  for (;;) {
    if (b === 0x26 || b === 0x2e || b === 0x36 || b === 0x3e) d.segOverride = (b >> 3) & 3;
    else if (b === 0x64 || b === 0x65) d.segOverride = b - 0x60;
    else if (b === 0x66) opSize = defaultSize === 16 ? 32 : 16;
    else if (b === 0x67) adSize = defaultSize === 16 ? 32 : 16;
    else if (b === 0xf2 || b === 0xf3) d.rep = b;
    else if (b === 0xf0) d.lock = true;
    else break;
    b = next();
  }
  d.opSize = opSize;
  d.adSize = adSize;
  const key = b === 0x0f ? 0x100 | next() : b;
  d.opcode = key;
  if (hasModrm[key]) d.modrm = next();
  d.length = fetch.pos;
  const ext = d.modrm >= 0 ? (d.modrm >> 3) & 7 : 0;
  const slot = slots[key * SLOTS_PER_KEY + ext * 2 + (opSize === 32 ? 1 : 0)]!;
  if (slot < 0) return;
  const entry = OPCODE_TABLE[slot]!;
  // MOV to/from CRn/DRn (0F 20-23) ignore the mod bits: the r/m field is always a register.
  const movSpecial = key >= 0x120 && key <= 0x123;
  if (d.modrm >= 0 && d.modrm < 0xc0 && !movSpecial) decodeMemory(d, adSize);
  const count = OPERAND_CODES[slot * 4 + 3]!;
  for (let i = 0; i < count; i++) {
    const type = OPERAND_CODES[slot * 4 + i]!;
    if (type <= T_Gv) {
      // E and G operands inline: decodeOperand is too large for V8 to inline.
      const isE = type <= T_Ev;
      d.kind[i] = isE && d.hasMem ? OPK_MEM : OPK_REG;
      d.size[i] = type === T_Eb || type === T_Gb ? 8 : type === T_Ew ? 16 : opSize;
      d.reg[i] = isE ? d.modrm & 7 : (d.modrm >> 3) & 7;
      d.imm[i] = 0;
    } else if (!decodeOperand(d, i, type, key)) return;
  }
  d.count = count;
  d.entry = entry;
  d.length = fetch.pos;
}

function decodeMemory(d: DecodedInstruction, adSize: number): void {
  const mod = d.modrm >> 6;
  const rm = d.modrm & 7;
  d.hasMem = true;
  d.memScale = 0;
  d.memIndex = -1;
  d.memBase2 = -1;
  d.disp = 0;
  if (adSize === 16) {
    if (mod === 0 && rm === 6) {
      d.memBase = -1;
      d.memSeg = DS;
      d.disp = next() | (next() << 8);
    } else {
      d.memBase = EA16_BASE[rm]!;
      d.memBase2 = EA16_INDEX[rm]!;
      d.memSeg = EA16_SEG[rm]!;
      if (mod === 1) d.disp = ((next() << 24) >> 24) & 0xffff;
      else if (mod === 2) d.disp = next() | (next() << 8);
    }
  } else {
    let base = rm;
    if (rm === 4) {
      const sib = next();
      base = sib & 7;
      const index = (sib >> 3) & 7;
      d.memIndex = index === 4 ? -1 : index;
      d.memScale = sib >> 6;
    }
    if (mod === 0 && base === 5) {
      d.memBase = -1;
      d.memSeg = DS;
      d.disp = (next() | (next() << 8) | (next() << 16) | (next() << 24)) >>> 0;
    } else {
      d.memBase = base;
      d.memSeg = base === ESP || base === EBP ? SS : DS;
      if (mod === 1) d.disp = ((next() << 24) >> 24) >>> 0;
      else if (mod === 2) d.disp = (next() | (next() << 8) | (next() << 16) | (next() << 24)) >>> 0;
    }
  }
  if (d.segOverride >= 0) d.memSeg = d.segOverride;
}

function immediate(size: number): number {
  if (size === 8) return next();
  if (size === 16) return next() | (next() << 8);
  return (next() | (next() << 8) | (next() << 16) | (next() << 24)) >>> 0;
}

/** Fills operand `i`; returns false when the ModRM form is invalid for the operand (e.g. LEA with a register). */
function decodeOperand(d: DecodedInstruction, i: number, type: number, key: number): boolean {
  const rm = d.modrm & 7;
  const regField = (d.modrm >> 3) & 7;
  let kind = OPK_REG;
  let size = d.opSize;
  let reg = 0;
  let imm = 0;
  switch (type) {
    case T_Eb:
    case T_Ew:
    case T_Ev:
      size = type === T_Eb ? 8 : type === T_Ew ? 16 : d.opSize;
      if (d.hasMem) kind = OPK_MEM;
      else reg = rm;
      break;
    case T_M:
    case T_Mp:
      if (!d.hasMem) return false;
      kind = OPK_MEM;
      break;
    case T_Gb:
      size = 8;
      reg = regField;
      break;
    case T_Gv:
      reg = regField;
      break;
    case T_Gw:
      size = 16;
      reg = regField;
      break;
    case T_Sw:
      if (regField > 5) return false;
      kind = OPK_SREG;
      size = 16;
      reg = regField;
      break;
    case T_Zb:
      size = 8;
      reg = key & 7;
      break;
    case T_Rd:
      size = 32;
      reg = rm;
      break;
    case T_Cd:
    case T_Dd:
      kind = type === T_Cd ? OPK_CREG : OPK_DREG;
      size = 32;
      reg = regField;
      break;
    case T_Zv:
      reg = key & 7;
      break;
    case T_AL:
      size = 8;
      break;
    case T_eAX:
      break;
    case T_CL:
      size = 8;
      reg = 1;
      break;
    case T_DX:
      size = 16;
      reg = 2;
      break;
    case T_ES:
    case T_CS:
    case T_SS:
    case T_DS:
    case T_FS:
    case T_GS:
      kind = OPK_SREG;
      size = 16;
      reg = type - T_ES;
      break;
    case T_ONE:
      kind = OPK_IMM;
      size = 8;
      imm = 1;
      break;
    case T_Ib:
    case T_Iw:
      kind = OPK_IMM;
      size = type === T_Ib ? 8 : 16;
      imm = immediate(size);
      break;
    case T_Iv:
    case T_Iz:
      kind = OPK_IMM;
      imm = immediate(size);
      break;
    case T_Ibs:
      kind = OPK_IMM;
      imm = (((next() << 24) >> 24) & (size === 16 ? 0xffff : 0xffffffff)) >>> 0;
      break;
    case T_Jb:
      kind = OPK_IMM;
      imm = (next() << 24) >> 24;
      break;
    case T_Jz:
      kind = OPK_IMM;
      imm = size === 16 ? (immediate(16) << 16) >> 16 : immediate(32) | 0;
      break;
    case T_Ob:
    case T_Ov:
      kind = OPK_MEM;
      size = type === T_Ob ? 8 : d.opSize;
      d.hasMem = true;
      d.memBase = -1;
      d.memBase2 = -1;
      d.memIndex = -1;
      d.memScale = 0;
      d.disp = immediate(d.adSize);
      d.memSeg = d.segOverride >= 0 ? d.segOverride : DS;
      break;
    case T_Ap:
      kind = OPK_FAR;
      imm = immediate(size);
      d.farSeg = immediate(16);
      break;
    default:
      return false;
  }
  d.kind[i] = kind;
  d.size[i] = size;
  d.reg[i] = reg;
  d.imm[i] = imm;
  return true;
}
