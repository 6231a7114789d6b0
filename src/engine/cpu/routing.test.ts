import { describe, expect, it } from 'vitest';
import { EngineError } from '../bus/errors';
import { bareCpu } from '../machine/guest-runner';
import { IF } from './flags';
import { step } from './interpreter';
import { EVENT_EXCEPTION, EVENT_EXTERNAL, EVENT_NMI, EVENT_SOFTWARE } from './interrupts';
import { EAX, EBX, getReg } from './state';

/** A fake interrupt controller with one pending vector at a time. */
function controller() {
  const c = {
    pending: -1,
    acks: 0,
    hasInterrupt: () => c.pending >= 0,
    acknowledge: () => {
      const v = c.pending;
      c.pending = -1;
      c.acks++;
      return v;
    },
  };
  return c;
}

const HANDLER =
  'mov word [0x40*4], h\nmov word [0x40*4+2], 0\nmov word [2*4], n\nmov word [2*4+2], 0\n';

describe('the routing point: host hook, INTR and NMI', () => {
  it('gives every event to the host hook first; true means handled', () => {
    const b = bareCpu('int 0x21\nmov ax, 1\nxor dx, dx\ndiv dx\nhlt');
    const seen: [number, number, number][] = [];
    b.cpu.eventHook = (vector, kind, errorCode) => {
      seen.push([vector, kind, errorCode]);
      if (vector === 0) b.cpu.s.eip += 2; // skip the DIV, as a monitor emulating it would
      return true;
    };
    b.runToHalt();
    expect(seen).toEqual([
      [0x21, EVENT_SOFTWARE, -1],
      [0, EVENT_EXCEPTION, -1],
    ]);
  });

  it('falls back to architectural delivery when the hook returns false', () => {
    const b = bareCpu(`${HANDLER}int 0x40\nhlt\nh: mov bx, 7\niret\nn: iret`);
    let calls = 0;
    b.cpu.eventHook = () => {
      calls++;
      return false;
    };
    b.runToHalt();
    expect(calls).toBe(1);
    expect(getReg(b.cpu.s, 16, EBX)).toBe(7);
  });

  it('accepts INTR only with IF set and after the STI shadow', () => {
    const b = bareCpu(
      `${HANDLER}cli\nnop\nsti\nmov ax, 1\nmov ax, 2\nhlt\nh: mov bx, ax\niret\nn: iret`,
    );
    const pic = controller();
    b.cpu.interruptController = pic;
    for (let i = 0; i < 4; i++) step(b.cpu); // the four vector-table MOVs
    pic.pending = 0x40;
    step(b.cpu); // cli
    step(b.cpu); // nop: IF clear, nothing accepted
    expect(pic.acks).toBe(0);
    step(b.cpu); // sti
    step(b.cpu); // mov ax, 1 runs inside the shadow
    expect(pic.acks).toBe(0);
    const kinds: number[] = [];
    b.cpu.eventHook = (_v, kind) => {
      kinds.push(kind);
      return false;
    };
    b.runToHalt();
    expect(kinds).toEqual([EVENT_EXTERNAL]);
    expect(getReg(b.cpu.s, 16, EBX)).toBe(1);
    expect(getReg(b.cpu.s, 16, EAX)).toBe(2);
  });

  it('wakes HLT when an interrupt is accepted, and stays halted without one', () => {
    const b = bareCpu(`${HANDLER}sti\nhlt\nmov ax, 5\nhlt\nh: iret\nn: iret`);
    const pic = controller();
    b.cpu.interruptController = pic;
    b.runToHalt();
    expect(b.cpu.s.halted).toBe(true);
    expect(step(b.cpu)).toBe(false);
    expect(b.cpu.s.halted).toBe(true);
    pic.pending = 0x40;
    step(b.cpu); // delivery wakes the CPU
    expect(b.cpu.s.halted).toBe(false);
    b.runToHalt();
    expect(getReg(b.cpu.s, 16, EAX)).toBe(5);
  });

  it('delivers NMI with IF clear and blocks further NMIs until IRET', () => {
    const b = bareCpu(`${HANDLER}cli\nnop\nnop\nhlt\nh: iret\nn: inc bx\nnop\niret`);
    for (let i = 0; i < 5; i++) step(b.cpu);
    const kinds: number[] = [];
    b.cpu.eventHook = (v, kind) => {
      kinds.push(v, kind);
      return false;
    };
    b.cpu.raiseNmi();
    step(b.cpu); // NMI delivered
    expect(b.cpu.s.nmiBlocked).toBe(true);
    b.cpu.raiseNmi(); // latched, blocked until the handler's IRET
    step(b.cpu); // inc bx
    expect(kinds).toEqual([2, EVENT_NMI]);
    b.runToHalt();
    expect(kinds).toEqual([2, EVENT_NMI, 2, EVENT_NMI]);
    expect(getReg(b.cpu.s, 16, EBX)).toBe(2);
    expect(b.cpu.s.eflags & IF).toBe(0);
  });

  it('stops on a triple fault with CS:EIP, CR0, CR2, CR3 and the last exception', () => {
    const b = bareCpu('mov ax, 1\nxor dx, dx\ndiv dx\nhlt');
    b.cpu.s.idtrLimit = 0;
    b.cpu.s.cr2 = 0x1234;
    step(b.cpu);
    step(b.cpu);
    let error: unknown;
    try {
      step(b.cpu);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    const e = error as EngineError;
    expect(e.kind).toBe('triple-fault');
    expect(e.message).toContain('CS:EIP=0000:00007C05');
    expect(e.message).toContain('CR0=60000010');
    expect(e.message).toContain('CR2=00001234');
    expect(e.message).toContain('CR3=00000000');
    expect(e.message).toContain('last exception #GP');
  });
});
