// Snapshot determinism at the awkward moments, found on purpose rather than by luck: an
// interrupt pending while the guest has them masked, a REP string instruction between two of
// its chunks, an IDE PIO read with its data waiting in the drive, and a disk write done.
import { describe, expect, it } from 'vitest';
import { assemble } from '../assembler/assembler';
import { MemoryDisk } from '../disks/memory-disk';
import type { Machine, MachineState } from '../machine/machine';
import { createPcMachine } from '../machine/pc-machine';
import { checksum32 } from './checksum';
import { readSnapshot, writeSnapshot } from './snapshot-file';

const GUEST = `
bits 16
org 0x7c00
  cli
  xor ax, ax
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov sp, 0x7c00
  mov word [8 * 4], timer       ; IRQ 0 arrives as vector 8 after the BIOS's PIC setup
  mov word [8 * 4 + 2], 0
  mov al, 0x34                  ; PIT channel 0, mode 2, a short period
  out 0x43, al
  mov al, 200
  out 0x40, al
  xor al, al
  out 0x40, al
  in al, 0x21
  and al, 0xfe
  out 0x21, al
  xor cx, cx                    ; 65536 rounds, several PIT periods
masked:                         ; IRQ 0 fires in here and waits: interrupts are off
  loop masked
  sti
  nop
  cli
  mov ax, 0x2000
  mov es, ax
  xor di, di
  mov cx, 60000
  mov al, 0x5a
rep_here:
  rep stosb                     ; 60000 bytes at 2000:0000: several chunks, each its own step
  xor ax, ax
  mov es, ax
  mov dx, 0x1f6                 ; IDE: read sector 1 by polling, LBA28
  mov al, 0xe0
  out dx, al
  mov dx, 0x1f2
  mov al, 1
  out dx, al
  mov dx, 0x1f3
  out dx, al
  xor al, al
  mov dx, 0x1f4
  out dx, al
  mov dx, 0x1f5
  out dx, al
  mov dx, 0x1f7
  mov al, 0x20
  out dx, al
pio_wait:
  in al, dx
  test al, 0x08
  jz pio_wait
pio_data:
  mov dx, 0x1f0
  mov di, 0x8000
  mov cx, 256
  rep insw
  mov si, 0x8000
  mov cx, 8
print:
  lodsb
  out 0xe9, al
  loop print
  inc byte [0x8000]             ; write the sector back changed (int 13h, sector 2 CHS)
  mov ax, 0x0301
  mov bx, 0x8000
  mov cx, 0x0002
  mov dx, 0x0080
  int 0x13
  mov al, [ticks]
  add al, '0'
  out 0xe9, al
  mov al, 0
  out 0xf4, al
timer:
  inc byte [ticks]
  push ax
  mov al, 0x20
  out 0x20, al
  pop ax
  iret
ticks: db 0
times 510-($-$$) db 0
dw 0xaa55
db 'disk I/O'
times 504 db 0
`;

const built = assemble(GUEST);
const label = (name: string) => built.symbols.find((s) => s.name === name)!.value;

function boot() {
  const out = { text: '' };
  const machine = createPcMachine({
    memoryMiB: 2,
    console: {
      write(port, byte) {
        out.text += `${port[0]}${String.fromCharCode(byte)}`;
      },
    },
    disks: [new MemoryDisk(built.bytes)],
  });
  machine.bootFromDisk();
  return { machine, out };
}

function finish(machine: Machine): void {
  let r = machine.run(100_000);
  while (r.reason === 'budget') r = machine.run(100_000);
  expect(r.reason).toBe('exit');
}

/** Steps one instruction (or REP chunk) at a time until `until` holds. */
function stepUntil(machine: Machine, until: () => boolean): void {
  for (let steps = 0; !until(); steps++) {
    expect(machine.run(1).reason).toBe('budget');
    if (steps > 1_000_000) throw new Error('the moment never came');
  }
}

/** Runs through the 65536 rounds of the masked loop at full speed. */
function pastMaskedLoop(machine: Machine): void {
  stepUntil(machine, () => machine.cpu.ip === label('masked'));
  machine.run(65_536);
}

/** Restores `state` through a snapshot file into a fresh machine and runs it to the end. */
function continueFrom(state: MachineState) {
  const { file } = writeSnapshot({ id: 'cut', name: 'cut', createdAt: '' }, state);
  const second = boot();
  second.machine.loadState(readSnapshot<MachineState>(file).state);
  finish(second.machine);
  return second;
}

describe('snapshots at awkward moments', () => {
  expect(built.ok).toBe(true);
  const reference = boot();
  finish(reference.machine);
  const final = checksum32(reference.machine.saveState().memory);

  // Each moment: how to reach it (stepping by instructions, or REP chunks), and what shows it.
  const moments: [string, (m: Machine) => void, (s: MachineState) => void][] = [
    [
      'an interrupt pending while masked',
      (m) => {
        stepUntil(m, () => m.cpu.ip === label('masked'));
        m.run(60_000);
      },
      (s) => expect(s.devices.pic.master.irr & 1).toBe(1),
    ],
    [
      'a REP STOSB between two chunks',
      (m) => {
        pastMaskedLoop(m);
        stepUntil(m, () => m.cpu.ip === label('rep_here'));
        m.run(3);
      },
      (s) => {
        expect(s.cpu.eip).toBe(label('rep_here'));
        expect(s.cpu.regs[1]! & 0xffff).toBeGreaterThan(0);
        expect(s.cpu.regs[1]! & 0xffff).toBeLessThan(60000);
      },
    ],
    [
      'an IDE read with its data waiting',
      (m) => {
        pastMaskedLoop(m);
        stepUntil(m, () => m.cpu.ip === label('pio_data'));
      },
      (s) => expect(s.devices.ide0.bufferLen).toBe(512),
    ],
  ];

  it.each(moments)('continues exactly from %s', (_name, reach, check) => {
    const first = boot();
    reach(first.machine);
    const state = first.machine.saveState();
    check(state);
    const second = continueFrom(state);
    expect(first.out.text + second.out.text).toBe(reference.out.text);
    expect(second.machine.icount).toBe(reference.machine.icount);
    expect(checksum32(second.machine.saveState().memory)).toBe(final);
  });

  it('carries the disk write and the ticks the masked interrupt gave', () => {
    expect(reference.out.text).toBe('dddidsdkd dId/dOd1');
    const state = reference.machine.saveState();
    expect(state.disks?.[0]?.sectors).toEqual([1]);
    expect(state.disks?.[0]?.data[0]).toBe('e'.charCodeAt(0));
  });
});
