// Bit test and scan: BT, BTS, BTR, BTC, BSF, BSR (Intel SDM vol. 2A "BSF", "BSR", "BT", "BTC", "BTR", "BTS").

import type { Cpu, Handler } from '../cpu';
import { type DecodedInstruction, OPK_MEM, OPK_REG } from '../decoded-instruction';
import { CF, setEflags, setStatus, szp, ZF } from '../flags';
import { readOp, writeOp } from '../operands';

/**
 * Bit number of a BTx instruction. With a memory operand and a register offset the operand
 * is a bit string: the signed offset also moves the effective address by whole operands
 * (SDM 2A 3.1.1.9 "bit offset"), so c.ea is updated before the access.
 */
function bitIndex(c: Cpu, d: DecodedInstruction): number {
  const size = d.size[0]!;
  const offset = readOp(c, d, 1);
  if (d.kind[0] === OPK_MEM && d.kind[1] === OPK_REG) {
    const signed = size === 16 ? (offset << 16) >> 16 : offset | 0;
    const move = size === 16 ? (signed >> 4) * 2 : (signed >> 5) * 4;
    c.ea = d.adSize === 16 ? (c.ea + move) & 0xffff : (c.ea + move) >>> 0;
  }
  return offset & (size - 1);
}

// Only CF changes; the SDM leaves OF, SF, AF and PF undefined and Bochs keeps them.
function setCarry(c: Cpu, value: number, bit: number): void {
  setEflags(c.s, (value >>> bit) & 1 ? CF : 0, CF);
}

const BT: Handler = (c, d) => {
  const bit = bitIndex(c, d);
  setCarry(c, readOp(c, d, 0), bit);
};

const BTS: Handler = (c, d) => {
  const bit = bitIndex(c, d);
  const v = readOp(c, d, 0);
  writeOp(c, d, 0, (v | (1 << bit)) >>> 0);
  setCarry(c, v, bit);
};

const BTR: Handler = (c, d) => {
  const bit = bitIndex(c, d);
  const v = readOp(c, d, 0);
  writeOp(c, d, 0, (v & ~(1 << bit)) >>> 0);
  setCarry(c, v, bit);
};

const BTC: Handler = (c, d) => {
  const bit = bitIndex(c, d);
  const v = readOp(c, d, 0);
  writeOp(c, d, 0, (v ^ (1 << bit)) >>> 0);
  setCarry(c, v, bit);
};

// A zero source sets ZF and leaves the destination alone (as Bochs and real CPUs do); else
// ZF = 0 and, following Bochs for the undefined flags, CF = OF = AF = 0, SF and PF from the index.
const BSF: Handler = (c, d) => {
  const v = readOp(c, d, 1);
  if (v === 0) {
    setEflags(c.s, ZF, ZF);
    return;
  }
  const index = 31 - Math.clz32(v & -v);
  writeOp(c, d, 0, index);
  setStatus(c.s, szp(d.size[0]!, index) & ~ZF);
};

const BSR: Handler = (c, d) => {
  const v = readOp(c, d, 1);
  if (v === 0) {
    setEflags(c.s, ZF, ZF);
    return;
  }
  const index = 31 - Math.clz32(v);
  writeOp(c, d, 0, index);
  setStatus(c.s, szp(d.size[0]!, index) & ~ZF);
};

/** Bit handlers by exec name. */
export const bitHandlers: Record<string, Handler> = { BT, BTS, BTR, BTC, BSF, BSR };
