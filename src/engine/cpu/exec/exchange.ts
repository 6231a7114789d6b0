// Atomic read-modify-write: XADD, CMPXCHG, CMPXCHG8B (Intel SDM vol. 2, instruction reference).

import type { Handler } from '../cpu';
import { OPK_MEM } from '../decoded-instruction';
import { add, setEflags, sizeMask, sub, ZF } from '../flags';
import { readOp, writeOp } from '../operands';
import { EAX, EBX, ECX, EDX, getReg, setReg } from '../state';

// Handlers in this folder write their results before they record flags, so that a fault on
// the write leaves EFLAGS as it was (the interpreter only rolls back EIP).

// XADD r/m, r: TEMP = r/m + r; r = r/m; r/m = TEMP. Memory is written first (a fault leaves
// the register alone); with two registers the destination is written last and wins.
const XADD: Handler = (c, d) => {
  const dst = readOp(c, d, 0);
  const src = readOp(c, d, 1);
  const size = d.size[0]!;
  const sum = ((dst + src) & sizeMask(size)) >>> 0;
  if (d.kind[0] === OPK_MEM) {
    writeOp(c, d, 0, sum);
    writeOp(c, d, 1, dst);
  } else {
    writeOp(c, d, 1, dst);
    writeOp(c, d, 0, sum);
  }
  add(c.s, size, dst, src, 0);
};

// CMPXCHG r/m, r: flags of CMP accumulator, r/m. Equal: r/m = r. Not equal: the accumulator
// takes r/m, and a memory destination is written back unchanged (the bus cycle is locked).
const CMPXCHG: Handler = (c, d) => {
  const s = c.s;
  const size = d.size[0]!;
  const dst = readOp(c, d, 0);
  const acc = getReg(s, size, EAX);
  if (acc === dst) {
    writeOp(c, d, 0, readOp(c, d, 1));
  } else {
    if (d.kind[0] === OPK_MEM) writeOp(c, d, 0, dst);
    setReg(s, size, EAX, dst);
  }
  sub(s, size, acc, dst, 0);
};

// CMPXCHG8B m64: compares EDX:EAX with m64; equal: m64 = ECX:EBX, ZF = 1; else EDX:EAX = m64
// (written back), ZF = 0. No other flag changes.
const CMPXCHG8B: Handler = (c, d) => {
  const s = c.s;
  const at = c.ea + 4;
  const high = d.adSize === 16 ? at & 0xffff : at >>> 0;
  // Read as a write: the operand is written back whatever the comparison gives.
  const lo = c.readRmw(d.memSeg, c.ea, 32);
  const hi = c.readRmw(d.memSeg, high, 32);
  if (lo === s.regs[EAX] && hi === s.regs[EDX]) {
    c.write32(d.memSeg, c.ea, s.regs[EBX]!);
    c.write32(d.memSeg, high, s.regs[ECX]!);
    setEflags(s, ZF, ZF);
  } else {
    c.write32(d.memSeg, c.ea, lo);
    c.write32(d.memSeg, high, hi);
    s.regs[EAX] = lo;
    s.regs[EDX] = hi;
    setEflags(s, 0, ZF);
  }
};

/** Exchange handlers by exec name. */
export const exchangeHandlers: Record<string, Handler> = { XADD, CMPXCHG, CMPXCHG8B };
