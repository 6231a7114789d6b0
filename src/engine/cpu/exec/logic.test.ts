import { describe, expect, it } from 'vitest';
import { bareCpu } from '../../machine/guest-runner';
import { AF, CF, getEflags, OF, PF, SF, ZF } from '../flags';
import { EAX, EBX, getReg } from '../state';

const STATUS = CF | PF | AF | ZF | SF | OF;

function run(code: string) {
  const b = bareCpu(`${code}\nhlt`);
  b.runToHalt();
  return {
    ax: getReg(b.cpu.s, 16, EAX),
    bx: getReg(b.cpu.s, 16, EBX),
    flags: getEflags(b.cpu.s) & STATUS,
    byte: (a: number) => b.mem.read8(a),
  };
}

describe('AND, OR, XOR, TEST, NOT', () => {
  it('clear CF and OF and set SF, ZF, PF from the result', () => {
    expect(run('stc\nmov ax, 0xF0F0\nand ax, 0x0F0F')).toMatchObject({ ax: 0, flags: ZF | PF });
    expect(run('mov ax, 0x8000\nor ax, 1')).toMatchObject({ ax: 0x8001, flags: SF });
    expect(run('mov al, 0x0F\nxor al, 0xFF')).toMatchObject({ ax: 0xf0, flags: SF | PF });
    expect(run('mov ax, 0x1234\nxor ax, ax')).toMatchObject({ ax: 0, flags: ZF | PF });
  });

  it('TEST sets flags without writing', () => {
    expect(run('mov bx, 0x8001\ntest bx, 0x8000')).toMatchObject({ bx: 0x8001, flags: SF | PF });
    expect(run('mov al, 2\ntest al, 1')).toMatchObject({ ax: 2, flags: ZF | PF });
  });

  it('NOT inverts and changes no flags', () => {
    expect(run('mov ax, 0x00FF\nstc\nnot ax')).toMatchObject({ ax: 0xff00, flags: CF });
    expect(run('mov byte [0x700], 0x5A\nnot byte [0x700]').byte(0x700)).toBe(0xa5);
  });

  it('works on memory destinations', () => {
    const r = run(
      'mov byte [0x700], 0x0F\nor byte [0x700], 0x30\nand byte [0x700], 0x3C\nxor byte [0x700], 0x01',
    );
    expect(r.byte(0x700)).toBe(0x3d);
  });
});
