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
});
