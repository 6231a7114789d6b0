// Processor identification and instruction-raised exceptions: CPUID, RDTSC, UD2, BOUND, x87 escapes, WAIT (Intel SDM vol. 2 and 3A 2.5 "CR0.EM/TS/MP").

import { UnimplementedError } from '../../bus/errors';
import type { Handler } from '../cpu';
import { CpuFault, Vector } from '../faults';
import { readOp } from '../operands';
import { EAX, EBX, ECX, EDX } from '../state';

/** CPUID vendor string, 12 bytes in EBX, EDX, ECX order. */
export const CPUID_VENDOR = 'VmlabVmlabVm';

/** CPUID.1:EAX: family 4 (486), model 2 (486SX: no x87), stepping 0. */
export const CPUID_SIGNATURE = 0x0420;

/**
 * CPUID.1:EDX, exactly what vmlab implements: DE (bit 2, CR4.DE and DR4/DR5 #UD), PSE
 * (3, 4 MiB pages), TSC (4, RDTSC), CX8 (8, CMPXCHG8B), PGE (13, global pages), CMOV (15).
 * No FPU, VME, MSR, PAE, APIC.
 */
export const CPUID_FEATURES = (1 << 2) | (1 << 3) | (1 << 4) | (1 << 8) | (1 << 13) | (1 << 15);

const CR0_MP = 0x2;
const CR0_EM = 0x4;
const CR0_TS = 0x8;
const CR4_TSD = 0x4;

function vendorDword(offset: number): number {
  let v = 0;
  for (let i = 3; i >= 0; i--) v = (v << 8) | CPUID_VENDOR.charCodeAt(offset + i);
  return v >>> 0;
}
const VENDOR_EBX = vendorDword(0);
const VENDOR_EDX = vendorDword(4);
const VENDOR_ECX = vendorDword(8);

// Leaf 0: highest leaf (1) and the vendor; leaf 1: signature and features. Like Intel CPUs,
// a leaf above the highest returns the highest leaf's values.
const CPUID: Handler = (c) => {
  const r = c.s.regs;
  if (r[EAX] === 0) {
    r[EAX] = 1;
    r[EBX] = VENDOR_EBX;
    r[EDX] = VENDOR_EDX;
    r[ECX] = VENDOR_ECX;
  } else {
    r[EAX] = CPUID_SIGNATURE;
    r[EBX] = 0;
    r[ECX] = 0;
    r[EDX] = CPUID_FEATURES;
  }
};

// RDTSC: EDX:EAX = instructions retired, so time stamps are deterministic. CR4.TSD makes it
// privileged (#GP(0) at CPL > 0).
const RDTSC: Handler = (c) => {
  const s = c.s;
  if ((s.cr4 & CR4_TSD) !== 0 && s.cpl !== 0 && (s.cr0 & 1) !== 0) throw new CpuFault(Vector.GP, 0);
  s.regs[EAX] = s.icount >>> 0;
  s.regs[EDX] = Math.floor(s.icount / 0x100000000) >>> 0;
};

const UD2: Handler = () => {
  throw new CpuFault(Vector.UD);
};

// BOUND r, m: #BR unless lower <= r <= upper, all signed; the bounds sit at m and m + size.
const BOUND: Handler = (c, d) => {
  const size = d.opSize;
  const at = c.ea + (size >> 3);
  const lowerRaw = c.readMem(d.memSeg, c.ea, size);
  const upperRaw = c.readMem(d.memSeg, d.adSize === 16 ? at & 0xffff : at >>> 0, size);
  const shift = 32 - size;
  const index = (readOp(c, d, 0) << shift) >> shift;
  if (index < (lowerRaw << shift) >> shift || index > (upperRaw << shift) >> shift) {
    throw new CpuFault(Vector.BR);
  }
};

// D8-DF: #NM when CR0.EM or CR0.TS is set, so an OS can emulate the FPU or switch its state
// lazily. With EM clear a real CPU would run the x87 instruction, which vmlab does not have.
const ESC: Handler = (c) => {
  if ((c.s.cr0 & (CR0_EM | CR0_TS)) !== 0) throw new CpuFault(Vector.NM);
  throw new UnimplementedError('unimplemented-instruction', 'x87 FPU is not implemented');
};

// WAIT/FWAIT: #NM when CR0.TS and CR0.MP are both set; with no x87 there is never a pending
// FPU exception, so it is otherwise a no-op.
const WAIT: Handler = (c) => {
  if ((c.s.cr0 & (CR0_MP | CR0_TS)) === (CR0_MP | CR0_TS)) throw new CpuFault(Vector.NM);
};

/** Processor handlers by exec name. */
export const processorHandlers: Record<string, Handler> = {
  CPUID,
  RDTSC,
  UD2,
  BOUND,
  ESC,
  WAIT,
};
