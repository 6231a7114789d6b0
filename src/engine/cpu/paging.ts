// 32-bit two-level page walk, 4 KiB and 4 MiB pages (Intel SDM vol. 3A, 4.3 "32-bit paging" and 4.7 "Page-fault exceptions").

import type { Cpu } from './cpu';
import { CpuFault, Vector } from './faults';
import { TLB_GLOBAL, TLB_READ_SUP, TLB_READ_USER, TLB_WRITE_SUP, TLB_WRITE_USER } from './tlb';

/** Access kinds passed to the walker, also the low bits of the #PF error code. */
export const ACCESS_WRITE = 0x2; // error code W/R
export const ACCESS_USER = 0x4; // error code U/S
export const ACCESS_FETCH = 0x10; // instruction fetch (not reported in the error code without NX)

/** Page-table entry bits (SDM 3A table 4-5 and 4-6). */
export const PTE_P = 0x1;
export const PTE_RW = 0x2;
export const PTE_US = 0x4;
export const PTE_A = 0x20;
export const PTE_D = 0x40;
export const PTE_PS = 0x80;
export const PTE_G = 0x100;

const PF_PRESENT = 0x1; // the fault was a protection violation, not a missing page
const PF_RSVD = 0x8;
const PSE_RESERVED = 0x003fe000; // bits 21:13 of a 4 MiB PDE (no PSE-36)

const CR0_WP = 1 << 16;
const CR4_PSE = 0x10;
const CR4_PGE = 0x80;

/**
 * Where the walker reads and writes paging-structure entries. The first stage reads guest
 * physical memory directly; nested paging (EPT / NPT) plugs in here by wrapping this with a
 * guest-physical -> host-physical translation, and by mapping the final frame the same way
 * in `walk` before it fills the TLB (see `Cpu.pageTables` and `Cpu.finalFrame`).
 */
export interface PageTableAccess {
  read32(physical: number): number;
  write32(physical: number, value: number): void;
}

function pageFault(cpu: Cpu, linear: number, code: number): CpuFault {
  cpu.s.cr2 = linear >>> 0;
  return new CpuFault(Vector.PF, code);
}

/**
 * Translates `linear` for `access` (ACCESS_* bits), setting accessed and dirty bits as the
 * hardware does, and caches the translation in the TLB. Returns the physical address, or
 * throws #PF with CR2 set. Protection is checked before any A/D bit is written.
 */
export function walk(cpu: Cpu, linear: number, access: number): number {
  const s = cpu.s;
  const pt = cpu.pageTables;
  const write = (access & ACCESS_WRITE) !== 0;
  const user = (access & ACCESS_USER) !== 0;
  const code = access & (ACCESS_WRITE | ACCESS_USER);
  const pdeAddr = ((s.cr3 & 0xfffff000) + ((linear >>> 22) << 2)) >>> 0;
  const pde = pt.read32(pdeAddr);
  if ((pde & PTE_P) === 0) throw pageFault(cpu, linear, code);
  const wp = (s.cr0 & CR0_WP) !== 0;
  let frame: number;
  let rights: number; // PTE_RW | PTE_US combined over the levels
  let leaf: number;
  let leafAddr: number;
  const large = (pde & PTE_PS) !== 0 && (s.cr4 & CR4_PSE) !== 0;
  if (large) {
    if ((pde & PSE_RESERVED) !== 0) throw pageFault(cpu, linear, code | PF_PRESENT | PF_RSVD);
    rights = pde & (PTE_RW | PTE_US);
    leaf = pde;
    leafAddr = pdeAddr;
    frame = ((pde & 0xffc00000) | (linear & 0x003ff000)) >>> 0;
  } else {
    const pteAddr = ((pde & 0xfffff000) + (((linear >>> 12) & 0x3ff) << 2)) >>> 0;
    const pte = pt.read32(pteAddr);
    if ((pte & PTE_P) === 0) throw pageFault(cpu, linear, code);
    rights = pde & pte & (PTE_RW | PTE_US);
    leaf = pte;
    leafAddr = pteAddr;
    frame = (pte & 0xfffff000) >>> 0;
  }
  if (user && (rights & PTE_US) === 0) throw pageFault(cpu, linear, code | PF_PRESENT);
  if (write && (rights & PTE_RW) === 0 && (user || wp)) {
    throw pageFault(cpu, linear, code | PF_PRESENT);
  }
  if (!large && (pde & PTE_A) === 0) pt.write32(pdeAddr, (pde | PTE_A) >>> 0);
  const newLeaf = leaf | PTE_A | (write ? PTE_D : 0);
  if (newLeaf !== leaf) pt.write32(leafAddr, newLeaf >>> 0);
  frame = cpu.finalFrame(frame);
  let bits = TLB_READ_SUP;
  if ((rights & PTE_US) !== 0) bits |= TLB_READ_USER;
  if ((newLeaf & PTE_D) !== 0) {
    if ((rights & PTE_RW) !== 0 || !wp) bits |= TLB_WRITE_SUP;
    if ((rights & (PTE_RW | PTE_US)) === (PTE_RW | PTE_US)) bits |= TLB_WRITE_USER;
  }
  if ((leaf & PTE_G) !== 0 && (s.cr4 & CR4_PGE) !== 0) bits |= TLB_GLOBAL;
  cpu.tlb.set(linear >>> 12, frame | bits);
  return (frame | (linear & 0xfff)) >>> 0;
}
