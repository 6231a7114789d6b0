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
  it('names the instruction and CS:IP of a defined instruction vmlab lacks (x87)', () => {
    const e = errorOf('nop\ndb 0xD8, 0xC1');
    expect(e).toBeInstanceOf(UnimplementedError);
    expect(e.kind).toBe('unimplemented-instruction');
    expect(e.message).toBe('x87 FPU is not implemented at 0000:7C01');
    expect(e.at).toEqual({ cs: 0, ip: 0x7c01 });
  });

  it('raises #UD (vector 6 through the IVT) for opcodes a 486 leaves undefined', () => {
    for (const bytes of ['0x0F, 0xFF', '0xFE, 0xD0', '0x8D, 0xC0', '0x0F, 0x0B', '0x8E, 0xC8']) {
      const b = bareCpu(`mov word [6*4], ud\nmov word [6*4+2], 0\nbad: db ${bytes}\nud: hlt`);
      b.runToHalt(10);
      expect(b.cpu.s.eip).toBe(0x7c0f); // stopped at the handler's HLT
      expect(b.mem.read16(0x7bfa)).toBe(0x7c0c); // the pushed IP is the faulting instruction
    }
  });

  it('raises #UD for LOCK on a register destination or a non-lockable instruction', () => {
    for (const code of ['lock add ax, bx', 'lock mov [0x500], ax', 'lock cmp [0x500], ax']) {
      const b = bareCpu(
        `mov word [6*4], ud\nmov word [6*4+2], 0\n${code}\nhlt\nud: mov dx, 6\nhlt`,
      );
      b.runToHalt(10);
      expect(b.cpu.s.regs[2]).toBe(6);
    }
    const ok = bareCpu('mov word [0x500], 1\nlock add [0x500], ax\nlock inc word [0x500]\nhlt');
    ok.runToHalt(10);
    expect(ok.mem.read16(0x500)).toBe(2);
  });

  it('leaves EIP at the failing instruction and does not count it', () => {
    const b = bareCpu('nop\nnop\ndb 0xD8, 0xC0');
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
