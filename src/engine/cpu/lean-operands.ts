// Operands of the reference interpreter's lean path: ModRM and SIB decoded straight from RAM, the ALU group, near jumps (Intel SDM vol. 2A, 2.1.5).

import type { Cpu } from './cpu';
import { CpuFault, Vector } from './faults';
import { add, getCF, logic, sub } from './flags';
import { CS, DS, EBP, ESP, getReg, SS, setReg } from './state';

/** The ModRM decode in progress, in one const object: decoding allocates nothing. */
export const at = { q: 0, ea: 0, seg: DS, mem: false, rm: 0 };

// 16-bit addressing forms (SDM 2A table 2-1): base, second base/index, default segment.
const EA16_BASE = [3, 3, 5, 5, 6, 7, 5, 3];
const EA16_INDEX = [6, 7, 6, 7, -1, -1, -1, -1];
const EA16_SEG = [DS, DS, SS, SS, DS, DS, SS, DS];

export function imm16(b: Uint8Array, q: number): number {
  return b[q]! | (b[q + 1]! << 8);
}

export function imm32(b: Uint8Array, q: number): number {
  return (b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16) | (b[q + 3]! << 24)) >>> 0;
}

/** Decodes the ModRM at b[q] (and SIB, displacement) into `at`; the EA as operands.ts computes it. */
export function modrm(cpu: Cpu, b: Uint8Array, q: number, size: number): number {
  const m = b[q++]!;
  const mod = m >> 6;
  const rm = m & 7;
  at.rm = rm;
  if (mod === 3) {
    at.mem = false;
    at.q = q;
    return m;
  }
  const r = cpu.s.regs;
  at.mem = true;
  let ea: number;
  if (size === 16) {
    if (mod === 0 && rm === 6) {
      ea = imm16(b, q);
      q += 2;
      at.seg = DS;
    } else {
      const i = EA16_INDEX[rm]!;
      ea = r[EA16_BASE[rm]!]! + (i >= 0 ? r[i]! : 0);
      at.seg = EA16_SEG[rm]!;
      if (mod === 1) ea += ((b[q++]! << 24) >> 24) & 0xffff;
      else if (mod === 2) {
        ea += imm16(b, q);
        q += 2;
      }
    }
    at.ea = ea & 0xffff;
  } else {
    let base = rm;
    ea = 0;
    if (rm === 4) {
      const sib = b[q++]!;
      base = sib & 7;
      const index = (sib >> 3) & 7;
      if (index !== 4) ea = r[index]! * (1 << (sib >> 6));
    }
    if (mod === 0 && base === 5) {
      ea += imm32(b, q);
      q += 4;
      at.seg = DS;
    } else {
      ea += r[base]!;
      at.seg = base === ESP || base === EBP ? SS : DS;
      if (mod === 1) ea += ((b[q++]! << 24) >> 24) >>> 0;
      else if (mod === 2) {
        ea += imm32(b, q);
        q += 4;
      }
    }
    at.ea = ea >>> 0;
  }
  at.q = q;
  cpu.ea = at.ea;
  return m;
}

/**
 * The effective address of the dword-addressing forms [reg] and [reg+disp8] at ModRM b[q]
 * (no SIB, no disp32: the commonest), or -1 for any other, which modrm() decodes. Their
 * segment is SS for [ebp+disp8], else DS; their ModRM and displacement take 1 + mod bytes.
 */
export function simpleEa(r: Uint32Array, b: Uint8Array, q: number): number {
  const m = b[q]!;
  const mod = m >> 6;
  const rm = m & 7;
  if (rm === 4 || mod >= 2 || (mod === 0 && rm === 5)) return -1;
  return mod === 0 ? r[rm]! : (r[rm]! + ((b[q + 1]! << 24) >> 24)) >>> 0;
}

/** ALU group result (ADD OR ADC SBB AND SUB XOR CMP by `op`), truncated to `mask`. */
function aluResult(op: number, a: number, b: number, c: number, mask: number): number {
  switch (op) {
    case 0:
      return ((a + b) & mask) >>> 0;
    case 1:
      return (a | b) >>> 0;
    case 2:
      return ((a + b + c) & mask) >>> 0;
    case 3:
      return ((a - b - c) & mask) >>> 0;
    case 4:
      return (a & b) >>> 0;
    case 6:
      return (a ^ b) >>> 0;
    default:
      return ((a - b) & mask) >>> 0;
  }
}

/** Records the ALU group's flags as flags.ts does for the handler of `op`. */
function aluFlags(cpu: Cpu, op: number, size: number, a: number, b: number, c: number, r: number) {
  const s = cpu.s;
  if (op === 0 || op === 2) add(s, size, a, b, c);
  else if (op === 3 || op === 5 || op === 7) sub(s, size, a, b, c);
  else logic(s, size, r);
}

/** Runs ALU `op` on r/m (decoded in `at`) and `b`; operand 0 is the destination unless CMP. */
export function aluRm(cpu: Cpu, op: number, size: number, b: number): void {
  const s = cpu.s;
  const c = op === 2 || op === 3 ? getCF(s) : 0;
  const mask = size === 8 ? 0xff : size === 16 ? 0xffff : 0xffffffff;
  let a: number;
  if (!at.mem) a = getReg(s, size, at.rm);
  else if (op === 7) a = cpu.readMem(at.seg, at.ea, size);
  else a = cpu.readRmw(at.seg, at.ea, size);
  const r = aluResult(op, a, b, c, mask);
  if (op !== 7) {
    if (at.mem) cpu.writeMem(at.seg, at.ea, size, r);
    else setReg(s, size, at.rm, r);
  }
  aluFlags(cpu, op, size, a, b, c, r);
}

/** Reads the r/m operand decoded in `at`. */
export function readRm(cpu: Cpu, size: number): number {
  return at.mem ? cpu.readMem(at.seg, at.ea, size) : getReg(cpu.s, size, at.rm);
}

/** Sets EIP to `target` truncated to `size`, checked against the CS limit (control.ts jumpTo). */
export function jump(cpu: Cpu, size: number, target: number): void {
  const eip = size === 16 ? target & 0xffff : target >>> 0;
  if (eip > cpu.s.segLimit[CS]!) throw new CpuFault(Vector.GP, 0);
  cpu.s.eip = eip;
}

/** A lean form: runs the instruction at b[p] (CS:`start`) with operand and address size `size`. */
export type Lean = (cpu: Cpu, b: Uint8Array, p: number, start: number, size: number) => boolean;

/** EIP after an instruction of `length` bytes at `start`, wrapped to the code size. */
export function after(start: number, length: number, size: number): number {
  return size === 16 ? (start + length) & 0xffff : (start + length) >>> 0;
}
