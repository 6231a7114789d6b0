// IA-32 architectural state as one plain object (Intel SDM vol. 3A, 9.1 "Initialization overview").

/** General-purpose register numbers, in ModRM/opcode encoding order. */
export const EAX = 0;
export const ECX = 1;
export const EDX = 2;
export const EBX = 3;
export const ESP = 4;
export const EBP = 5;
export const ESI = 6;
export const EDI = 7;

/** Segment register numbers, in ModRM (Sreg) encoding order. */
export const ES = 0;
export const CS = 1;
export const SS = 2;
export const DS = 3;
export const FS = 4;
export const GS = 5;

/** Real-mode data segment access rights: present, writable, accessed (SDM 3A 3.4.5). */
export const REAL_MODE_SEG_ATTR = 0x93;

/**
 * Everything the CPU holds, as numbers and typed arrays so that capture and restore are copies.
 * Arithmetic flags are lazy: while `lazyOp` is not 0, OF/SF/ZF/AF/PF/CF come from the
 * last operation's operands (see flags.ts) and the same bits of `eflags` are stale.
 */
export interface CpuState {
  /** EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI. */
  regs: Uint32Array;
  eip: number;
  eflags: number;
  /** Lazy-flags record: operation kind (flags.ts LAZY_*), operand size in bits and operands. */
  lazyOp: number;
  lazySize: number;
  lazyDst: number;
  lazySrc: number;
  lazyRes: number;
  /** Segment selectors and their descriptor caches (base, limit, access rights). */
  seg: Uint16Array;
  segBase: Uint32Array;
  segLimit: Uint32Array;
  segAttr: Uint16Array;
  cr0: number;
  cr2: number;
  cr3: number;
  cr4: number;
  gdtrBase: number;
  gdtrLimit: number;
  idtrBase: number;
  idtrLimit: number;
  /** Current privilege level (0..3); CS.RPL after every code load, 0 in real mode. */
  cpl: number;
  /** LDTR and TR: selectors and their descriptor caches (base, limit, access rights). */
  ldtr: number;
  ldtrBase: number;
  ldtrLimit: number;
  ldtrAttr: number;
  tr: number;
  trBase: number;
  trLimit: number;
  trAttr: number;
  /** Debug registers DR0..DR7 (DR4/DR5 alias DR6/DR7 while CR4.DE is clear). */
  dr: Uint32Array;
  /** An NMI is latched and waits to be delivered. */
  nmiPending: boolean;
  /** NMIs are blocked from NMI delivery until the next IRET (SDM 3A 6.7.1). */
  nmiBlocked: boolean;
  /** Vector of the last exception delivered or being delivered, or -1 (triple-fault reports). */
  lastException: number;
  /** Set by HLT; cleared when an interrupt is delivered. */
  halted: boolean;
  /** Interrupts are inhibited until after the next instruction (STI, MOV SS, POP SS). */
  interruptShadow: boolean;
  /**
   * DR6 bits (B0-B3, BS) of a #DB that a MOV SS / POP SS held back: it is raised after the
   * next instruction instead (SDM 3A 6.8.3); 0 when none waits. Absent in older states.
   */
  debugPending: number;
  /** Instructions retired since reset. */
  icount: number;
}

/** Creates a CPU state in the power-on state of a 486 (SDM 3A table 9-1), real mode. */
export function createCpuState(): CpuState {
  const s: CpuState = {
    regs: new Uint32Array(8),
    eip: 0,
    eflags: 0,
    lazyOp: 0,
    lazySize: 8,
    lazyDst: 0,
    lazySrc: 0,
    lazyRes: 0,
    seg: new Uint16Array(6),
    segBase: new Uint32Array(6),
    segLimit: new Uint32Array(6),
    segAttr: new Uint16Array(6),
    cr0: 0,
    cr2: 0,
    cr3: 0,
    cr4: 0,
    gdtrBase: 0,
    gdtrLimit: 0,
    idtrBase: 0,
    idtrLimit: 0,
    cpl: 0,
    ldtr: 0,
    ldtrBase: 0,
    ldtrLimit: 0,
    ldtrAttr: 0,
    tr: 0,
    trBase: 0,
    trLimit: 0,
    trAttr: 0,
    dr: new Uint32Array(8),
    nmiPending: false,
    nmiBlocked: false,
    lastException: -1,
    halted: false,
    interruptShadow: false,
    debugPending: 0,
    icount: 0,
  };
  resetCpuState(s);
  return s;
}

/** Puts `s` in the power-on state: CS:IP = F000:FFF0 with CS base FFFF0000, flags 2. */
export function resetCpuState(s: CpuState): void {
  s.regs.fill(0);
  s.eip = 0xfff0;
  s.eflags = 0x2;
  s.lazyOp = 0;
  s.lazySize = 8;
  s.lazyDst = 0;
  s.lazySrc = 0;
  s.lazyRes = 0;
  for (let i = 0; i < 6; i++) {
    s.seg[i] = 0;
    s.segBase[i] = 0;
    s.segLimit[i] = 0xffff;
    s.segAttr[i] = REAL_MODE_SEG_ATTR;
  }
  s.seg[CS] = 0xf000;
  s.segBase[CS] = 0xffff0000;
  s.segAttr[CS] = 0x9b;
  s.cr0 = 0x60000010; // CD, NW, ET
  s.cr2 = 0;
  s.cr3 = 0;
  s.cr4 = 0;
  s.gdtrBase = 0;
  s.gdtrLimit = 0xffff;
  s.idtrBase = 0;
  s.idtrLimit = 0x3ff;
  s.cpl = 0;
  s.ldtr = 0;
  s.ldtrBase = 0;
  s.ldtrLimit = 0xffff;
  s.ldtrAttr = 0x82; // present LDT
  s.tr = 0;
  s.trBase = 0;
  s.trLimit = 0xffff;
  s.trAttr = 0x8b; // present busy 32-bit TSS
  s.dr.fill(0);
  s.dr[6] = 0xffff0ff0;
  s.dr[7] = 0x400;
  s.nmiPending = false;
  s.nmiBlocked = false;
  s.lastException = -1;
  s.halted = false;
  s.interruptShadow = false;
  s.debugPending = 0;
  s.icount = 0;
}

/** Copies every field of `from` into `to` (typed arrays element by element). */
export function copyCpuState(from: CpuState, to: CpuState): void {
  to.regs.set(from.regs);
  to.seg.set(from.seg);
  to.segBase.set(from.segBase);
  to.segLimit.set(from.segLimit);
  to.segAttr.set(from.segAttr);
  to.eip = from.eip;
  to.eflags = from.eflags;
  to.lazyOp = from.lazyOp;
  to.lazySize = from.lazySize;
  to.lazyDst = from.lazyDst;
  to.lazySrc = from.lazySrc;
  to.lazyRes = from.lazyRes;
  to.cr0 = from.cr0;
  to.cr2 = from.cr2;
  to.cr3 = from.cr3;
  to.cr4 = from.cr4;
  to.gdtrBase = from.gdtrBase;
  to.gdtrLimit = from.gdtrLimit;
  to.idtrBase = from.idtrBase;
  to.idtrLimit = from.idtrLimit;
  to.cpl = from.cpl;
  to.ldtr = from.ldtr;
  to.ldtrBase = from.ldtrBase;
  to.ldtrLimit = from.ldtrLimit;
  to.ldtrAttr = from.ldtrAttr;
  to.tr = from.tr;
  to.trBase = from.trBase;
  to.trLimit = from.trLimit;
  to.trAttr = from.trAttr;
  to.dr.set(from.dr);
  to.nmiPending = from.nmiPending;
  to.nmiBlocked = from.nmiBlocked;
  to.lastException = from.lastException;
  to.halted = from.halted;
  to.interruptShadow = from.interruptShadow;
  to.debugPending = from.debugPending ?? 0;
  to.icount = from.icount;
}

/** A deep copy of `s` (typed arrays copied), for snapshots. */
export function cloneCpuState(s: CpuState): CpuState {
  const c = createCpuState();
  copyCpuState(s, c);
  return c;
}

/** Reads general register `r` at `size` bits; for size 8, r = 4..7 are AH, CH, DH, BH. */
export function getReg(s: CpuState, size: number, r: number): number {
  if (size === 16) return s.regs[r]! & 0xffff;
  if (size === 8) return r < 4 ? s.regs[r]! & 0xff : (s.regs[r - 4]! >>> 8) & 0xff;
  return s.regs[r]!;
}

/** Writes general register `r` at `size` bits, leaving the other bits of the register alone. */
export function setReg(s: CpuState, size: number, r: number, value: number): void {
  if (size === 16) {
    s.regs[r] = (s.regs[r]! & 0xffff0000) | (value & 0xffff);
  } else if (size === 8) {
    if (r < 4) s.regs[r] = (s.regs[r]! & 0xffffff00) | (value & 0xff);
    else s.regs[r - 4] = (s.regs[r - 4]! & 0xffff00ff) | ((value & 0xff) << 8);
  } else {
    s.regs[r] = value;
  }
}

/** True when CR0.PE is clear. */
export function isRealMode(s: CpuState): boolean {
  return (s.cr0 & 1) === 0;
}
