import { describe, expect, it } from 'vitest';
import { UnimplementedError } from '../bus/errors';
import { runGuest } from '../machine/guest-runner';
import { createPcMachine } from '../machine/pc-machine';
import { BIOS_SEGMENT, STUB_OFFSET } from './bios';

const boot = (body: string) => `bits 16\norg 0x7C00\n${body}\ncli\nhlt\n`;

describe('built-in BIOS', () => {
  it('points every IVT vector at a real ROM stub in segment F000h', () => {
    const { state } = runGuest(boot('nop'));
    const mem = state.memory;
    for (const v of [0x00, 0x10, 0x13, 0x16, 0x21, 0xff]) {
      const off = mem[v * 4]! | (mem[v * 4 + 1]! << 8);
      const seg = mem[v * 4 + 2]! | (mem[v * 4 + 3]! << 8);
      expect([seg, off]).toEqual([BIOS_SEGMENT, STUB_OFFSET + v * 4]);
      const stub = (BIOS_SEGMENT << 4) + off;
      expect([...mem.slice(stub, stub + 3)]).toEqual([0xe6, 0xee, 0xcf]); // out 0xEE, al / iret
    }
    expect(mem[0x400]! | (mem[0x401]! << 8)).toBe(0x3f8); // COM1 in the BIOS data area
    expect(mem[0x449]).toBe(3); // video mode
  });

  it('prints through int 10h AH=0Eh to the screen sink and the text buffer', () => {
    const { output, result, state } = runGuest(
      boot("mov ah, 0x0E\nmov al, 'A'\nint 0x10\nmov al, 'B'\nint 0x10"),
    );
    expect(result).toEqual({ reason: 'halted', interruptsEnabled: false });
    expect(output).toEqual({ com1: '', debug: '', screen: 'AB' });
    expect(state.memory[0xb8000]).toBe(0x41);
    expect(state.memory[0xb8002]).toBe(0x42);
    expect(state.memory[0x450]).toBe(2); // cursor column
  });

  it('keeps the caller registers and flags across a BIOS call', () => {
    const { state } = runGuest(
      boot('mov ax, 0x0E41\nmov bx, 7\nmov cx, 0x1234\nstc\nint 0x10\nsbb dx, dx'),
    );
    expect(state.cpu.regs[0]! & 0xffff).toBe(0x0e41);
    expect(state.cpu.regs[1]! & 0xffff).toBe(0x1234);
    expect(state.cpu.regs[2]! & 0xffff).toBe(0xffff);
  });

  it('reports an unimplemented service with its AH and the caller address', () => {
    const { result } = runGuest(boot('nop\nmov ah, 0x03\nint 0x14'));
    expect(result.reason).toBe('error');
    if (result.reason !== 'error') return;
    expect(result.error).toBeInstanceOf(UnimplementedError);
    expect(result.error.kind).toBe('unimplemented-bios');
    expect(result.error.message).toBe('unimplemented BIOS service int 14h AH=03h at 0000:7C03');
  });

  it('reports an unknown int 10h function', () => {
    const { result } = runGuest(boot('mov ah, 0x4F\nmov al, 3\nint 0x10'));
    expect(result.reason === 'error' && result.error.message).toBe(
      'unimplemented BIOS service int 10h AH=4Fh at 0000:7C04',
    );
  });

  it('lets a guest hook int 10h and chain to the BIOS stub', () => {
    const program = boot(
      [
        'xor ax, ax',
        'mov ds, ax',
        'mov ax, [0x10*4]',
        'mov [old], ax',
        'mov ax, [0x10*4+2]',
        'mov [old+2], ax',
        'mov word [0x10*4], hook',
        'mov word [0x10*4+2], 0',
        'mov ax, 0x0E61',
        'int 0x10',
        'jmp done',
        'hook:',
        '  inc word [count]',
        '  sub al, 0x20          ; upper-case before the BIOS prints it',
        '  pushf',
        '  call far [old]',
        '  iret',
        'old: dd 0',
        'count: dw 0',
        'done:',
      ].join('\n'),
    );
    const { output, result } = runGuest(program);
    expect(result.reason).toBe('halted');
    expect(output.screen).toBe('A');
  });

  it('turns an exception with no guest handler into an error naming it', () => {
    const { result } = runGuest(boot('mov bx, 0xFFFF\nmov ax, [bx]'));
    expect(result.reason === 'error' && result.error.kind).toBe('unhandled-exception');
    expect(result.reason === 'error' && result.error.message).toBe(
      'unhandled CPU exception #GP (vector 13) with no guest handler at 0000:7C03',
    );
  });
});

describe('BIOS state', () => {
  it('lives in guest memory, so its own state round-trips as an empty object', () => {
    const m = createPcMachine({ memoryMiB: 1, console: { write() {} } });
    const saved = JSON.parse(JSON.stringify(m.saveState().devices.bios));
    expect(saved).toEqual({});
  });
});
