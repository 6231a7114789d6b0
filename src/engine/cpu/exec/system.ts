// Processor control and system instructions: HLT, descriptor-table and task registers, CRn/DRn, LMSW/SMSW, INVLPG, caches (Intel SDM vol. 2 and vol. 3A 2.8).

import { UnimplementedError } from '../../bus/errors';
import type { Cpu, Handler } from '../cpu';
import { dataBreakpointsArmed } from '../debug';
import { type DecodedInstruction, OPK_MEM, OPK_REG } from '../decoded-instruction';
import {
  Descriptor,
  descriptorAddress,
  markTssBusy,
  readDescriptor,
  SYS_LDT,
  SYS_TSS16_AVAIL,
  SYS_TSS32_AVAIL,
} from '../descriptors';
import { CpuFault, Vector } from '../faults';
import { CF, DF, getCF, setFlag, VM } from '../flags';
import { readOp, writeOp } from '../operands';
import { setReg } from '../state';

const desc = new Descriptor();

const CR0_PE = 0x1;
const CR0_TS = 0x8;
const CR0_ET = 0x10;
const CR0_WP = 0x10000;
const CR0_NW = 0x20000000;
const CR0_CD = 0x40000000;
const CR0_PG = 0x80000000;
/** CR4 bits this CPU implements, as CPUID.1:EDX reports: TSD, DE, PSE, PGE (no VME/PVI/PAE/MCE). */
const CR4_VALID = 0x4 | 0x8 | 0x10 | 0x80;
const CR4_DE = 0x8;
const CR4_FLUSH = 0x10 | 0x80; // PSE, PGE: changing them flushes every translation

/** #GP(0) unless CPL is 0 (always true in real mode). */
export function requireCpl0(c: Cpu): void {
  if ((c.s.cr0 & CR0_PE) === 0) return;
  if ((c.s.eflags & VM) !== 0) {
    throw new UnimplementedError(
      'unimplemented-instruction',
      'virtual-8086 mode is not implemented',
    );
  }
  if (c.s.cpl !== 0) throw new CpuFault(Vector.GP, 0);
}

/** #UD in real mode: LLDT, SLDT, LTR, STR, LAR, LSL, VERR, VERW (SDM 2A "Real-Address Mode Exceptions"). */
function requireProtected(c: Cpu): void {
  if ((c.s.cr0 & CR0_PE) === 0) throw new CpuFault(Vector.UD);
  if ((c.s.eflags & VM) !== 0) throw new CpuFault(Vector.UD);
}

const HLT: Handler = (c) => {
  requireCpl0(c);
  c.s.halted = true;
};

// LGDT/LIDT m16&32: with a 16-bit operand size only 24 bits of the base are loaded.
function loadTableRegister(c: Cpu, d: DecodedInstruction): [number, number] {
  requireCpl0(c);
  const limit = c.read16(d.memSeg, c.ea);
  let base = c.read32(d.memSeg, (c.ea + 2) & (d.adSize === 16 ? 0xffff : 0xffffffff));
  if (d.opSize === 16) base &= 0xffffff;
  return [limit, base >>> 0];
}

function storeTableRegister(c: Cpu, d: DecodedInstruction, limit: number, base: number): void {
  c.write16(d.memSeg, c.ea, limit);
  const b = d.opSize === 16 ? base & 0xffffff : base;
  c.write32(d.memSeg, (c.ea + 2) & (d.adSize === 16 ? 0xffff : 0xffffffff), b);
}

const LGDT: Handler = (c, d) => {
  const [limit, base] = loadTableRegister(c, d);
  c.s.gdtrLimit = limit;
  c.s.gdtrBase = base;
};

const LIDT: Handler = (c, d) => {
  const [limit, base] = loadTableRegister(c, d);
  c.s.idtrLimit = limit;
  c.s.idtrBase = base;
};

// SGDT, SIDT, SLDT, STR and SMSW never trap at CPL > 0: they reveal privileged state.
const SGDT: Handler = (c, d) => storeTableRegister(c, d, c.s.gdtrLimit, c.s.gdtrBase);
const SIDT: Handler = (c, d) => storeTableRegister(c, d, c.s.idtrLimit, c.s.idtrBase);

/** Stores a 16-bit value: zero-extended into a 32-bit register, 16 bits to memory. */
function storeSelector(c: Cpu, d: DecodedInstruction, value: number): void {
  if (d.kind[0] === OPK_REG) setReg(c.s, d.opSize, d.reg[0]!, value);
  else writeOp(c, d, 0, value);
}

const SLDT: Handler = (c, d) => {
  requireProtected(c);
  storeSelector(c, d, c.s.ldtr);
};

const STR: Handler = (c, d) => {
  requireProtected(c);
  storeSelector(c, d, c.s.tr);
};

const LLDT: Handler = (c, d) => {
  requireProtected(c);
  requireCpl0(c);
  const s = c.s;
  const selector = readOp(c, d, 0) & 0xffff;
  const err = selector & 0xfffc;
  if (err === 0) {
    s.ldtr = selector;
    s.ldtrBase = 0;
    s.ldtrLimit = 0;
    s.ldtrAttr = 0;
    return;
  }
  if ((selector & 4) !== 0) throw new CpuFault(Vector.GP, err);
  readDescriptor(c, selector, desc, Vector.GP);
  if (desc.systemType !== SYS_LDT) throw new CpuFault(Vector.GP, err);
  if (!desc.present) throw new CpuFault(Vector.NP, err);
  s.ldtr = selector;
  s.ldtrBase = desc.base;
  s.ldtrLimit = desc.limit;
  s.ldtrAttr = desc.attr;
};

const LTR: Handler = (c, d) => {
  requireProtected(c);
  requireCpl0(c);
  const s = c.s;
  const selector = readOp(c, d, 0) & 0xffff;
  const err = selector & 0xfffc;
  if (err === 0) throw new CpuFault(Vector.GP, 0);
  if ((selector & 4) !== 0) throw new CpuFault(Vector.GP, err);
  readDescriptor(c, selector, desc, Vector.GP);
  const t = desc.systemType;
  if (t !== SYS_TSS16_AVAIL && t !== SYS_TSS32_AVAIL) throw new CpuFault(Vector.GP, err);
  if (!desc.present) throw new CpuFault(Vector.NP, err);
  markTssBusy(c, selector, desc);
  s.tr = selector;
  s.trBase = desc.base;
  s.trLimit = desc.limit;
  s.trAttr = desc.attr;
};

const SMSW: Handler = (c, d) => {
  if (d.kind[0] === OPK_REG) setReg(c.s, d.opSize, d.reg[0]!, c.s.cr0);
  else writeOp(c, d, 0, c.s.cr0 & 0xffff);
};

// LMSW loads PE, MP, EM and TS only, and cannot clear PE.
const LMSW: Handler = (c, d) => {
  requireCpl0(c);
  const v = readOp(c, d, 0) & 0xf;
  writeCr0(c, ((c.s.cr0 & ~0xe) | v | (c.s.cr0 & CR0_PE)) >>> 0);
};

const CLTS: Handler = (c) => {
  requireCpl0(c);
  c.s.cr0 = (c.s.cr0 & ~CR0_TS) >>> 0;
};

const INVLPG: Handler = (c, d) => {
  requireCpl0(c);
  c.tlb.invalidate(((c.s.segBase[d.memSeg]! + c.ea) >>> 0) >>> 12);
};

// The caches are not modelled; only the privilege check remains.
const INVD: Handler = (c) => requireCpl0(c);

/** Writes CR0 with the SDM's checks; paging-relevant changes flush the TLB. */
function writeCr0(c: Cpu, value: number): void {
  const s = c.s;
  value = (value | CR0_ET) >>> 0;
  if ((value & CR0_PG) !== 0 && (value & CR0_PE) === 0) throw new CpuFault(Vector.GP, 0);
  if ((value & CR0_NW) !== 0 && (value & CR0_CD) === 0) throw new CpuFault(Vector.GP, 0);
  const changed = (s.cr0 ^ value) >>> 0;
  s.cr0 = value;
  if ((changed & (CR0_PG | CR0_WP | CR0_PE)) !== 0) c.tlb.flush(false);
  if ((value & CR0_PE) === 0) s.cpl = 0;
}

/** Control register number of a MOV CRn, or #UD for CR1 and CR5-CR7. */
function crNumber(d: DecodedInstruction, i: number): number {
  const n = d.reg[i]!;
  if (n === 1 || n > 4) throw new CpuFault(Vector.UD);
  return n;
}

const MOV_R_CR: Handler = (c, d) => {
  requireCpl0(c);
  const n = crNumber(d, 1);
  const s = c.s;
  const v = n === 0 ? s.cr0 : n === 2 ? s.cr2 : n === 3 ? s.cr3 : s.cr4;
  setReg(s, 32, d.reg[0]!, v);
};

const MOV_CR_R: Handler = (c, d) => {
  requireCpl0(c);
  const n = crNumber(d, 0);
  const s = c.s;
  const v = s.regs[d.reg[1]!]!;
  if (n === 0) writeCr0(c, v);
  else if (n === 2) s.cr2 = v;
  else if (n === 3) {
    s.cr3 = v;
    c.tlb.flush(true);
  } else {
    if ((v & ~CR4_VALID) !== 0) throw new CpuFault(Vector.GP, 0);
    const changed = s.cr4 ^ v;
    s.cr4 = v;
    if ((changed & CR4_FLUSH) !== 0) c.tlb.flush(false);
  }
};

/** Debug register number of a MOV DRn: DR4/DR5 alias DR6/DR7 unless CR4.DE, then #UD. */
function drNumber(c: Cpu, d: DecodedInstruction, i: number): number {
  requireCpl0(c);
  const s = c.s;
  // DR7.GD: any debug-register access raises #DB with DR6.BD (SDM 3A 17.2.4).
  if ((s.dr[7]! & 0x2000) !== 0) {
    s.dr[7] = s.dr[7]! & ~0x2000;
    s.dr[6] = (s.dr[6]! | 0x2000) >>> 0;
    throw new CpuFault(Vector.DB);
  }
  const n = d.reg[i]!;
  if (n === 4 || n === 5) {
    if ((s.cr4 & CR4_DE) !== 0) throw new CpuFault(Vector.UD);
    return n + 2;
  }
  return n;
}

const MOV_R_DR: Handler = (c, d) => {
  const n = drNumber(c, d, 1);
  setReg(c.s, 32, d.reg[0]!, c.s.dr[n]!);
};

const MOV_DR_R: Handler = (c, d) => {
  const n = drNumber(c, d, 0);
  const v = c.s.regs[d.reg[1]!]!;
  if (n === 6) c.s.dr[6] = ((v & 0xe00f) | 0xffff0ff0) >>> 0;
  else if (n === 7) c.s.dr[7] = ((v & ~0xd800) | 0x400) >>> 0;
  else c.s.dr[n] = v;
  c.dataWatch = dataBreakpointsArmed(c.s);
};

/** Reads the descriptor of the selector operand for LAR/LSL/VERR/VERW, or null (ZF = 0). */
function probe(c: Cpu, d: DecodedInstruction, i: number): Descriptor | null {
  requireProtected(c);
  const selector = (d.kind[i] === OPK_MEM ? c.read16(d.memSeg, c.ea) : readOp(c, d, i)) & 0xffff;
  if ((selector & 0xfffc) === 0 || descriptorAddress(c, selector) < 0) return null;
  readDescriptor(c, selector, desc, Vector.GP);
  // Conforming code is visible from any privilege; everything else needs DPL >= CPL and RPL.
  if (!desc.isConforming && (desc.dpl < c.s.cpl || desc.dpl < (selector & 3))) return null;
  return desc;
}

// System types LAR accepts: TSSs, LDT, call and task gates, not interrupt or trap gates.
const LAR_TYPES =
  (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 9) | (1 << 11) | (1 << 12);
// LSL accepts only types with a limit: TSSs and the LDT.
const LSL_TYPES = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 9) | (1 << 11);

function zf(c: Cpu, on: boolean): void {
  setFlag(c.s, 0x40, on);
}

const LAR: Handler = (c, d) => {
  const e = probe(c, d, 1);
  if (!e || (!e.isSegment && ((LAR_TYPES >> e.systemType) & 1) === 0)) return zf(c, false);
  setReg(c.s, d.opSize, d.reg[0]!, d.opSize === 16 ? e.hi & 0xff00 : e.hi & 0x00ffff00);
  zf(c, true);
};

const LSL: Handler = (c, d) => {
  const e = probe(c, d, 1);
  if (!e || (!e.isSegment && ((LSL_TYPES >> e.systemType) & 1) === 0)) return zf(c, false);
  setReg(c.s, d.opSize, d.reg[0]!, e.limit);
  zf(c, true);
};

const VERR: Handler = (c, d) => {
  const e = probe(c, d, 0);
  zf(c, e?.isReadable === true);
};

const VERW: Handler = (c, d) => {
  const e = probe(c, d, 0);
  zf(c, e?.isWritableData === true);
};

// ARPL raises the destination selector's RPL to the source's (SDM 2A "ARPL"); #UD in real mode.
const ARPL: Handler = (c, d) => {
  requireProtected(c);
  const dest = readOp(c, d, 0);
  const rpl = readOp(c, d, 1) & 3;
  const raise = (dest & 3) < rpl;
  if (raise) writeOp(c, d, 0, (dest & 0xfffc) | rpl);
  zf(c, raise);
};

/** System handlers by exec name. */
export const systemHandlers: Record<string, Handler> = {
  CLC: (c) => setFlag(c.s, CF, false),
  STC: (c) => setFlag(c.s, CF, true),
  CMC: (c) => setFlag(c.s, CF, getCF(c.s) === 0),
  CLD: (c) => setFlag(c.s, DF, false),
  STD: (c) => setFlag(c.s, DF, true),
  HLT,
  NOP: () => {},
  LGDT,
  LIDT,
  SGDT,
  SIDT,
  SLDT,
  STR,
  LLDT,
  LTR,
  SMSW,
  LMSW,
  CLTS,
  INVLPG,
  INVD,
  WBINVD: INVD,
  MOV_R_CR,
  MOV_CR_R,
  MOV_R_DR,
  MOV_DR_R,
  LAR,
  LSL,
  VERR,
  VERW,
  ARPL,
};
