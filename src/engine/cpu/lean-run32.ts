// The reference interpreter's quiet run in 32-bit code: the commonest prefix-free forms decoded and run in one loop, with EIP, icount and the lazy flags in locals (DESIGN.md 2.1; Intel SDM vol. 2A, 2.1).

import type { Cpu } from './cpu';
import { CpuFault, Vector } from './faults';
import {
  CF,
  cfOf,
  conditionOf,
  LAZY_ADD,
  LAZY_DEC,
  LAZY_INC,
  LAZY_LOGIC,
  LAZY_NONE,
  LAZY_SUB,
} from './flags';
import { load32, loadRmw32, store32, storeFlags } from './lean-access';
import { at, modrm } from './lean-operands';
import { LEAN } from './lean-step';
import { CS, DS, ECX, ESP, SS } from './state';

// Each form keeps the handlers' order of effects (cpu/exec): operands read, result written,
// then registers, flags and EIP, so that a fault leaves what the handler would leave. Forms not
// written out here run through the lean table (lean-step.ts) with the locals stored first.
// V8 inlines little into a function this size, so the hot paths (ModRM, RAM) are written out.

const CR0_PG = 0x80000000;
const CR0_AM = 0x40000;
const PAGE_MASK = 0xfffff000;
const WINDOW = 4096 - 15; // last page offset whose 15-byte fetch window stays in the page

// The forms written out, by first byte; the first four have a ModRM, decoded before the
// switch (memory operands with the code's address size, 32). 0: through the lean table.
const F_ALU = 1; // ADD OR AND SUB XOR CMP Ev,Gv and Gv,Ev; 81 and 83
const F_TEST = 2;
const F_MOV = 3;
const F_LEA = 4;
const F_ALU_EAX = 5;
const F_INC_DEC = 6;
const F_PUSH = 7; // and CALL
const F_POP = 8; // and RET
const F_JCC = 9;
const F_MOV_IMM = 10;
const F_JMP = 11;
const F_LOOP = 12;
const FORMS = new Uint8Array(256);
for (let g = 0; g < 8; g++) {
  if (g === 2 || g === 3) continue; // ADC, SBB
  FORMS[g * 8 + 1] = F_ALU;
  FORMS[g * 8 + 3] = F_ALU;
  FORMS[g * 8 + 5] = F_ALU_EAX;
}
FORMS[0x81] = F_ALU;
FORMS[0x83] = F_ALU;
FORMS[0x85] = F_TEST;
FORMS[0x89] = F_MOV;
FORMS[0x8b] = F_MOV;
FORMS[0x8d] = F_LEA;
for (let r = 0; r < 8; r++) {
  FORMS[0x40 + r] = F_INC_DEC;
  FORMS[0x48 + r] = F_INC_DEC;
  FORMS[0x50 + r] = F_PUSH;
  FORMS[0x58 + r] = F_POP;
  FORMS[0xb8 + r] = F_MOV_IMM;
}
FORMS[0xe8] = F_PUSH;
FORMS[0xc3] = F_POP;
FORMS[0x0f] = F_JCC;
for (let op = 0x70; op < 0x80; op++) FORMS[op] = F_JCC;
FORMS[0xe9] = F_JMP;
FORMS[0xeb] = F_JMP;
FORMS[0xe2] = F_LOOP;

/**
 * runLean (lean-run.ts) for a 32-bit code segment: up to `limit` instructions from a quiet
 * boundary, as many step() calls would run them. The code page's frame is looked up once per
 * page entered; every instruction is decoded afresh from RAM, nothing is cached. Aligned dword
 * data in RAM is read and written here when ramAddress (ram-access.ts) would allow it.
 */
export function runLean32(
  cpu: Cpu,
  limit: number,
  single: (cpu: Cpu) => boolean,
  settle: (cpu: Cpu, e: unknown, start: number) => false,
): number {
  const s = cpu.s;
  const mem = cpu.mem;
  const b = mem.bytes;
  const ram = cpu.ram32;
  const r = cpu.regs32;
  // Lean forms change neither segments, CPL, CR0, paging nor DR7 (quiet() holds throughout).
  const csBase = s.segBase[CS]!;
  const csLimit = s.segLimit[CS]!;
  const paging = (s.cr0 & CR0_PG) !== 0;
  const user = s.cpl === 3;
  const fetchBit = user ? 4 : 1; // TLB_READ_USER or TLB_READ_SUP (tlb.ts)
  const readBit = user ? 4 : 1;
  const writeBit = user ? 8 : 2; // TLB_WRITE_USER or TLB_WRITE_SUP
  const tlb = cpu.tlb.entries;
  const codeFrames = mem.codeFrames;
  const ramEnd = mem.size - 3; // a dword at p lies in RAM when p < ramEnd
  // Highest offset of an inline dword access per segment and kind, -1 when its type check
  // fails (ram-access.ts) or an alignment check may apply (CR0.AM): such go the full way.
  const am = (s.cr0 & CR0_AM) !== 0;
  const dsAttr = s.segAttr[DS]!;
  const ssAttr = s.segAttr[SS]!;
  const dsBase = s.segBase[DS]!;
  const ssBase = s.segBase[SS]!;
  const dsRd = !am && (dsAttr & 0x9c) === 0x90 ? s.segLimit[DS]! - 3 : -1;
  const dsWr = !am && (dsAttr & 0x9e) === 0x92 ? s.segLimit[DS]! - 3 : -1;
  const ssRd = !am && (ssAttr & 0x9c) === 0x90 ? s.segLimit[SS]! - 3 : -1;
  const ssWr = !am && (ssAttr & 0x9e) === 0x92 ? s.segLimit[SS]! - 3 : -1;
  const stack32 = (ssAttr & 0x4000) !== 0;
  const mmio = mem.mmioAccesses;
  const icount0 = s.icount;
  let lop = s.lazyOp;
  let lsz = s.lazySize;
  let ldst = s.lazyDst | 0;
  let lsrc = s.lazySrc | 0;
  let lres = s.lazyRes | 0;
  let fl = s.eflags;
  let eip = s.eip | 0; // int32, as EIP >>> 0
  let start = eip;
  // The code window: EIPs lo..lo+span lie in one page at `frame`, 15 bytes readable each.
  let lo = 0;
  let span = -1;
  let frame = 0;
  let n = 0;
  let far = false; // the instruction went off the inline RAM path
  const count = limit < 0x40000000 ? limit | 0 : 0x40000000;
  try {
    while (n < count) {
      start = eip;
      let k = (eip - lo) | 0;
      if (k > span || k < 0) {
        const lin = (csBase + eip) >>> 0;
        if (paging) {
          const e = tlb[lin >>> 12]!;
          if ((e & fetchBit) === 0) break;
          frame = (e & PAGE_MASK) >>> 0;
        } else frame = (lin & PAGE_MASK) >>> 0;
        k = lin & 0xfff;
        const u = eip >>> 0;
        if (k > WINDOW || u < k || u + 14 > csLimit || frame + 4096 > b.length) break;
        lo = (eip - k) | 0;
        span = Math.min(WINDOW, csLimit - 14 - (lo >>> 0)) | 0;
      }
      const p = frame + k;
      const op = b[p]!;
      // ModRM: register operand (m >= C0h), else the effective address `ea` in `seg`, and `q`
      // the offset of what follows the ModRM, SIB and displacement.
      let m = 0;
      let ea = 0;
      let seg = DS;
      let q = p + 2;
      const form = FORMS[op]!;
      if (form !== 0 && form <= F_LEA) {
        m = b[p + 1]!;
        if (m < 0xc0) {
          const rm = m & 7;
          const mod = m >> 6;
          if (rm === 4 || (mod === 0 && rm === 5)) {
            modrm(cpu, b, p + 1, 32);
            ea = at.ea;
            seg = at.seg;
            q = at.q;
          } else {
            if (rm === 5) seg = SS;
            if (mod === 0) ea = r[rm]! >>> 0;
            else if (mod === 1) {
              ea = (r[rm]! + ((b[p + 2]! << 24) >> 24)) >>> 0;
              q = p + 3;
            } else {
              const d = b[p + 2]! | (b[p + 3]! << 8) | (b[p + 4]! << 16) | (b[p + 5]! << 24);
              ea = (r[rm]! + d) >>> 0;
              q = p + 6;
            }
          }
        }
      }
      let slow = false;
      switch (form) {
        // ADD OR AND SUB XOR CMP: Ev,Gv and Gv,Ev, and 81 Ev,Iz / 83 Ev,Ibs by ModRM.reg
        // (ADC and SBB go to the lean table).
        case F_ALU: {
          const group = op >= 0x80;
          const g = group ? (m >> 3) & 7 : op >> 3;
          if (g === 2 || g === 3) {
            slow = true;
            break;
          }
          const reg = (m >> 3) & 7;
          // `toReg`: Gv,Ev, the register is the destination and r/m the source.
          const toReg = !group && (op & 2) !== 0;
          let v: number;
          let next = q;
          if (!group) v = r[reg]!;
          else if (op === 0x81) {
            v = b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16) | (b[q + 3]! << 24);
            next = q + 4;
          } else {
            v = (b[q]! << 24) >> 24;
            next = q + 1;
          }
          let a: number;
          let res: number;
          if (m >= 0xc0) {
            const rm = m & 7;
            if (toReg) {
              a = v;
              v = r[rm]!;
            } else a = r[rm]!;
            res =
              g === 0
                ? (a + v) | 0
                : g === 1
                  ? a | v
                  : g === 4
                    ? a & v
                    : g === 6
                      ? a ^ v
                      : (a - v) | 0;
            if (g !== 7) r[toReg ? reg : rm] = res;
            eip = (eip + (next - p)) | 0;
          } else {
            const ss = seg === SS;
            const write = !toReg && g !== 7;
            const lim = write ? (ss ? ssWr : dsWr) : ss ? ssRd : dsRd;
            const lin = ((ss ? ssBase : dsBase) + ea) >>> 0;
            let pa = -1;
            if (ea <= lim && (lin & 3) === 0) {
              if (!paging) pa = lin;
              else {
                const e = tlb[lin >>> 12]!;
                if ((e & (write ? writeBit : readBit)) !== 0)
                  pa = ((e & PAGE_MASK) | (lin & 0xfff)) >>> 0;
              }
            }
            if (pa >= 0 && (pa >= ramEnd || (write && codeFrames[pa >>> 12] !== 0))) pa = -1;
            let mv: number;
            if (pa >= 0) mv = ram[pa >>> 2]!;
            else {
              far = true;
              mv = write ? loadRmw32(cpu, seg, ea, icount0 + n) : load32(cpu, seg, ea, icount0 + n);
            }
            if (toReg) {
              a = v;
              v = mv;
            } else a = mv;
            res =
              g === 0
                ? (a + v) | 0
                : g === 1
                  ? a | v
                  : g === 4
                    ? a & v
                    : g === 6
                      ? a ^ v
                      : (a - v) | 0;
            if (toReg) {
              if (g !== 7) r[reg] = res;
            } else if (write) {
              if (pa >= 0) ram[pa >>> 2] = res;
              else store32(cpu, seg, ea, res, icount0 + n);
            }
            eip = (eip + (next - p)) | 0;
          }
          lop = g === 0 ? LAZY_ADD : g === 5 || g === 7 ? LAZY_SUB : LAZY_LOGIC;
          lsz = 32;
          ldst = lop === LAZY_LOGIC ? 0 : a;
          lsrc = lop === LAZY_LOGIC ? 0 : v;
          lres = res;
          break;
        }
        // ADD OR AND SUB XOR CMP eAX,Iz.
        case F_ALU_EAX: {
          const g = op >> 3;
          const a = r[0]!;
          const v = b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16) | (b[p + 4]! << 24);
          const res =
            g === 0
              ? (a + v) | 0
              : g === 1
                ? a | v
                : g === 4
                  ? a & v
                  : g === 6
                    ? a ^ v
                    : (a - v) | 0;
          if (g !== 7) r[0] = res;
          eip = (eip + 5) | 0;
          lop = g === 0 ? LAZY_ADD : g === 5 || g === 7 ? LAZY_SUB : LAZY_LOGIC;
          lsz = 32;
          ldst = lop === LAZY_LOGIC ? 0 : a;
          lsrc = lop === LAZY_LOGIC ? 0 : v;
          lres = res;
          break;
        }
        // 40+r INC r32, 48+r DEC r32: CF kept, folded into EFLAGS first.
        case F_INC_DEC: {
          const a = r[op & 7]!;
          if (lop === LAZY_SUB) {
            fl = (fl & ~CF) | ((((~ldst & lsrc) | ((~ldst | lsrc) & lres)) >>> (lsz - 1)) & 1);
          } else if (lop === LAZY_ADD || lop === LAZY_LOGIC) {
            fl = (fl & ~CF) | cfOf(lop, lsz, ldst, lsrc, lres, fl);
          }
          const res = op < 0x48 ? (a + 1) | 0 : (a - 1) | 0;
          r[op & 7] = res;
          eip = (eip + 1) | 0;
          lop = op < 0x48 ? LAZY_INC : LAZY_DEC;
          lsz = 32;
          ldst = a;
          lsrc = 1;
          lres = res;
          break;
        }
        // 50+r PUSH r32 (the value read first: PUSH ESP pushes the old ESP), and E8 CALL rel32
        // (the return address pushed, then the target's limit check, as in the handler).
        case F_PUSH: {
          if (!stack32) {
            slow = true;
            break;
          }
          const call = op === 0xe8;
          const next = (eip + (call ? 5 : 1)) | 0;
          const v = call ? next : r[op & 7]!;
          const sp = (r[ESP]! - 4) >>> 0;
          const lin = (ssBase + sp) >>> 0;
          let pa = -1;
          if (sp <= ssWr && (lin & 3) === 0) {
            if (!paging) pa = lin;
            else {
              const e = tlb[lin >>> 12]!;
              if ((e & writeBit) !== 0) pa = ((e & PAGE_MASK) | (lin & 0xfff)) >>> 0;
            }
          }
          if (pa >= 0 && (pa >= ramEnd || codeFrames[pa >>> 12] !== 0)) pa = -1;
          if (pa >= 0) ram[pa >>> 2] = v;
          else {
            far = true;
            store32(cpu, SS, sp, v, icount0 + n);
          }
          r[ESP] = sp;
          if (call) {
            const rel = b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16) | (b[p + 4]! << 24);
            const t = (next + rel) | 0;
            if (t >>> 0 > csLimit) throw new CpuFault(Vector.GP, 0);
            eip = t;
          } else eip = next;
          break;
        }
        // 58+r POP r32 (ESP moves before the register is written: POP ESP keeps the value),
        // and C3 RET (ESP moves before the target's limit check, as in the handler).
        case F_POP: {
          if (!stack32) {
            slow = true;
            break;
          }
          const sp = r[ESP]! >>> 0;
          const lin = (ssBase + sp) >>> 0;
          let pa = -1;
          if (sp <= ssRd && (lin & 3) === 0) {
            if (!paging) pa = lin;
            else {
              const e = tlb[lin >>> 12]!;
              if ((e & readBit) !== 0) pa = ((e & PAGE_MASK) | (lin & 0xfff)) >>> 0;
            }
          }
          if (pa >= ramEnd) pa = -1;
          let v: number;
          if (pa >= 0) v = ram[pa >>> 2]!;
          else {
            far = true;
            v = load32(cpu, SS, sp, icount0 + n);
          }
          r[ESP] = (sp + 4) | 0;
          if (op === 0xc3) {
            if (v >>> 0 > csLimit) throw new CpuFault(Vector.GP, 0);
            eip = v;
          } else {
            r[op & 7] = v;
            eip = (eip + 1) | 0;
          }
          break;
        }
        // 70-7F Jcc rel8 and 0F 80-8F Jcc rel32 (other two-byte opcodes: the lean table). ZF
        // and CF after SUB or CMP, the commonest, are computed here.
        case F_JCC: {
          const two = op === 0x0f;
          const op2 = b[p + 1]!;
          if (two && (op2 < 0x80 || op2 >= 0x90)) {
            slow = true;
            break;
          }
          const cc = (two ? op2 : op) & 0xf;
          const next = (eip + (two ? 6 : 2)) | 0;
          let taken: boolean;
          if (cc >> 1 === 2 && lop !== LAZY_NONE) taken = lres === 0;
          else if (cc >> 1 === 1 && lop === LAZY_SUB) {
            taken = ((((~ldst & lsrc) | ((~ldst | lsrc) & lres)) >>> (lsz - 1)) & 1) !== 0;
          } else taken = conditionOf(cc & 0xe, lop, lsz, ldst, lsrc, lres, fl);
          if (taken !== ((cc & 1) === 1)) {
            const rel = two
              ? b[p + 2]! | (b[p + 3]! << 8) | (b[p + 4]! << 16) | (b[p + 5]! << 24)
              : (op2 << 24) >> 24;
            const t = (next + rel) | 0;
            if (t >>> 0 > csLimit) throw new CpuFault(Vector.GP, 0);
            eip = t;
          } else eip = next;
          break;
        }
        // 85 TEST Ev,Gv.
        case F_TEST: {
          far = m < 0xc0;
          const a = m >= 0xc0 ? r[m & 7]! : load32(cpu, seg, ea, icount0 + n);
          eip = (eip + (q - p)) | 0;
          lop = LAZY_LOGIC;
          lsz = 32;
          ldst = 0;
          lsrc = 0;
          lres = a & r[(m >> 3) & 7]!;
          break;
        }
        // 89 MOV Ev,Gv / 8B MOV Gv,Ev.
        case F_MOV: {
          const reg = (m >> 3) & 7;
          if (m >= 0xc0) {
            if (op === 0x89) r[m & 7] = r[reg]!;
            else r[reg] = r[m & 7]!;
          } else {
            const ss = seg === SS;
            const write = op === 0x89;
            const lim = write ? (ss ? ssWr : dsWr) : ss ? ssRd : dsRd;
            const lin = ((ss ? ssBase : dsBase) + ea) >>> 0;
            let pa = -1;
            if (ea <= lim && (lin & 3) === 0) {
              if (!paging) pa = lin;
              else {
                const e = tlb[lin >>> 12]!;
                if ((e & (write ? writeBit : readBit)) !== 0)
                  pa = ((e & PAGE_MASK) | (lin & 0xfff)) >>> 0;
              }
            }
            if (pa >= 0 && (pa >= ramEnd || (write && codeFrames[pa >>> 12] !== 0))) pa = -1;
            far = pa < 0;
            if (write) {
              if (pa >= 0) ram[pa >>> 2] = r[reg]!;
              else store32(cpu, seg, ea, r[reg]!, icount0 + n);
            } else r[reg] = pa >= 0 ? ram[pa >>> 2]! : load32(cpu, seg, ea, icount0 + n);
          }
          eip = (eip + (q - p)) | 0;
          break;
        }
        // 8D LEA Gv,M (a register operand is #UD: decoded in full).
        case F_LEA:
          if (m >= 0xc0) {
            slow = true;
            break;
          }
          r[(m >> 3) & 7] = ea;
          eip = (eip + (q - p)) | 0;
          break;
        // B8+r MOV r32,imm32.
        case F_MOV_IMM:
          r[op & 7] = b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16) | (b[p + 4]! << 24);
          eip = (eip + 5) | 0;
          break;
        // E9 JMP rel32 / EB JMP rel8.
        case F_JMP: {
          const wide = op === 0xe9;
          const next = (eip + (wide ? 5 : 2)) | 0;
          const rel = wide
            ? b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16) | (b[p + 4]! << 24)
            : (b[p + 1]! << 24) >> 24;
          const t = (next + rel) | 0;
          if (t >>> 0 > csLimit) throw new CpuFault(Vector.GP, 0);
          eip = t;
          break;
        }
        // E2 LOOP rel8: ECX decremented, flags untouched.
        case F_LOOP: {
          const count = (r[ECX]! - 1) | 0;
          r[ECX] = count;
          const next = (eip + 2) | 0;
          if (count !== 0) {
            const t = (next + ((b[p + 1]! << 24) >> 24)) | 0;
            if (t >>> 0 > csLimit) throw new CpuFault(Vector.GP, 0);
            eip = t;
          } else eip = next;
          break;
        }
        default:
          slow = true;
      }
      if (slow) {
        // Through the lean table, on the state object: the locals stored, then reloaded.
        const form = LEAN[op];
        if (!form) break;
        far = true;
        storeFlags(s, lop, lsz, ldst, lsrc, lres, fl);
        s.eip = eip >>> 0;
        s.icount = icount0 + n;
        if (!form(cpu, b, p, eip >>> 0, 32)) break;
        eip = s.eip | 0;
        lop = s.lazyOp;
        lsz = s.lazySize;
        ldst = s.lazyDst | 0;
        lsrc = s.lazySrc | 0;
        lres = s.lazyRes | 0;
        fl = s.eflags;
      }
      n++;
      if (far) {
        // An access off the inline path may have reached a device: the run ends after it.
        far = false;
        if (mem.mmioAccesses !== mmio) break;
      }
    }
  } catch (e) {
    // A fault (or engine error): settled from the state step() would settle it from.
    storeFlags(s, lop, lsz, ldst, lsrc, lres, fl);
    s.icount = icount0 + n;
    cpu.instructionStart = start >>> 0;
    settle(cpu, e, start >>> 0);
    return n + 1;
  }
  storeFlags(s, lop, lsz, ldst, lsrc, lres, fl);
  s.eip = eip >>> 0;
  s.icount = icount0 + n;
  // Stopped before an instruction it does not run (not at the limit, nor after an MMIO
  // access): step() runs it.
  if (n < count && mem.mmioAccesses === mmio) {
    single(cpu);
    n++;
  }
  return n;
}
