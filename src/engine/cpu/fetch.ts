// Instruction fetch window: the decoder reads up to 15 code bytes straight from RAM when they lie in one page and inside CS's limit (SDM 3A 5.3, 4.1).

import type { Cpu } from './cpu';
import type { CodeSource } from './decoded-instruction';
import { ACCESS_FETCH } from './paging';
import { CS } from './state';

/**
 * A CodeSource over the current instruction's bytes. `open` checks the CS limit and
 * translates EIP once; bytes inside the window come from RAM with one array load, any
 * other byte (past the limit, the page or RAM) goes through Cpu.codeByte, which raises the
 * fault a byte-by-byte fetch would. One instance per CPU; nothing is allocated per fetch.
 */
export class FetchWindow implements CodeSource {
  /** RAM, and the physical address of the instruction's first byte in it. */
  bytes: Uint8Array;
  base = 0;
  /** Bytes readable straight from `bytes` (at most 15; 0 when the first byte faults). */
  avail = 0;

  constructor(private readonly cpu: Cpu) {
    this.bytes = cpu.mem.bytes;
  }

  /** Prepares the window at CS:EIP; may raise the #PF of the instruction's first byte. */
  open(): this {
    const cpu = this.cpu;
    const s = cpu.s;
    const eip = s.eip;
    const limit = s.segLimit[CS]!;
    this.avail = 0;
    if (eip > limit) return this; // codeByte(0) raises the #GP
    const lin = (s.segBase[CS]! + eip) >>> 0;
    const phys = cpu.translate(lin, ACCESS_FETCH | cpu.userAccess);
    const bytes = cpu.mem.bytes;
    this.bytes = bytes;
    let avail = 4096 - (lin & 0xfff);
    if (limit - eip + 1 < avail) avail = limit - eip + 1;
    if (bytes.length - phys < avail) avail = bytes.length - phys;
    // With A20 closed, bit 20 of the address is masked: past 1 MiB, bytes come via codeByte.
    if (phys + 16 > 0x100000 && !cpu.mem.a20Enabled) avail = 0;
    this.base = phys;
    this.avail = avail > 15 ? 15 : avail > 0 ? avail : 0;
    return this;
  }

  codeByte(offset: number): number {
    if (offset < this.avail) return this.bytes[this.base + offset]!;
    return this.cpu.codeByte(offset);
  }
}

/** The fetch window of `cpu`, opened at CS:EIP (created on the CPU's first fetch). */
export function openFetchWindow(cpu: Cpu): FetchWindow {
  let w = cpu.fetchWindow;
  if (w === null) {
    w = new FetchWindow(cpu);
    cpu.fetchWindow = w;
  }
  return w.open();
}
