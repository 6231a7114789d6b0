import { describe, expect, it } from 'vitest';
import { assemble } from '../assembler/assembler';
import { PhysicalMemory } from '../bus/physical-memory';
import { PortBus } from '../bus/port-bus';
import { Cpu } from './cpu';
import { getEflags } from './flags';
import { runSteps, step } from './interpreter';
import { CS, EBX, ESP, SS } from './state';

// runLean32 (the 32-bit quiet run) against step() one instruction at a time, on the forms it
// writes out (calls, returns, jumps, LOOP, SIB and RMW memory forms, eAX immediates) and on a
// fault in the middle of a run: the same registers, flags, memory, EIP and icount.

const CODE = 0x1000;
const DATA = 0x8000;

const SOURCE = `bits 32
org 0x${CODE.toString(16)}
        mov ecx, 40
top:    call sub
        add dword [ebx+esi*4], 3
        cmp eax, 0x12345678
        inc esi
        and esi, 7
        test [ebx], eax
        sub dword [ebx+8], eax
        or dword [ebx+esi*4+0x10], 0x1000
        jmp short next
next:   cmp dword [ebx+12], 0x80000000
        jb below
        adc eax, 1
below:  lea edi, [ebx+esi*8+3]
        mov [edi], al
        loop top
        mov eax, [ebx+0x20000]
        hlt
sub:    push eax
        add eax, [ebx+4]
        xor eax, 0x5a5a5a5a
        pop edx
        add eax, edx
        ret
`;

/** The #GP handler (real-mode IVT vector 13): HLT at 0:0x600. */
const HANDLER = 0x600;

function machine(): Cpu {
  const out = assemble(SOURCE);
  if (!out.ok) throw new Error(out.diagnostics[0]?.message);
  const mem = new PhysicalMemory(1 << 20);
  const cpu = new Cpu(mem, new PortBus());
  mem.load(CODE, Array.from(out.bytes));
  mem.write8(HANDLER, 0xf4);
  mem.write32(13 * 4, HANDLER);
  for (let i = 0; i < 64; i++) mem.write8(DATA + i, (i * 37 + 11) & 0xff);
  const s = cpu.s;
  s.seg[CS] = 0;
  s.segBase[CS] = 0;
  s.segAttr[CS]! |= 0x4000;
  s.segAttr[SS]! |= 0x4000;
  s.eip = CODE;
  s.regs[ESP] = 0x7000;
  s.regs[EBX] = DATA;
  return cpu;
}

function state(cpu: Cpu) {
  const s = cpu.s;
  return {
    regs: Array.from(s.regs),
    eip: s.eip,
    cs: s.seg[CS],
    flags: getEflags(s),
    icount: s.icount,
    memory: Array.from(cpu.mem.bytes.subarray(0x6f00, DATA + 0x100)),
  };
}

describe('runLean32', () => {
  it('ends where step() one at a time ends, through a #GP in the middle of the run', () => {
    const stepped = machine();
    while (!stepped.s.halted) step(stepped);
    const want = state(stepped);
    expect(want.eip).toBe(HANDLER + 1); // the #GP was delivered
    const run = machine();
    while (!run.s.halted) runSteps(run, 100_000, { nextIcount: Number.MAX_SAFE_INTEGER });
    expect(state(run)).toEqual(want);
  });

  it('stops at exact instruction counts', () => {
    const stepped = machine();
    const run = machine();
    for (let k = 1; !stepped.s.halted; k++) {
      const deadline = { nextIcount: run.s.icount + (k % 11) + 1 };
      const n = runSteps(run, 1 + (k % 17), deadline);
      for (let i = 0; i < n; i++) step(stepped);
      expect(state(run), `after ${stepped.s.icount}`).toEqual(state(stepped));
    }
  });
});
