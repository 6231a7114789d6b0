import { describe, expect, it } from 'vitest';
import { EngineError } from '../bus/errors';
import { bareCpu } from '../machine/guest-runner';
import { CF, getEflags, IF, TF } from './flags';
import { step } from './interpreter';
import { CS, EAX, ESP, getReg } from './state';

describe('real-mode interrupts through the IVT', () => {
  it('INT n pushes FLAGS, CS, IP, clears IF and TF, and IRET returns', () => {
    const b = bareCpu(
      [
        'mov word [0x80*4], handler',
        'mov word [0x80*4+2], 0',
        'sti',
        'stc',
        'mov ax, 1',
        'int 0x80',
        'after: hlt',
        'handler:',
        '  pushf',
        '  pop bx            ; flags inside the handler',
        '  mov bp, sp',
        '  mov cx, [bp]      ; return IP',
        '  mov dx, [bp+4]    ; pushed flags',
        '  add ax, 41',
        '  iret',
      ].join('\n'),
    );
    b.runToHalt();
    const s = b.cpu.s;
    const r = (n: number) => getReg(s, 16, n);
    expect(r(EAX)).toBe(42);
    expect(r(3) & (IF | TF)).toBe(0);
    expect(r(2) & (IF | CF)).toBe(IF | CF);
    expect(getEflags(s) & (IF | CF)).toBe(IF | CF);
    expect(r(ESP)).toBe(0x7c00);
  });

  it('pushes the address after INT as the return address', () => {
    const b = bareCpu(
      'mov word [0x81*4], h\nmov word [0x81*4+2], 0\nint 0x81\nret_here: hlt\nh: pop ax\npush ax\niret',
    );
    b.runToHalt();
    const intAt = 0x7c00 + 12; // two 6-byte MOVs before it
    expect(getReg(b.cpu.s, 16, EAX)).toBe(intAt + 2);
  });

  it('lets a guest chain to a far handler with a different CS', () => {
    const b = bareCpu(
      'mov word [0x82*4], 0x0010\nmov word [0x82*4+2], 0x07C0\nint 0x82\nhlt\ntimes 0x7C10-0x7C00-($-$$) nop\nmov ax, cs\niret',
    );
    b.runToHalt();
    expect(getReg(b.cpu.s, 16, EAX)).toBe(0x07c0);
    expect(b.cpu.s.seg[CS]).toBe(0);
  });

  it('delivers a #GP fault with the faulting instruction as return address', () => {
    const b = bareCpu(
      'mov word [13*4], gp\nmov word [13*4+2], 0\nmov bx, 0xFFFF\nbad: mov ax, [bx]\nhlt\ngp: pop ax\nhlt',
    );
    b.runToHalt();
    expect(getReg(b.cpu.s, 16, EAX)).toBe(0x7c00 + 15);
  });

  it('reports a triple fault when the IVT cannot be read', () => {
    const b = bareCpu('int 0x40');
    b.cpu.s.idtrLimit = 0;
    expect(() => step(b.cpu)).toThrow(EngineError);
    try {
      step(b.cpu);
    } catch (e) {
      expect((e as EngineError).kind).toBe('triple-fault');
      expect((e as EngineError).message).toMatch(/triple fault .* at 0000:7C00/);
    }
  });
});
