import { describe, expect, it } from 'vitest';
import { UnimplementedError } from '../bus/errors';
import { bareCpu } from '../machine/guest-runner';
import { HANDLERS } from './exec/index';
import { step } from './interpreter';
import { OPCODE_TABLE } from './opcode-table';

function errorOf(code: string): UnimplementedError {
  const b = bareCpu(code);
  try {
    b.runToHalt(10);
  } catch (e) {
    return e as UnimplementedError;
  }
  throw new Error('no error');
}

describe('the reference interpreter', () => {
  it('names bytes, mnemonic and CS:IP of an unimplemented instruction', () => {
    const e = errorOf('nop\ncpuid');
    expect(e).toBeInstanceOf(UnimplementedError);
    expect(e.kind).toBe('unimplemented-instruction');
    expect(e.message).toBe('unimplemented instruction 0F A2 (cpuid) at 0000:7C01');
    expect(e.at).toEqual({ cs: 0, ip: 0x7c01 });
    expect(errorOf('div bx').message).toBe('unimplemented instruction F7 F3 (div) at 0000:7C00');
  });

  it('names the bytes of an opcode missing from the table', () => {
    expect(errorOf('db 0xD8, 0xC0').message).toBe('unimplemented instruction D8 at 0000:7C00');
    expect(errorOf('db 0x0F, 0xFF').message).toBe('unimplemented instruction 0F FF at 0000:7C00');
  });

  it('leaves EIP at the failing instruction and does not count it', () => {
    const b = bareCpu('nop\nnop\ncpuid');
    expect(() => b.runToHalt(10)).toThrow(UnimplementedError);
    expect(b.cpu.s.eip).toBe(0x7c02);
    expect(b.cpu.s.icount).toBe(2);
  });

  it('counts every retired instruction', () => {
    const b = bareCpu('mov cx, 10\nl: loop l\nhlt');
    b.runToHalt();
    expect(b.cpu.s.icount).toBe(12);
  });

  it('raises #GP for an instruction longer than 15 bytes', () => {
    const b = bareCpu(`mov word [13*4], gp\nmov word [13*4+2], 0\ntimes 15 db 0x26\nnop\ngp: hlt`);
    step(b.cpu);
    step(b.cpu);
    expect(step(b.cpu)).toBe(false);
    expect(b.cpu.s.eip).toBe(0x7c0c + 16);
  });

  it('executes 32-bit operand-size forms (0x66) through the same handlers', () => {
    const b = bareCpu('mov eax, 0x12345678\nadd eax, 0x10000000\npush eax\npop ebx\nhlt');
    b.runToHalt();
    expect(b.cpu.s.regs[3]).toBe(0x22345678);
  });

  it('implements every encoding of the 16-bit slice', () => {
    const slice = new Set(
      (
        'mov add sub adc sbb and or xor test inc dec cmp neg not xchg lea jmp call ret loop loopz ' +
        'loopnz jcxz push pop pushf popf in out lodsb lodsw stosb stosw movsb movsw cmpsb cmpsw ' +
        'scasb scasw cld std cli sti clc stc cmc hlt int int3 into iret nop jo jno jb jnb jz jnz ' +
        'jbe ja js jns jp jnp jl jnl jle jg retf'
      ).split(' '),
    );
    const missing = OPCODE_TABLE.filter((e) => slice.has(e.mnemonic) && !HANDLERS[e.exec]).map(
      (e) => `${e.mnemonic} ${e.operands.join(',')}`,
    );
    expect(missing).toEqual([]);
  });
});
