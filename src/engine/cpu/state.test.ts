import { describe, expect, it } from 'vitest';
import { copyCpuState, createCpuState, getReg, resetCpuState, setReg } from './state';

describe('CPU state', () => {
  it('starts in the 486 power-on state: CS:IP = F000:FFF0, real mode', () => {
    const s = createCpuState();
    expect([s.seg[1], s.eip, s.segBase[1], s.eflags, s.cr0 & 1]).toEqual([
      0xf000, 0xfff0, 0xffff0000, 2, 0,
    ]);
    expect([...s.segLimit]).toEqual(new Array(6).fill(0xffff));
  });

  it('reads and writes 8-, 16- and 32-bit registers, AH..BH included', () => {
    const s = createCpuState();
    setReg(s, 32, 0, 0x12345678);
    setReg(s, 8, 4, 0xab); // AH
    expect(s.regs[0]).toBe(0x1234ab78);
    setReg(s, 16, 0, 0xbeef);
    expect([getReg(s, 32, 0), getReg(s, 16, 0), getReg(s, 8, 0), getReg(s, 8, 4)]).toEqual([
      0x1234beef, 0xbeef, 0xef, 0xbe,
    ]);
    setReg(s, 8, 7, 0x11); // BH
    expect(getReg(s, 16, 3)).toBe(0x1100);
  });

  it('round-trips through structuredClone and copyCpuState', () => {
    const s = createCpuState();
    s.regs[3] = 0xdeadbeef;
    s.segBase[2] = 0x12340;
    s.lazyOp = 2;
    s.lazyRes = 5;
    s.halted = true;
    s.interruptShadow = true;
    s.icount = 123456789;
    const saved = structuredClone(s);
    const restored = createCpuState();
    copyCpuState(saved, restored);
    expect(restored).toEqual(s);
    expect(structuredClone(restored)).toEqual(saved);
    resetCpuState(restored);
    expect(restored.icount).toBe(0);
  });
});

describe('protected-mode CPU state', () => {
  it('round-trips LDTR, TR, debug registers, CR4 and pending events; restore flushes the TLB', async () => {
    const { Cpu } = await import('./cpu');
    const { PhysicalMemory } = await import('../bus/physical-memory');
    const { PortBus } = await import('../bus/port-bus');
    const { cloneCpuState } = await import('./state');
    const cpu = new Cpu(new PhysicalMemory(1 << 16), new PortBus());
    const s = cpu.s;
    Object.assign(s, { cpl: 3, ldtr: 0x60, ldtrBase: 0x1000, tr: 0x38, trLimit: 0x67, cr4: 0x90 });
    Object.assign(s, { nmiPending: true, nmiBlocked: true, lastException: 14 });
    s.dr[0] = 0x7c00;
    s.dr[7] = 0x401;
    const saved = structuredClone(cloneCpuState(s));
    cpu.tlb.set(5, 0x5001);
    const other = new Cpu(new PhysicalMemory(1 << 16), new PortBus());
    other.tlb.set(5, 0x5001);
    other.restoreState(saved);
    expect(other.s).toEqual(s);
    expect(other.tlb.entries[5]).toBe(0);
    expect(cloneCpuState(other.s).dr).not.toBe(other.s.dr);
  });
});
