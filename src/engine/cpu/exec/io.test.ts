import { describe, expect, it } from 'vitest';
import type { AccessSize } from '../../bus/device';
import { bareCpu } from '../../machine/guest-runner';
import { EAX, getReg } from '../state';

describe('IN and OUT', () => {
  it('reach the port bus with imm8 and DX ports, byte and word sizes', () => {
    const b = bareCpu(
      'out 0x80, al\nmov dx, 0x3F8\nmov ax, 0x1234\nout dx, ax\nin al, 0x81\nmov bl, al\nin ax, dx\nhlt',
    );
    const log: string[] = [];
    b.bus.register({
      base: 0x80,
      length: 2,
      read: (o: number, s: AccessSize) => {
        log.push(`in ${o}/${s}`);
        return 0x42;
      },
      write: (o: number, s: AccessSize, v: number) =>
        void log.push(`out ${o}/${s}=${v.toString(16)}`),
    });
    b.bus.register({
      base: 0x3f8,
      length: 8,
      read: (o: number, s: AccessSize) => {
        log.push(`in3f8 ${o}/${s}`);
        return 0xbeef;
      },
      write: (o: number, s: AccessSize, v: number) =>
        void log.push(`out3f8 ${o}/${s}=${v.toString(16)}`),
    });
    b.runToHalt();
    expect(log).toEqual(['out 0/1=0', 'out3f8 0/2=1234', 'in 1/1', 'in3f8 0/2']);
    expect(getReg(b.cpu.s, 16, EAX)).toBe(0xbeef);
    expect(getReg(b.cpu.s, 8, 3)).toBe(0x42);
  });

  it('reads all ones from an unmapped port', () => {
    const b = bareCpu('in al, 0x50\nhlt');
    b.runToHalt();
    expect(getReg(b.cpu.s, 8, EAX)).toBe(0xff);
  });
});
