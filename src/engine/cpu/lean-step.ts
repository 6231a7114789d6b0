// The reference interpreter's lean path: the most common prefix-free opcodes decoded and run straight from the fetch window (Intel SDM vol. 2A, 2.1; opcode map A.3).

import type { Cpu } from './cpu';
import { add, condition, dec, inc, logic, sub } from './flags';
import {
  after,
  aluRm,
  at,
  imm16,
  imm32,
  jump,
  type Lean,
  modrm,
  readRm,
  simpleEa,
} from './lean-operands';
import { pop, pop32, push, push32 } from './stack';
import { type CpuState, DS, ECX, getReg, SS, setReg } from './state';

// The instructions here are the handlers' (cpu/exec) in the same order of effects: operands
// read (an r/m destination that is also read as a write, Cpu.readRmw), the result written,
// then the flags recorded, so a faulting write leaves EFLAGS alone. Anything else, and any
// instruction with a prefix, goes through decoder.ts and the handlers.

/**
 * ADD OR AND SUB XOR CMP (`g` as in the opcode map, not ADC or SBB) on dwords `a` and `v`:
 * records the flags and returns the result, for a register destination (nothing can fault
 * between the two, so the order of the handlers is kept).
 */
function alu32(s: CpuState, g: number, a: number, v: number): number {
  if (g === 0) {
    add(s, 32, a, v, 0);
    return (a + v) >>> 0;
  }
  if (g === 5 || g === 7) {
    sub(s, 32, a, v, 0);
    return (a - v) >>> 0;
  }
  const res = g === 1 ? (a | v) >>> 0 : g === 4 ? (a & v) >>> 0 : (a ^ v) >>> 0;
  logic(s, 32, res);
  return res;
}

// 00-3D: ADD OR ADC SBB AND SUB XOR CMP in the forms Eb,Gb Ev,Gv Gb,Eb Gv,Ev AL,Ib eAX,Iz.
const alu: Lean = (cpu, b, p, start, size) => {
  const s = cpu.s;
  const op = b[p]!;
  const form = op & 7;
  const g = op >> 3;
  const m = b[p + 1]!;
  if (size === 32 && (form & 1) === 1 && form < 4 && g !== 2 && g !== 3) {
    const r = s.regs;
    const reg = (m >> 3) & 7;
    if (m >= 0xc0) {
      // The register-register dword forms, the commonest by far, without the generic plumbing.
      const rm = m & 7;
      s.eip = (start + 2) >>> 0;
      const res = form === 1 ? alu32(s, g, r[rm]!, r[reg]!) : alu32(s, g, r[reg]!, r[rm]!);
      if (g !== 7) r[form === 1 ? rm : reg] = res;
      return true;
    }
    if (form === 3) {
      // Gv,Ev with a memory source: the register is the destination.
      let ea = simpleEa(r, b, p + 1);
      let seg = (m & 7) === 5 ? SS : DS;
      let length = (m >> 6) + 2;
      if (ea < 0) {
        modrm(cpu, b, p + 1, 32);
        ea = at.ea;
        seg = at.seg;
        length = at.q - p;
      }
      s.eip = (start + length) >>> 0;
      const v = cpu.read32(seg, ea);
      const res = alu32(s, g, r[reg]!, v);
      if (g !== 7) r[reg] = res;
      return true;
    }
  }
  if (form < 4) {
    const wide = (form & 1) !== 0;
    const osz = wide ? size : 8;
    modrm(cpu, b, p + 1, size);
    s.eip = after(start, at.q - p, size);
    const reg = (m >> 3) & 7;
    if (form < 2) aluRm(cpu, g, osz, getReg(s, osz, reg));
    else {
      // Gb,Eb / Gv,Ev: the register is the destination, r/m the source.
      const src = readRm(cpu, osz);
      at.mem = false;
      at.rm = reg;
      aluRm(cpu, g, osz, src);
    }
    return true;
  }
  const osz = form === 4 ? 8 : size;
  const imm = osz === 8 ? b[p + 1]! : osz === 16 ? imm16(b, p + 1) : imm32(b, p + 1);
  s.eip = after(start, 1 + (osz >> 3), size);
  at.mem = false;
  at.rm = 0;
  aluRm(cpu, g, osz, imm);
  return true;
};

// 40+r INC r, 48+r DEC r.
const incDec: Lean = (cpu, b, p, start, size) => {
  const s = cpu.s;
  const op = b[p]!;
  s.eip = after(start, 1, size);
  const r = op & 7;
  if (size === 32) {
    const a = s.regs[r]!;
    if (op < 0x48) {
      s.regs[r] = a + 1;
      inc(s, 32, a);
    } else {
      s.regs[r] = a - 1;
      dec(s, 32, a);
    }
    return true;
  }
  const a = getReg(s, 16, r);
  if (op < 0x48) {
    setReg(s, 16, r, (a + 1) & 0xffff);
    inc(s, 16, a);
  } else {
    setReg(s, 16, r, (a - 1) & 0xffff);
    dec(s, 16, a);
  }
  return true;
};

// 50+r PUSH r, 58+r POP r.
const pushPop: Lean = (cpu, b, p, start, size) => {
  const s = cpu.s;
  const op = b[p]!;
  s.eip = after(start, 1, size);
  if (size === 32) {
    if (op < 0x58) push32(cpu, s.regs[op & 7]!);
    else s.regs[op & 7] = pop32(cpu);
  } else if (op < 0x58) push(cpu, size, getReg(s, size, op & 7));
  else setReg(s, size, op & 7, pop(cpu, size));
  return true;
};

// 70-7F Jcc rel8.
const jccShort: Lean = (cpu, b, p, start, size) => {
  const s = cpu.s;
  const next = after(start, 2, size);
  s.eip = next;
  if (condition(s, b[p]! & 0xf)) jump(cpu, size, next + ((b[p + 1]! << 24) >> 24));
  return true;
};

// 0F 80-8F Jcc rel16/32; any other two-byte opcode is decoded in full.
const twoByte: Lean = (cpu, b, p, start, size) => {
  const op2 = b[p + 1]!;
  if (op2 < 0x80 || op2 >= 0x90) return false;
  const s = cpu.s;
  const rel = size === 16 ? (imm16(b, p + 2) << 16) >> 16 : imm32(b, p + 2) | 0;
  const next = after(start, size === 16 ? 4 : 6, size);
  s.eip = next;
  if (condition(s, op2 & 0xf)) jump(cpu, size, next + rel);
  return true;
};

// 80 Eb,Ib / 81 Ev,Iz / 83 Ev,Ibs: the ALU group by ModRM.reg.
const group1: Lean = (cpu, b, p, start, size) => {
  const op = b[p]!;
  const m0 = b[p + 1]!;
  const g = (m0 >> 3) & 7;
  if (m0 >= 0xc0 && size === 32 && op !== 0x80 && g !== 2 && g !== 3) {
    // ALU r32, imm: the register form without the generic plumbing, as in `alu`.
    const s = cpu.s;
    const r = s.regs;
    const rm = m0 & 7;
    const a = r[rm]!;
    const v = op === 0x81 ? imm32(b, p + 2) : ((b[p + 2]! << 24) >> 24) >>> 0;
    s.eip = (start + (op === 0x81 ? 6 : 3)) >>> 0;
    const res = alu32(s, g, a, v);
    if (g !== 7) r[rm] = res;
    return true;
  }
  const m = modrm(cpu, b, p + 1, size);
  const osz = op === 0x80 ? 8 : size;
  let q = at.q;
  let imm: number;
  if (op === 0x81) {
    imm = size === 16 ? imm16(b, q) : imm32(b, q);
    q += size >> 3;
  } else {
    imm = b[q++]!;
    if (op === 0x83) imm = (((imm << 24) >> 24) & (size === 16 ? 0xffff : 0xffffffff)) >>> 0;
  }
  cpu.s.eip = after(start, q - p, size);
  aluRm(cpu, (m >> 3) & 7, osz, imm);
  return true;
};

// 84 TEST Eb,Gb / 85 TEST Ev,Gv.
const test: Lean = (cpu, b, p, start, size) => {
  const s = cpu.s;
  const osz = b[p] === 0x84 ? 8 : size;
  const m = modrm(cpu, b, p + 1, size);
  s.eip = after(start, at.q - p, size);
  const a = readRm(cpu, osz);
  logic(s, osz, a & getReg(s, osz, (m >> 3) & 7));
  return true;
};

// 88 Eb,Gb / 89 Ev,Gv / 8A Gb,Eb / 8B Gv,Ev.
const mov: Lean = (cpu, b, p, start, size) => {
  const s = cpu.s;
  const op = b[p]!;
  const m0 = b[p + 1]!;
  if (size === 32 && (op & 1) === 1) {
    const r = s.regs;
    const reg = (m0 >> 3) & 7;
    if (m0 >= 0xc0) {
      s.eip = (start + 2) >>> 0;
      if (op === 0x89) r[m0 & 7] = r[reg]!;
      else r[reg] = r[m0 & 7]!;
      return true;
    }
    let ea = simpleEa(r, b, p + 1);
    let seg = (m0 & 7) === 5 ? SS : DS;
    let length = (m0 >> 6) + 2;
    if (ea < 0) {
      modrm(cpu, b, p + 1, 32);
      ea = at.ea;
      seg = at.seg;
      length = at.q - p;
    }
    s.eip = (start + length) >>> 0;
    if (op === 0x89) cpu.write32(seg, ea, r[reg]!);
    else r[reg] = cpu.read32(seg, ea);
    return true;
  }
  const osz = (op & 1) === 0 ? 8 : size;
  const m = modrm(cpu, b, p + 1, size);
  s.eip = after(start, at.q - p, size);
  const reg = (m >> 3) & 7;
  if (op < 0x8a) {
    const v = getReg(s, osz, reg);
    if (at.mem) cpu.writeMem(at.seg, at.ea, osz, v);
    else setReg(s, osz, at.rm, v);
  } else {
    setReg(s, osz, reg, readRm(cpu, osz));
  }
  return true;
};

// 8D LEA Gv,M (a register operand is #UD: decoded in full).
const lea: Lean = (cpu, b, p, start, size) => {
  if (b[p + 1]! >> 6 === 3) return false;
  const m = modrm(cpu, b, p + 1, size);
  cpu.s.eip = after(start, at.q - p, size);
  setReg(cpu.s, size, (m >> 3) & 7, at.ea);
  return true;
};

// C7 /0 MOV Ev,Iz.
const movEvIz: Lean = (cpu, b, p, start, size) => {
  if (((b[p + 1]! >> 3) & 7) !== 0) return false;
  modrm(cpu, b, p + 1, size);
  const q = at.q;
  const imm = size === 16 ? imm16(b, q) : imm32(b, q);
  cpu.s.eip = after(start, q + (size >> 3) - p, size);
  if (at.mem) cpu.writeMem(at.seg, at.ea, size, imm);
  else setReg(cpu.s, size, at.rm, imm);
  return true;
};

// B0+r MOV r8,imm8 / B8+r MOV r,imm.
const movImm: Lean = (cpu, b, p, start, size) => {
  const op = b[p]!;
  const osz = op < 0xb8 ? 8 : size;
  const imm = osz === 8 ? b[p + 1]! : osz === 16 ? imm16(b, p + 1) : imm32(b, p + 1);
  cpu.s.eip = after(start, 1 + (osz >> 3), size);
  setReg(cpu.s, osz, op & 7, imm);
  return true;
};

// C3 RET.
const ret: Lean = (cpu, _b, _p, start, size) => {
  cpu.s.eip = after(start, 1, size);
  jump(cpu, size, size === 32 ? pop32(cpu) : pop(cpu, size));
  return true;
};

// E8 CALL rel / E9 JMP rel.
const callJmp: Lean = (cpu, b, p, start, size) => {
  const rel = size === 16 ? (imm16(b, p + 1) << 16) >> 16 : imm32(b, p + 1) | 0;
  const next = after(start, size === 16 ? 3 : 5, size);
  cpu.s.eip = next;
  if (b[p] === 0xe8) {
    if (size === 32) push32(cpu, next);
    else push(cpu, size, next);
  }
  jump(cpu, size, next + rel);
  return true;
};

// EB JMP rel8.
const jmpShort: Lean = (cpu, b, p, start, size) => {
  const next = after(start, 2, size);
  cpu.s.eip = next;
  jump(cpu, size, next + ((b[p + 1]! << 24) >> 24));
  return true;
};

// E2 LOOP rel8: (E)CX decremented, flags untouched.
const loop: Lean = (cpu, b, p, start, size) => {
  const next = after(start, 2, size);
  const r = cpu.s.regs;
  cpu.s.eip = next;
  let count: number;
  if (size === 16) {
    count = (r[ECX]! - 1) & 0xffff;
    r[ECX] = (r[ECX]! & 0xffff0000) | count;
  } else {
    r[ECX] = r[ECX]! - 1;
    count = r[ECX]!;
  }
  if (count !== 0) jump(cpu, size, next + ((b[p + 1]! << 24) >> 24));
  return true;
};

/** The lean form of each first byte, or null to decode in full (prefixes included). */
export const LEAN: (Lean | null)[] = new Array(256).fill(null);
for (let op = 0; op < 0x40; op++) if ((op & 7) < 6) LEAN[op] = alu;
for (let op = 0x40; op < 0x50; op++) LEAN[op] = incDec;
for (let op = 0x50; op < 0x60; op++) LEAN[op] = pushPop;
for (let op = 0x70; op < 0x80; op++) LEAN[op] = jccShort;
for (let op = 0xb0; op < 0xc0; op++) LEAN[op] = movImm;
LEAN[0x0f] = twoByte;
LEAN[0x80] = group1;
LEAN[0x81] = group1;
LEAN[0x83] = group1;
LEAN[0x84] = test;
LEAN[0x85] = test;
for (let op = 0x88; op < 0x8c; op++) LEAN[op] = mov;
LEAN[0x8d] = lea;
LEAN[0xc7] = movEvIz;
LEAN[0xc3] = ret;
LEAN[0xe8] = callJmp;
LEAN[0xe9] = callJmp;
LEAN[0xeb] = jmpShort;
LEAN[0xe2] = loop;

/**
 * Runs the instruction at b[p] (CS:`start`, at least 15 bytes readable) when it is one of the
 * lean forms, with operand and address size `size`; returns false, having changed nothing,
 * for any other, which the caller then decodes in full.
 */
export function leanStep(cpu: Cpu, b: Uint8Array, p: number, start: number, size: number): boolean {
  const f = LEAN[b[p]!]!;
  return f?.(cpu, b, p, start, size) ?? false;
}
