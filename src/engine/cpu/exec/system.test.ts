import { describe, expect, it } from 'vitest';
import { bareCpu } from '../../machine/guest-runner';
import { CF, DF, getEflags, IF } from '../flags';
import { step } from '../interpreter';

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
