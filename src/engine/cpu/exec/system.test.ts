import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../bus/physical-memory';
import { PortBus } from '../../bus/port-bus';
import { bareCpu } from '../../machine/guest-runner';
import { Cpu } from '../cpu';
import { Vector } from '../faults';
import { CF, DF, getEflags, IF } from '../flags';
import { step } from '../interpreter';
import { CS, EAX } from '../state';

function flagsAfter(code: string, initial = 0) {
  const b = bareCpu(`${code}\nhlt`);
  b.cpu.s.eflags = 2 | initial;
  b.runToHalt();
  return getEflags(b.cpu.s) & (CF | DF | IF);
}

describe('flag and processor control', () => {
  it('CLC, STC, CMC, CLD, STD, CLI, STI set exactly their flag', () => {
    expect(flagsAfter('stc')).toBe(CF);
    expect(flagsAfter('clc', CF | DF)).toBe(DF);
    expect(flagsAfter('cmc')).toBe(CF);
    expect(flagsAfter('cmc', CF)).toBe(0);
    expect(flagsAfter('std')).toBe(DF);
    expect(flagsAfter('cld', DF | IF)).toBe(IF);
    expect(flagsAfter('sti')).toBe(IF);
    expect(flagsAfter('cli', IF)).toBe(0);
  });

  it('STI with IF clear opens an interrupt shadow over the next instruction only', () => {
    const b = bareCpu('sti\nnop\nsti\nhlt');
    step(b.cpu);
    expect(b.cpu.s.interruptShadow).toBe(true);
    step(b.cpu);
    expect(b.cpu.s.interruptShadow).toBe(false);
    step(b.cpu); // IF already set: no new shadow
    expect(b.cpu.s.interruptShadow).toBe(false);
  });

  it('HLT retires, halts and leaves EIP after it; NOP does nothing', () => {
    const b = bareCpu('nop\nhlt\nnop');
    expect(b.runToHalt()).toBe(2);
    expect(b.cpu.s.halted).toBe(true);
    expect(b.cpu.s.eip).toBe(0x7c02);
    expect(b.cpu.s.icount).toBe(2);
  });
});

/** A flat 32-bit protected-mode CPU at `cpl` running `code` at 1000h; events go to `events`. */
function flat(code: number[], cpl = 0) {
  const mem = new PhysicalMemory(1 << 20);
  const cpu = new Cpu(mem, new PortBus());
  const s = cpu.s;
  s.cr0 = 0x11;
  for (let i = 0; i < 6; i++) {
    s.segBase[i] = 0;
    s.segLimit[i] = 0xffffffff;
    s.segAttr[i] = 0xc093 | (cpl << 5);
  }
  s.segAttr[CS] = 0xc09b | (cpl << 5);
  s.seg[CS] = 0x08 | cpl;
  s.cpl = cpl;
  s.eip = 0x1000;
  mem.load(0x1000, code);
  const events: [number, number][] = [];
  cpu.eventHook = (vector, _kind, errorCode) => {
    events.push([vector, errorCode]);
    return true;
  };
  return { cpu, s, events, step: () => step(cpu) };
}

describe('system instructions in protected mode', () => {
  it('MOV CR0 refuses PG without PE and NW without CD', () => {
    const t = flat([0x0f, 0x22, 0xc0]);
    t.s.regs[EAX] = 0x80000010;
    t.step();
    expect(t.events).toEqual([[Vector.GP, 0]]);
    t.s.regs[EAX] = 0x20000011;
    t.step();
    expect(t.events[1]).toEqual([Vector.GP, 0]);
    t.s.regs[EAX] = 0x60000011;
    t.step();
    expect(t.s.cr0).toBe(0x60000011);
  });

  it('MOV CR4 rejects unimplemented bits (VME, PAE); CR1 is #UD', () => {
    const t = flat([0x0f, 0x22, 0xe0, 0x0f, 0x22, 0xe0, 0x0f, 0x22, 0xc8]);
    t.s.regs[EAX] = 0x1;
    t.step();
    expect(t.events).toEqual([[Vector.GP, 0]]);
    t.s.regs[EAX] = 0x90;
    t.s.eip = 0x1003;
    t.step();
    expect(t.s.cr4).toBe(0x90);
    t.step();
    expect(t.events[1]).toEqual([Vector.UD, -1]);
  });

  it('MOV from DR4 aliases DR6 unless CR4.DE, which makes it #UD', () => {
    const t = flat([0x0f, 0x21, 0xe0, 0x0f, 0x21, 0xe0]);
    t.step();
    expect(t.s.regs[EAX]).toBe(0xffff0ff0);
    t.s.cr4 = 0x8;
    t.step();
    expect(t.events).toEqual([[Vector.UD, -1]]);
  });

  it('LMSW sets but never clears PE; CLTS clears TS', () => {
    const t = flat([0x0f, 0x01, 0xf0, 0x0f, 0x06]);
    t.s.regs[EAX] = 0x8; // TS, PE clear
    t.step();
    expect(t.s.cr0 & 0xf).toBe(0x9);
    t.step();
    expect(t.s.cr0 & 0x8).toBe(0);
  });

  it('HLT, INVD, WBINVD, MOV CR and LGDT fault with #GP(0) above CPL 0', () => {
    for (const code of [
      [0xf4],
      [0x0f, 0x08],
      [0x0f, 0x09],
      [0x0f, 0x20, 0xc0],
      [0x0f, 0x01, 0x10],
    ]) {
      for (const cpl of [1, 3]) {
        const t = flat(code, cpl);
        t.step();
        expect(t.events).toEqual([[Vector.GP, 0]]);
        expect(t.s.halted).toBe(false);
      }
    }
    const t = flat([0xf4]);
    t.step();
    expect(t.s.halted).toBe(true);
  });

  it('ARPL raises the destination RPL to the source RPL and reports it in ZF; #UD in real mode', () => {
    const t = flat([0x63, 0xc8, 0x63, 0xc8]); // arpl ax, cx
    t.s.regs[EAX] = 0x12340011;
    t.s.regs[1] = 0x0003;
    t.step();
    expect(t.s.regs[EAX]).toBe(0x12340013);
    expect(getEflags(t.s) & 0x40).toBe(0x40);
    t.step();
    expect(getEflags(t.s) & 0x40).toBe(0);
    const r = flat([0x63, 0xc8]);
    r.s.cr0 = 0x10;
    r.step();
    expect(r.events).toEqual([[Vector.UD, -1]]);
  });

  it('reads a read-modify-write destination as a write: SHL by 0 into read-only data is #GP(0)', () => {
    const t = flat([0xc1, 0x20, 0x00, 0x8b, 0x00]); // shl dword [eax], 0; mov eax, [eax]
    t.s.segAttr[3] = 0xc091; // DS read-only
    t.s.regs[EAX] = 0x2000;
    t.step();
    expect(t.events).toEqual([[Vector.GP, 0]]);
    t.s.eip = 0x1003;
    t.step();
    expect(t.events.length).toBe(1);
  });

  it('SLDT, STR, LAR and VERR are #UD in real mode', () => {
    for (const code of [
      [0x0f, 0x00, 0xc0],
      [0x0f, 0x00, 0xc8],
      [0x0f, 0x02, 0xc0],
      [0x0f, 0x00, 0xe0],
    ]) {
      const t = flat(code);
      t.s.cr0 = 0x10;
      t.step();
      expect(t.events).toEqual([[Vector.UD, -1]]);
    }
  });
});
