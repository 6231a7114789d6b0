import { describe, expect, it } from 'vitest';
import { assemble } from '../assembler/assembler';
import { MemoryDisk } from '../disks/memory-disk';
import { createPcMachine } from '../machine/pc-machine';
import { MP_FLOATING_POINTER } from './mp-table';

/** Boots `body` (16-bit, at 7C00h) with a 64-sector disk whose sector n is filled with n. */
function boot(body: string, options: { memoryMiB?: number } = {}) {
  const out = assemble(`bits 16\norg 0x7C00\n${body}\ncli\nhlt\n`);
  if (!out.ok) throw new Error(out.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n'));
  const image = new Uint8Array(64 * 512);
  for (let s = 0; s < 64; s++) image.fill(s, s * 512, s * 512 + 512);
  const disk = new MemoryDisk(image);
  const text = { com1: '', debug: '', screen: '' };
  const m = createPcMachine({
    memoryMiB: options.memoryMiB ?? 4,
    console: { write: (port, b) => (text[port] += String.fromCharCode(b)) },
    disks: [disk],
  });
  m.loadBootSector(out.bytes);
  return { m, disk, text, run: (n = 2_000_000) => m.run(n), regs: () => m.saveState().cpu.regs };
}

const mem = (m: ReturnType<typeof boot>['m']) => m.saveState().memory;

describe('int 13h disk services', () => {
  it('reads CHS sectors into ES:BX and reports AH=0, CF=0', () => {
    const t = boot(
      'xor ax, ax\nmov es, ax\nmov ax, 0x0202\nmov cx, 0x0003\nxor dh, dh\nmov bx, 0x1000\nint 0x13\nsbb si, si',
    );
    expect(t.run()).toEqual({ reason: 'halted', interruptsEnabled: false });
    const memory = mem(t.m);
    expect([memory[0x1000], memory[0x1200], memory[0x13ff]]).toEqual([2, 3, 3]);
    expect(t.regs()[0]! & 0xffff).toBe(0x0002);
    expect(t.regs()[6]! & 0xffff).toBe(0); // CF clear
  });

  it('reads and writes with the EDD extensions and checks for them', () => {
    const t = boot(`
      mov ah, 0x41
      mov bx, 0x55AA
      mov dl, 0x80
      int 0x13
      mov bp, bx
      mov ah, 0x42
      mov si, dap
      int 0x13
      mov byte [0x2000], 0xEE
      mov ah, 0x43
      mov si, dap
      int 0x13
      mov ah, 0x42
      mov word [dap + 8], 99    ; past the end of the disk
      mov si, dap
      int 0x13
      mov [status], ax
      jmp end
    dap: db 16, 0
      dw 1, 0x2000, 0
      dq 7
    result: dw 0
    status: dw 0
    end:`);
    t.run();
    const memory = mem(t.m);
    t.m.commitDisks(); // the guest's writes wait in the machine's overlay until then
    expect(t.disk.bytes[7 * 512]).toBe(0xee);
    expect(memory[0x2001]).toBe(7);
    expect((t.regs()[0]! >>> 8) & 0xff).toBe(0x04); // sector not found
    expect(t.regs()[5]! & 0xffff).toBe(0xaa55); // extensions present
  });

  it('reports the geometry (AH=08h) and the drive parameters (AH=48h)', () => {
    const t = boot(
      'mov ah, 0x08\nmov dl, 0x80\nint 0x13\nmov di, dx\nmov ah, 0x48\nmov dl, 0x80\nmov si, 0x3000\nmov word [si], 0x1A\nint 0x13',
    );
    t.run();
    const r = t.regs();
    expect(r[1]! & 0x3f).toBe(63); // sectors per track in CL
    expect((r[2]! >> 8) & 0xff).toBe(15); // max head in DH
    expect(r[7]! & 0xff).toBe(1); // one drive
    const memory = mem(t.m);
    expect(memory[0x3010]).toBe(64); // total sectors
  });

  it('fails on a drive that does not exist', () => {
    const t = boot(
      'mov ah, 0x02\nmov al, 1\nmov cx, 1\nmov dx, 0x0081\nmov bx, 0x1000\nint 0x13\nsbb si, si',
    );
    t.run();
    expect(t.regs()[6]! & 0xffff).toBe(0xffff);
  });
});

describe('int 15h, int 12h and int 1Ah', () => {
  it('returns the E820 map entry by entry and the memory sizes', () => {
    const t = boot(
      `
      xor ebx, ebx
      mov di, 0x4000
    .next:
      mov eax, 0xE820
      mov ecx, 24
      mov edx, 0x534D4150
      int 0x15
      add di, 24
      test ebx, ebx
      jnz .next
      int 0x12
      mov si, ax`,
      { memoryMiB: 32 },
    );
    t.run();
    const m = mem(t.m);
    const v = new DataView(m.buffer, m.byteOffset);
    const entries = [];
    for (let i = 0; i < 7; i++) {
      entries.push([
        v.getUint32(0x4000 + i * 24, true),
        v.getUint32(0x4008 + i * 24, true),
        v.getUint32(0x4010 + i * 24, true),
      ]);
    }
    expect(entries[0]).toEqual([0, 0x9fc00, 1]);
    expect(entries[3]).toEqual([0x100000, 31 * 1024 * 1024, 1]);
    expect(entries[6]).toEqual([0xfffc0000, 0x40000, 2]);
    expect(t.regs()[6]! & 0xffff).toBe(639);
  });

  it('disables, queries and enables A20 (AX=2400h-2402h), and A20 off really wraps', () => {
    const t = boot(`
      mov ax, 0x2400
      int 0x15
      mov ax, 0x2402
      int 0x15
      mov cl, al
      mov ax, 0xFFFF
      mov es, ax
      mov byte [es:0x10], 0x5A    ; FFFF:0010 = 100000h wraps to 0
      mov ax, 0x2401
      int 0x15
      mov ax, 0x2402
      int 0x15
      mov ch, al`);
    t.run();
    expect(t.regs()[1]! & 0xffff).toBe(0x0100);
    expect(mem(t.m)[0]).toBe(0x5a);
  });

  it('counts PIT ticks in the BDA and returns them with int 1Ah', () => {
    const t = boot('sti\nmov cx, 3\n.w: hlt\nloop .w\nxor ah, ah\nint 0x1A\nmov si, dx');
    t.run();
    expect(t.regs()[6]! & 0xffff).toBe(3);
    expect(t.m.stats().virtualTimeNs).toBeGreaterThan(3 * 54e6);
  });

  it('reads the RTC date (int 1Ah AH=04h) from the fixed default epoch', () => {
    const t = boot('mov ah, 0x04\nint 0x1A');
    t.run();
    expect(t.regs()[1]! & 0xffff).toBe(0x2026);
    expect(t.regs()[2]! & 0xffff).toBe(0x0101);
  });
});

describe('int 16h keyboard', () => {
  it('waits for a key with the CPU halted, then returns scancode and ASCII', () => {
    const t = boot('xor ah, ah\nint 0x16\nmov si, ax\nmov ah, 0x01\nint 0x16\nsetz bl');
    expect(t.run(100).reason).toBe('budget'); // idle: waiting in int 16h, woken by each tick
    expect(t.m.icount).toBeLessThan(100);
    expect(t.m.stats().virtualTimeNs).toBeGreaterThan(0.5e9); // the idle time was skipped
    t.m.typeText([0x61]);
    expect(t.run()).toEqual({ reason: 'halted', interruptsEnabled: false });
    expect(t.regs()[6]! & 0xffff).toBe(0x1e61);
    expect(t.regs()[3]! & 0xff).toBe(1); // buffer empty again
  });

  it('tracks Shift and delivers host key events', () => {
    const t = boot('xor ah, ah\nint 0x16\nmov si, ax\nxor ah, ah\nint 0x16\nmov di, ax');
    t.m.typeText([0x41]);
    t.m.keyEvent('Enter', true);
    t.m.keyEvent('Enter', false);
    t.run();
    expect(t.regs()[6]! & 0xffff).toBe(0x1e41);
    expect(t.regs()[7]! & 0xffff).toBe(0x1c0d);
  });
});

describe('int 10h video services', () => {
  it('sets and gets the cursor, writes strings with attributes and scrolls windows', () => {
    const t = boot(`
      mov ah, 0x02
      xor bh, bh
      mov dx, 0x0205
      int 0x10
      mov ax, 0x0941
      mov bx, 0x001E
      mov cx, 3
      int 0x10
      mov ax, 0x1301
      mov bx, 0x0007
      mov cx, 2
      mov dx, 0x0300
      push cs
      pop es
      mov bp, msg
      int 0x10
      mov ah, 0x03
      int 0x10
      mov si, dx
      mov ax, 0x0701
      mov bh, 0x07
      xor cx, cx
      mov dx, 0x184F
      int 0x10
      jmp end
    msg: db 'Hi'
    end:`);
    t.run();
    const screen = t.m.screen();
    expect(screen.lines[3]).toBe('     AAA');
    expect(screen.lines[4]).toBe('Hi');
    expect(screen.cells[3 * 80 + 5]).toBe(0x1e41);
    expect(t.regs()[6]! & 0xffff).toBe(0x0302);
    expect(screen.cursor).toEqual({ row: 3, column: 2, visible: true });
  });
});

describe('MP tables', () => {
  it('puts a checksummed floating pointer in F0000h-FFFFFh and a table naming CPU, ISA bus and I/O APIC', () => {
    const t = boot('nop');
    const m = mem(t.m);
    const sum = (a: number, n: number) => m.slice(a, a + n).reduce((x, y) => x + y, 0) & 0xff;
    let fp = -1;
    for (let a = 0xf0000; a < 0x100000; a += 16) {
      if (String.fromCharCode(...m.slice(a, a + 4)) === '_MP_' && sum(a, 16) === 0) fp = a;
    }
    expect(fp).toBe(MP_FLOATING_POINTER);
    const table = m[fp + 4]! | (m[fp + 5]! << 8) | (m[fp + 6]! << 16);
    const length = m[table + 4]! | (m[table + 5]! << 8);
    expect(String.fromCharCode(...m.slice(table, table + 4))).toBe('PCMP');
    expect(sum(table, length)).toBe(0);
    const types = [];
    let at = table + 44;
    while (at < table + length) {
      types.push(m[at]!);
      at += m[at] === 0 ? 20 : 8;
    }
    expect(types.filter((x) => x === 0)).toHaveLength(1);
    expect(types.filter((x) => x === 2)).toHaveLength(1);
    expect(types.filter((x) => x === 3)).toHaveLength(16);
    expect(types.filter((x) => x === 4)).toHaveLength(2);
  });
});
