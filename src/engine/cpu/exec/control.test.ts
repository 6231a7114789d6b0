import { describe, expect, it } from 'vitest';
import { bareCpu } from '../../machine/guest-runner';
import { AF, CF, OF, PF, SF, setEflags, ZF } from '../flags';
import { EAX, ECX, ESP, getReg } from '../state';
import { CODE, TestCpu } from './testing';

function run(code: string, flags = 0) {
  const b = bareCpu(`${code}\nhlt`);
  setEflags(b.cpu.s, flags, CF | PF | AF | ZF | SF | OF);
  b.runToHalt();
  return {
    ax: getReg(b.cpu.s, 16, EAX),
    cx: getReg(b.cpu.s, 16, ECX),
    sp: getReg(b.cpu.s, 16, ESP),
    s: b.cpu.s,
  };
}

/** AX = 1 when `jcc` is taken from the given flags, 0 when not. */
function taken(jcc: string, flags: number): number {
  return run(`mov ax, 0\n${jcc} .yes\njmp .end\n.yes: mov ax, 1\n.end:`, flags).ax;
}

describe('JMP and Jcc', () => {
  it.each([
    ['jo', OF, 0],
    ['jno', 0, OF],
    ['jb', CF, 0],
    ['jnb', 0, CF],
    ['jz', ZF, 0],
    ['jnz', 0, ZF],
    ['jbe', ZF, 0],
    ['jbe', CF, 0],
    ['ja', 0, CF],
    ['js', SF, 0],
    ['jns', 0, SF],
    ['jp', PF, 0],
    ['jnp', 0, PF],
    ['jl', SF, OF | SF],
    ['jge', SF | OF, SF],
    ['jle', ZF, 0],
    ['jle', OF, 0],
    ['jg', 0, ZF],
    ['jg', SF | OF, SF],
  ])('%s is taken with flags %i and not with %i', (jcc, yes, no) => {
    expect(taken(jcc, yes)).toBe(1);
    expect(taken(jcc, no)).toBe(0);
  });

  it('takes near (0F 8x) conditional jumps over more than 127 bytes', () => {
    expect(run('mov ax, 0\nstc\njc near .far\ntimes 300 nop\nmov ax, 2\n.far: inc ax', CF).ax).toBe(
      1,
    );
  });

  it('jumps short, near and indirect through registers and memory', () => {
    const r = run(
      'mov ax, 0\njmp short .a\nhlt\n.a: mov bx, .b\njmp bx\nhlt\n.b: mov word [0x500], .c\njmp [0x500]\nhlt\n.c: mov ax, 7',
    );
    expect(r.ax).toBe(7);
  });

  it('LOOP counts CX down; LOOPZ/LOOPNZ also test ZF; JCXZ tests CX', () => {
    expect(run('mov cx, 5\nmov ax, 0\n.l: inc ax\nloop .l').ax).toBe(5);
    expect(run('mov cx, 5\nmov ax, 0\n.l: inc ax\ncmp ax, 2\nloopnz .l')).toMatchObject({
      ax: 2,
      cx: 3,
    });
    expect(run('mov cx, 5\nmov ax, 0\n.l: inc ax\ncmp ax, ax\nloopz .l')).toMatchObject({
      ax: 5,
      cx: 0,
    });
    expect(run('mov cx, 0\nmov ax, 1\njcxz .z\nmov ax, 2\n.z:').ax).toBe(1);
    expect(run('mov cx, 1\nmov ax, 1\njcxz .z\nmov ax, 2\n.z:').ax).toBe(2);
  });
});

describe('CALL and RET', () => {
  it('calls near, direct and indirect, and returns with and without an immediate', () => {
    const r = run(
      'mov ax, 0\ncall f\nmov bx, f\ncall bx\nmov word [0x500], f\ncall [0x500]\npush 1\npush 2\ncall g\njmp done\nf: inc ax\nret\ng: add ax, 10\nret 4\ndone:',
    );
    expect(r.ax).toBe(13);
    expect(r.sp).toBe(0x7c00);
  });

  it('pushes the address of the next instruction', () => {
    const b = bareCpu('call f\nnext: hlt\nf: pop ax\nhlt');
    b.runToHalt();
    expect(getReg(b.cpu.s, 16, EAX)).toBe(0x7c03);
  });
});

describe('INT1 (ICEBP)', () => {
  it('raises #DB as a trap: the handler returns after it, and DR6 is left alone', () => {
    const t = new TestCpu();
    t.cpu.s.dr[6] = 0xffff0ff0;
    expect(t.run([0xf1])).toBe(1); // delivered to the test IVT's vector-1 stub
    expect(t.mem.read16(t.cpu.s.regs[ESP]! & 0xffff)).toBe(CODE + 1); // saved IP: past F1
    expect(t.cpu.s.dr[6]).toBe(0xffff0ff0);
  });
});
