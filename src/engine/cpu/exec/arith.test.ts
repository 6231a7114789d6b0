import { describe, expect, it } from 'vitest';
import { bareCpu } from '../../machine/guest-runner';
import { AF, CF, getEflags, OF, PF, SF, ZF } from '../flags';
import { EAX, EBX, ECX, EDX, getReg } from '../state';

const STATUS = CF | PF | AF | ZF | SF | OF;

/** Runs `code` then HLT; returns AX, BX, CX, DX, the status flags and a memory reader. */
function run(code: string) {
  const b = bareCpu(`${code}\nhlt`);
  b.runToHalt();
  const s = b.cpu.s;
  return {
    ax: getReg(s, 16, EAX),
    bx: getReg(s, 16, EBX),
    cx: getReg(s, 16, ECX),
    dx: getReg(s, 16, EDX),
    flags: getEflags(s) & STATUS,
    word: (addr: number) => b.mem.read16(addr),
    icount: s.icount,
  };
}

describe('ADD, ADC, SUB, SBB, CMP', () => {
  it('ADD sets CF, OF, AF, ZF, PF on edge values', () => {
    expect(run('mov al, 0xFF\nadd al, 1')).toMatchObject({ ax: 0, flags: CF | ZF | AF | PF });
    expect(run('mov ax, 0x7FFF\nadd ax, 1')).toMatchObject({
      ax: 0x8000,
      flags: OF | SF | AF | PF,
    });
    expect(run('mov ax, 0x8000\nadd ax, 0x8000')).toMatchObject({
      ax: 0,
      flags: CF | OF | ZF | PF,
    });
    expect(run('mov bl, 0x0F\nmov cl, 0x01\nadd bl, cl')).toMatchObject({ bx: 0x10, flags: AF });
  });

  it('ADC and SBB chain a 32-bit add and subtract through DX:AX', () => {
    const add = run('mov ax, 0xFFFF\nmov dx, 0x0001\nadd ax, 1\nadc dx, 0');
    expect(add).toMatchObject({ ax: 0, dx: 2, flags: 0 });
    const sub = run('mov ax, 0\nmov dx, 2\nsub ax, 1\nsbb dx, 0');
    expect(sub).toMatchObject({ ax: 0xffff, dx: 1, flags: 0 });
    expect(run('stc\nmov al, 0xFF\nadc al, 0')).toMatchObject({ ax: 0, flags: CF | ZF | AF | PF });
    expect(run('stc\nmov al, 0\nsbb al, 0')).toMatchObject({ ax: 0xff, flags: CF | SF | AF | PF });
  });

  it('SUB and CMP: borrow, signed overflow; CMP writes nothing', () => {
    expect(run('mov al, 0x80\nsub al, 1')).toMatchObject({ ax: 0x7f, flags: OF | AF });
    expect(run('mov ax, 1\ncmp ax, 2')).toMatchObject({ ax: 1, flags: CF | SF | AF | PF });
    expect(run('mov ax, 5\ncmp ax, 5')).toMatchObject({ ax: 5, flags: ZF | PF });
  });

  it('takes sign-extended imm8 (83 /x) and accumulator forms', () => {
    expect(run('mov bx, 0x1234\nadd bx, -1')).toMatchObject({ bx: 0x1233, flags: CF | AF | PF });
    expect(run('mov ax, 0x1000\nsub ax, 0x0FFF')).toMatchObject({ ax: 1, flags: AF });
    expect(run('mov al, 0x10\nadd al, 0x20')).toMatchObject({ ax: 0x30, flags: PF });
  });

  it('operates on memory operands with read-modify-write', () => {
    const r = run(
      'mov word [0x500], 0x00FF\nadd word [0x500], 1\nadd byte [0x502], 3\nsub word [0x500], 0x200',
    );
    expect(r.word(0x500)).toBe(0xff00);
    expect(r.word(0x502)).toBe(3);
  });
});

describe('INC, DEC, NEG', () => {
  it('INC and DEC leave CF alone', () => {
    expect(run('stc\nmov ax, 0xFFFF\ninc ax')).toMatchObject({ ax: 0, flags: CF | ZF | AF | PF });
    expect(run('clc\nmov ax, 0x8000\ndec ax')).toMatchObject({ ax: 0x7fff, flags: OF | AF | PF });
    expect(run('stc\nmov bl, 0x7F\ninc bl')).toMatchObject({ bx: 0x80, flags: CF | OF | SF | AF });
    const m = run('mov byte [0x600], 0\ndec byte [0x600]\ninc word [0x602]');
    expect(m.word(0x600)).toBe(0xff);
    expect(m.word(0x602)).toBe(1);
  });

  it('NEG computes 0 - x with CF = (x != 0)', () => {
    expect(run('mov ax, 1\nneg ax')).toMatchObject({ ax: 0xffff, flags: CF | SF | AF | PF });
    expect(run('mov ax, 0\nneg ax')).toMatchObject({ ax: 0, flags: ZF | PF });
    expect(run('mov al, 0x80\nneg al')).toMatchObject({ ax: 0x80, flags: CF | OF | SF });
  });
});
