import { describe, expect, it } from 'vitest';
import { bareCpu } from '../../machine/guest-runner';
import { getEflags, ZF } from '../flags';
import { step } from '../interpreter';
import { EAX, ECX, EDI, ESI, getReg } from '../state';
import { REP_CHUNK } from './string';

function setup(code: string) {
  const b = bareCpu(`${code}\nhlt`);
  b.mem.load(
    0x1000,
    [...'Hello, world!'].map((c) => c.charCodeAt(0)),
  );
  return b;
}

function run(code: string) {
  const b = setup(code);
  b.runToHalt();
  const r = (n: number) => getReg(b.cpu.s, 16, n);
  const text = (at: number, n: number) => String.fromCharCode(...b.mem.bytes.slice(at, at + n));
  return { b, r, text, zf: getEflags(b.cpu.s) & ZF };
}

describe('string instructions', () => {
  it('REP MOVSB copies CX bytes forward and advances SI, DI', () => {
    const { r, text } = run('mov si, 0x1000\nmov di, 0x2000\nmov cx, 13\ncld\nrep movsb');
    expect(text(0x2000, 13)).toBe('Hello, world!');
    expect([r(ESI), r(EDI), r(ECX)]).toEqual([0x100d, 0x200d, 0]);
  });

  it('MOVSW with DF set copies backwards', () => {
    const { r, text } = run('mov si, 0x100B\nmov di, 0x200B\nmov cx, 3\nstd\nrep movsw');
    expect(text(0x2007, 6)).toBe('world!');
    expect([r(ESI), r(EDI)]).toEqual([0x1005, 0x2005]);
  });

  it('REP with CX = 0 does nothing', () => {
    const { r, text } = run('mov si, 0x1000\nmov di, 0x2000\nmov cx, 0\nrep movsb');
    expect(text(0x2000, 1)).toBe('\0');
    expect(r(ESI)).toBe(0x1000);
  });

  it('STOSW fills ES:DI; LODSB loads from DS:SI', () => {
    const { b, r } = run(
      'mov ax, 0x3000\nmov es, ax\nmov di, 0\nmov cx, 4\nmov ax, 0xA55A\nrep stosw\nmov si, 0x1004\nlodsb',
    );
    expect(b.mem.read16(0x30006)).toBe(0xa55a);
    expect(b.mem.read16(0x30008)).toBe(0);
    expect(r(EAX) & 0xff).toBe('o'.charCodeAt(0));
    expect(r(EDI)).toBe(8);
  });

  it('honours a segment override on the DS:SI side only', () => {
    const { b } = run(
      'mov ax, 0x100\nmov es, ax\nmov si, 0x1000\nmov di, 0x10\nmov cx, 5\nrep es movsb',
    );
    // source ES:1000 = linear 2000h (zeroes), destination ES:0010 = linear 1010h
    expect(String.fromCharCode(...b.mem.bytes.slice(0x1010, 0x1015))).toBe('\0\0\0\0\0');
  });

  it('REPE CMPSB stops at the first difference; REPNE SCASB at the first match', () => {
    const cmp = run(
      "mov si, 0x1000\nmov di, str\nmov cx, 13\nrepe cmpsb\njmp done\nstr: db 'Hello, there!'\ndone:",
    );
    expect(cmp.r(ECX)).toBe(13 - 8);
    expect(cmp.zf).toBe(0);
    const scan = run("mov di, 0x1000\nmov cx, 13\nmov al, ','\nrepne scasb");
    expect(scan.r(EDI)).toBe(0x1006);
    expect(scan.r(ECX)).toBe(7);
    expect(scan.zf).toBe(ZF);
  });

  it('yields after REP_CHUNK iterations and resumes at the same instruction', () => {
    const b = setup('mov ax, 0x2000\nmov es, ax\nmov di, 0\nmov cx, 0xFFFF\nrep stosb\nhlt');
    for (let i = 0; i < 4; i++) step(b.cpu);
    const rep = b.cpu.s.eip;
    expect(step(b.cpu)).toBe(false);
    expect(b.cpu.s.eip).toBe(rep);
    expect(getReg(b.cpu.s, 16, ECX)).toBe(0xffff - REP_CHUNK);
    const before = b.cpu.s.icount;
    b.runToHalt();
    expect(getReg(b.cpu.s, 16, ECX)).toBe(0);
    expect(b.cpu.s.icount - before).toBe(2); // the REP retires once, then HLT
  });
});
