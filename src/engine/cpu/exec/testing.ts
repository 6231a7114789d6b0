// Test helper: runs machine code one instruction at a time on a bare real-mode CPU (no assembler, no BIOS).

import { PhysicalMemory } from '../../bus/physical-memory';
import { PortBus } from '../../bus/port-bus';
import { Cpu } from '../cpu';
import { getEflags, setEflags } from '../flags';
import { step } from '../interpreter';
import { CS, REAL_MODE_SEG_ATTR, resetCpuState } from '../state';

/** Where the code is loaded (0000:2000) and where the stack starts (0000:7000). */
export const CODE = 0x2000;
export const STACK = 0x7000;
const FAULT_CS = 0xf000;

/** A bare CPU whose IVT sends exception n to F000:n, so a delivered fault is easy to see. */
export class TestCpu {
  readonly mem = new PhysicalMemory(1 << 20);
  readonly io = new PortBus();
  readonly cpu = new Cpu(this.mem, this.io);

  constructor() {
    this.reset();
  }

  get s() {
    return this.cpu.s;
  }

  /** Real mode, flat segments at 0, IP = CODE, SP = STACK, registers and flags cleared. */
  reset(): this {
    const s = this.cpu.s;
    resetCpuState(s);
    for (let i = 0; i < 6; i++) {
      s.seg[i] = 0;
      s.segBase[i] = 0;
      s.segAttr[i] = REAL_MODE_SEG_ATTR;
    }
    s.segAttr[CS] = 0x9b;
    s.eip = CODE;
    s.regs[4] = STACK;
    for (let n = 0; n < 32; n++) {
      this.mem.write16(n * 4, n);
      this.mem.write16(n * 4 + 2, FAULT_CS);
    }
    return this;
  }

  /** Sets EAX..EDI from `regs` (index order) and the whole of EFLAGS. */
  set(regs: readonly number[], eflags = 0x2): this {
    regs.forEach((v, i) => {
      this.cpu.s.regs[i] = v;
    });
    setEflags(this.cpu.s, eflags, 0xffffffff);
    return this;
  }

  /**
   * Loads `code` (bytes or a hex string) at CODE, runs `count` instructions and returns the
   * exception vector that was delivered, or -1.
   */
  run(code: string | readonly number[], count = 1): number {
    const bytes =
      typeof code === 'string'
        ? (code.replace(/\s+/g, '').match(/../g) ?? []).map((h) => Number.parseInt(h, 16))
        : code;
    for (let i = 0; i < bytes.length; i++) this.mem.write8(CODE + i, bytes[i]!);
    this.cpu.s.eip = CODE;
    for (let i = 0; i < count; i++) {
      step(this.cpu);
      if (this.cpu.s.seg[CS] === FAULT_CS) return this.cpu.s.eip;
    }
    return -1;
  }

  /** EFLAGS with the lazy flags folded in. */
  get flags(): number {
    return getEflags(this.cpu.s);
  }

  reg(r: number): number {
    return this.cpu.s.regs[r]!;
  }
}

/** A seeded generator (xorshift32): rng(n) gives 0..n-1, the same sequence for the same seed. */
export function seededRandom(seed: number): (n: number) => number {
  let x = seed * 2654435761 || 1;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}
