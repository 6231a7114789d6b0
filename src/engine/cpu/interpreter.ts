// The reference interpreter: decode and execute one instruction at a time, no caches (DESIGN.md 2.1).

import { EngineError, hex, UnimplementedError } from '../bus/errors';
import type { Cpu, Handler } from './cpu';
import { formatBytes } from './decoded-instruction';
import { decode } from './decoder';
import { HANDLERS } from './exec/index';
import { CpuFault } from './faults';
import { deliverEvent, EVENT_EXCEPTION } from './interrupts';
import { OPCODE_TABLE } from './opcode-table';
import { effectiveAddress } from './operands';
import { CS } from './state';

/** Handler for each opcode-table entry, undefined where the instruction is not implemented. */
const DISPATCH: (Handler | undefined)[] = OPCODE_TABLE.map((e) => HANDLERS[e.exec]);

/** Formats CS:IP as the SDM writes it, e.g. 0000:7C1A. */
export function formatLocation(cs: number, ip: number): string {
  return `${hex(cs, 4)}:${hex(ip, ip > 0xffff ? 8 : 4)}`;
}

/**
 * Executes one instruction. A CpuFault rolls EIP back to the instruction and is delivered
 * through the routing point; an EngineError (unimplemented instruction, device or BIOS
 * service, triple fault) propagates with the instruction's CS:IP added to its message.
 * Returns true when the instruction retired (icount counts it).
 */
export function step(cpu: Cpu): boolean {
  const s = cpu.s;
  const start = s.eip;
  cpu.instructionStart = start;
  cpu.repPending = false;
  // External interrupts, once there are sources, are recognised here, before the shadow that
  // STI / MOV SS / POP SS left for this instruction is cleared.
  s.interruptShadow = false;
  try {
    const d = cpu.d;
    const codeSize = cpu.codeSize;
    decode(cpu, d, codeSize);
    const entry = d.entry;
    const handler = entry ? DISPATCH[entry.index] : undefined;
    if (!handler) {
      const name = entry ? ` (${entry.mnemonic})` : '';
      throw new UnimplementedError(
        'unimplemented-instruction',
        `unimplemented instruction ${formatBytes(d)}${name}`,
      );
    }
    s.eip = codeSize === 16 ? (start + d.length) & 0xffff : (start + d.length) >>> 0;
    if (d.hasMem) cpu.ea = effectiveAddress(s, d);
    handler(cpu, d);
  } catch (e) {
    s.eip = start;
    const cs = s.seg[CS]!;
    if (e instanceof CpuFault) {
      try {
        deliverEvent(cpu, e.vector, EVENT_EXCEPTION, start);
      } catch (inner) {
        if (inner instanceof EngineError) inner.locate(cs, start, formatLocation(cs, start));
        throw inner;
      }
      return false;
    }
    if (e instanceof EngineError) e.locate(cs, start, formatLocation(cs, start));
    throw e;
  }
  if (cpu.repPending) return false;
  s.icount++;
  return true;
}
