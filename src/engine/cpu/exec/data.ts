// Data movement: MOV (incl. segment registers and moffs), XCHG, LEA, MOVZX/MOVSX, CBW/CWD, LAHF/SAHF, XLAT, BSWAP, CMOVcc, SETcc, LDS/LES/LSS/LFS/LGS (Intel SDM vol. 2).

import type { Cpu, Handler } from '../cpu';
import { type DecodedInstruction, OPK_SREG } from '../decoded-instruction';
import { CpuFault, Vector } from '../faults';
import { AF, CF, condition, getCF, getEflags, PF, SF, setEflags, ZF } from '../flags';
import { readOp, writeOp } from '../operands';
import { loadSegment } from '../segmentation';
import { CS, DS, EAX, EBX, EDX, ES, FS, GS, SS } from '../state';

const MOV: Handler = (c, d) => {
  writeOp(c, d, 0, readOp(c, d, 1));
};

// 8C stores a selector (a 16-bit store to memory); 8E loads one. MOV CS is #UD since the 386.
const MOV_SREG: Handler = (c, d) => {
  if (d.kind[0] === OPK_SREG) {
    if (d.reg[0] === CS) throw new CpuFault(Vector.UD);
    loadSegment(c, d.reg[0]!, readOp(c, d, 1));
  } else {
    writeOp(c, d, 0, readOp(c, d, 1));
  }
};

// The r/m operand (memory, if any) is written first, so a fault leaves the register alone.
const XCHG: Handler = (c, d) => {
  const a = readOp(c, d, 0);
  const b = readOp(c, d, 1);
  writeOp(c, d, 0, b);
  writeOp(c, d, 1, a);
};

const LEA: Handler = (c, d) => {
  writeOp(c, d, 0, c.ea);
};

const MOVZX: Handler = (c, d) => {
  writeOp(c, d, 0, readOp(c, d, 1));
};

const MOVSX: Handler = (c, d) => {
  const v = readOp(c, d, 1);
  writeOp(c, d, 0, (d.size[1] === 8 ? (v << 24) >> 24 : (v << 16) >> 16) >>> 0);
};

// 98: CBW (AX = sign-extended AL) or CWDE (EAX = sign-extended AX).
const CBW: Handler = (c, d) => {
  const s = c.s;
  const a = s.regs[EAX]!;
  if (d.opSize === 16) s.regs[EAX] = (a & 0xffff0000) | (((a << 24) >> 24) & 0xffff);
  else s.regs[EAX] = (a << 16) >> 16;
};

// 99: CWD (DX = sign of AX) or CDQ (EDX = sign of EAX).
const CWD: Handler = (c, d) => {
  const s = c.s;
  const a = s.regs[EAX]!;
  if (d.opSize === 16) s.regs[EDX] = (s.regs[EDX]! & 0xffff0000) | (a & 0x8000 ? 0xffff : 0);
  else s.regs[EDX] = a & 0x80000000 ? 0xffffffff : 0;
};

// LAHF loads SF:ZF:0:AF:0:PF:1:CF into AH; SAHF stores AH into those five flags.
const LAHF: Handler = (c) => {
  const s = c.s;
  const flags = (getEflags(s) & (SF | ZF | AF | PF | CF)) | 0x2;
  s.regs[EAX] = (s.regs[EAX]! & 0xffff00ff) | (flags << 8);
};

const SAHF: Handler = (c) => {
  const s = c.s;
  setEflags(s, s.regs[EAX]! >>> 8, SF | ZF | AF | PF | CF);
};

// D7: AL = [seg:(E)BX + AL], DS unless overridden.
const XLAT: Handler = (c, d) => {
  const s = c.s;
  const seg = d.segOverride >= 0 ? d.segOverride : DS;
  const sum = s.regs[EBX]! + (s.regs[EAX]! & 0xff);
  const offset = d.adSize === 16 ? sum & 0xffff : sum >>> 0;
  s.regs[EAX] = (s.regs[EAX]! & 0xffffff00) | c.read8(seg, offset);
};

// 0F C8+r: a 16-bit BSWAP is undefined; like Bochs (and real CPUs) it clears the word.
const BSWAP: Handler = (c, d) => {
  const s = c.s;
  const r = d.reg[0]!;
  const v = s.regs[r]!;
  if (d.opSize === 16) s.regs[r] = v & 0xffff0000;
  else s.regs[r] = (v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24);
};

// CMOVcc reads its source (a memory source can fault) whether or not the condition holds.
const CMOVCC: Handler = (c, d) => {
  const v = readOp(c, d, 1);
  if (condition(c.s, d.opcode & 0xf)) writeOp(c, d, 0, v);
};

const SETCC: Handler = (c, d) => {
  writeOp(c, d, 0, condition(c.s, d.opcode & 0xf) ? 1 : 0);
};

// D6 SALC (undocumented): AL = CF ? FF : 00, flags unchanged.
const SALC: Handler = (c) => {
  const s = c.s;
  s.regs[EAX] = (s.regs[EAX]! & 0xffffff00) | (getCF(s) ? 0xff : 0);
};

/**
 * LDS/LES/LSS/LFS/LGS r, m16:16 or m16:32: offset first, selector after it. The segment is
 * loaded (with its protected-mode checks) before the register is written, so a fault
 * leaves both unchanged. The selector is read before the offset, as Bochs does: it decides
 * which address a page fault reports.
 */
function loadFarPointer(c: Cpu, d: DecodedInstruction, seg: number): void {
  const at = c.ea + (d.opSize >> 3);
  const selector = c.read16(d.memSeg, d.adSize === 16 ? at & 0xffff : at >>> 0);
  const offset = c.readMem(d.memSeg, c.ea, d.opSize);
  const shadow = c.s.interruptShadow; // only MOV SS and POP SS inhibit interrupts, not LSS
  loadSegment(c, seg, selector);
  c.s.interruptShadow = shadow;
  writeOp(c, d, 0, offset);
}

/** Data-movement handlers by exec name. */
export const dataHandlers: Record<string, Handler> = {
  MOV,
  MOV_SREG,
  XCHG,
  LEA,
  MOVZX,
  MOVSX,
  CBW,
  CWD,
  LAHF,
  SAHF,
  XLAT,
  BSWAP,
  CMOVCC,
  SETCC,
  SALC,
  LES: (c, d) => loadFarPointer(c, d, ES),
  LDS: (c, d) => loadFarPointer(c, d, DS),
  LSS: (c, d) => loadFarPointer(c, d, SS),
  LFS: (c, d) => loadFarPointer(c, d, FS),
  LGS: (c, d) => loadFarPointer(c, d, GS),
};
