// Segment register loads (Intel SDM vol. 3A, 3.4.3 and 20.1.1 "Address translation in real-address mode").

import { UnimplementedError } from '../bus/errors';
import type { Cpu } from './cpu';
import { SS } from './state';

/**
 * Loads segment register `seg` with `selector`. In real mode the base becomes selector * 16
 * and the cached limit and rights stay as they are (which is what makes "unreal mode" work).
 */
export function loadSegment(cpu: Cpu, seg: number, selector: number): void {
  const s = cpu.s;
  if ((s.cr0 & 1) !== 0) {
    throw new UnimplementedError(
      'unimplemented-instruction',
      'protected-mode segment loads are not implemented yet',
    );
  }
  s.seg[seg] = selector & 0xffff;
  s.segBase[seg] = (selector & 0xffff) << 4;
  // A load of SS inhibits interrupts until after the next instruction (SDM 3A 6.8.3).
  if (seg === SS) s.interruptShadow = true;
}

/** Loads CS:EIP for a far transfer in real mode. */
export function loadCodeSegment(cpu: Cpu, selector: number, eip: number): void {
  const s = cpu.s;
  if ((s.cr0 & 1) !== 0) {
    throw new UnimplementedError(
      'unimplemented-instruction',
      'protected-mode far transfers are not implemented yet',
    );
  }
  s.seg[1] = selector & 0xffff;
  s.segBase[1] = (selector & 0xffff) << 4;
  s.eip = eip;
}
