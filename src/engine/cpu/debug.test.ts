import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../bus/physical-memory';
import { PortBus } from '../bus/port-bus';
import { Cpu } from './cpu';
import { TF } from './flags';
import { step } from './interpreter';
import { CS } from './state';

/** Flat 32-bit ring 0 running `code` at 1000h; #DB events are recorded with the return EIP. */
function flat(code: number[]) {
  const cpu = new Cpu(new PhysicalMemory(1 << 20), new PortBus());
  const s = cpu.s;
  s.cr0 = 0x11;
  for (let i = 0; i < 6; i++) {
    s.segBase[i] = 0;
    s.segLimit[i] = 0xffffffff;
    s.segAttr[i] = 0xc093;
  }
  s.segAttr[CS] = 0xc09b;
  s.eip = 0x1000;
  cpu.mem.load(0x1000, code);
  const events: [number, number][] = [];
  cpu.eventHook = (vector) => {
    events.push([vector, s.eip]);
    return true;
  };
  return { cpu, s, events };
}

describe('debug registers and single step', () => {
  it('single-steps: #DB after the instruction with DR6.BS', () => {
    const t = flat([0x90, 0x90]);
    t.s.eflags |= TF;
    step(t.cpu);
    expect(t.events).toEqual([[1, 0x1001]]);
    expect(t.s.dr[6]! & 0x4000).toBe(0x4000);
  });

  it('faults on an instruction breakpoint before it runs, and RF lets it run once', () => {
    const t = flat([0x90, 0x90]);
    t.s.dr[0] = 0x1000;
    t.s.dr[7] = 0x401;
    step(t.cpu);
    expect(t.events).toEqual([[1, 0x1000]]);
    expect(t.s.dr[6]! & 0xf).toBe(1);
    t.s.eflags |= 0x10000; // RF, as the handler's IRET image would set it
    step(t.cpu);
    expect(t.s.eip).toBe(0x1001);
    expect(t.s.eflags & 0x10000).toBe(0);
  });

  it('traps after a write that hits a data breakpoint; a read of a write-only one does not', () => {
    // mov al, [2002h]; mov [2002h], al
    const t = flat([0xa0, 0x02, 0x20, 0, 0, 0xa2, 0x02, 0x20, 0, 0]);
    t.s.dr[1] = 0x2000;
    t.s.dr[7] = 0x400 | (1 << 2) | (1 << 20) | (3 << 22);
    t.cpu.dataWatch = true;
    step(t.cpu);
    expect(t.events).toEqual([]);
    step(t.cpu);
    expect(t.events).toEqual([[1, 0x100a]]);
    expect(t.s.dr[6]! & 0xf).toBe(2);
  });

  it('holds a MOV SS single-step trap until after the next instruction (SDM 3A 6.8.3)', () => {
    // mov ss, ax; nop; nop
    const t = flat([0x8e, 0xd0, 0x90, 0x90]);
    t.s.cr0 = 0; // real-mode loads: the selector needs no descriptor
    t.s.eflags |= TF;
    step(t.cpu);
    expect(t.events).toEqual([]);
    expect(t.s.debugPending).toBe(0x4000);
    step(t.cpu);
    expect(t.events).toEqual([[1, 0x1003]]);
    expect(t.s.debugPending).toBe(0);
  });

  it('holds a data breakpoint hit by MOV SS, reporting it with the next instruction', () => {
    // mov ss, [2000h]; nop
    const t = flat([0x8e, 0x15, 0x00, 0x20, 0, 0, 0x90]);
    t.cpu.mem.write16(0x2000, 0);
    t.s.cr0 = 0; // real-mode loads: the selector needs no descriptor
    t.s.dr[0] = 0x2000;
    t.s.dr[7] = 0x400 | 1 | (3 << 16) | (1 << 18); // L0, read/write, 2 bytes
    t.cpu.dataWatch = true;
    step(t.cpu);
    expect(t.events).toEqual([]);
    step(t.cpu);
    expect(t.events).toEqual([[1, 0x1007]]);
    expect(t.s.dr[6]! & 0xf).toBe(1);
  });

  it('single-steps a REP string instruction one iteration at a time (SDM 3B 18.3.1.4)', () => {
    // mov edi, 3000h is set below; rep stosb; nop
    const t = flat([0xf3, 0xaa, 0x90]);
    t.s.regs[1] = 3; // ECX
    t.s.regs[7] = 0x3000; // EDI
    t.s.regs[0] = 0x5a;
    t.s.eflags |= TF;
    const eips = [];
    for (let i = 0; i < 3; i++) {
      step(t.cpu);
      eips.push(t.events.at(-1)?.[1]);
    }
    expect(eips).toEqual([0x1000, 0x1000, 0x1002]);
    expect(t.s.regs[1]).toBe(0);
    expect(t.s.icount).toBe(1);
    expect([...t.cpu.mem.bytes.subarray(0x3000, 0x3004)]).toEqual([0x5a, 0x5a, 0x5a, 0]);
  });

  it('stops a REP after the iteration that hits a data breakpoint', () => {
    const t = flat([0xf3, 0xaa, 0x90]);
    t.s.regs[1] = 10;
    t.s.regs[7] = 0x3000;
    t.s.dr[2] = 0x3003;
    t.s.dr[7] = 0x400 | (1 << 4) | (1 << 24); // L2, write, 1 byte
    t.cpu.dataWatch = true;
    step(t.cpu);
    expect(t.events).toEqual([[1, 0x1000]]);
    expect(t.s.regs[1]).toBe(6);
    expect(t.s.dr[6]! & 0xf).toBe(4);
  });
});
