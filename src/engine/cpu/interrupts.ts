// The one routing point for exceptions and interrupts; real-mode delivery through the IVT (SDM 3A 20.1.4).

import { EngineError, UnimplementedError } from '../bus/errors';
import type { Cpu } from './cpu';
import { CpuFault, Vector, vectorName } from './faults';
import { AC, getEflags, IF, RF, setEflags, TF } from './flags';
import { loadCodeSegment } from './segmentation';
import { push } from './stack';
import { CS } from './state';

/** What raised an event: it decides the return address and, later, privilege checks. */
export const EVENT_EXCEPTION = 0;
export const EVENT_SOFTWARE = 1;
export const EVENT_EXTERNAL = 2;

/**
 * Delivers interrupt or exception `vector`, returning to `returnEip` (real mode pushes no
 * error code; protected mode will take it from the CpuFault). Every event leaves the
 * CPU here: today through the real-mode IVT; later through the IDT, a host monitor callback or
 * a VM exit, chosen by CPU configuration. A fault during delivery becomes #DF, and a fault
 * while delivering #DF is a triple fault, reported as an EngineError.
 */
export function deliverEvent(cpu: Cpu, vector: number, type: number, returnEip: number): void {
  try {
    deliverReal(cpu, vector, returnEip);
  } catch (e) {
    if (!(e instanceof CpuFault) || type !== EVENT_EXCEPTION) throw e;
    if (vector === Vector.DF) {
      throw new EngineError(
        'triple-fault',
        `triple fault (${vectorName(e.vector)} while delivering #DF)`,
      );
    }
    deliverEvent(cpu, Vector.DF, EVENT_EXCEPTION, returnEip);
  }
}

function deliverReal(cpu: Cpu, vector: number, returnEip: number): void {
  const s = cpu.s;
  if ((s.cr0 & 1) !== 0) {
    throw new UnimplementedError(
      'unimplemented-instruction',
      `protected-mode delivery of ${vectorName(vector)} is not implemented yet`,
    );
  }
  const entry = vector * 4;
  if (entry + 3 > s.idtrLimit) throw new CpuFault(Vector.GP, entry + 2);
  const offset = cpu.mem.read16((s.idtrBase + entry) >>> 0);
  const selector = cpu.mem.read16((s.idtrBase + entry + 2) >>> 0);
  push(cpu, 16, getEflags(s));
  push(cpu, 16, s.seg[CS]!);
  push(cpu, 16, returnEip);
  setEflags(s, 0, IF | TF | AC | RF);
  loadCodeSegment(cpu, selector, offset);
  s.halted = false;
}
