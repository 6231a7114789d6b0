import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { assemble } from '../../engine';
import { multibootElf } from '../../engine/firmware/multiboot-elf';
import { main } from './main';

let out: string;
let err: string;
let dir: string;
beforeEach(() => {
  out = '';
  err = '';
  dir = mkdtempSync(join(tmpdir(), 'vmlab-cli-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(
    (chunk: string | Uint8Array, cb?: unknown) => {
      out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1');
      if (typeof cb === 'function') cb();
      return true;
    },
  );
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += chunk.toString();
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function source(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Writes the 512-byte boot image of an example, assembled by vmlab, to `img`. */
function execNasmFree(img: string, example: string): void {
  const r = assemble(readFileSync(example, 'utf8'));
  if (!r.ok) throw new Error('example does not assemble');
  writeFileSync(img, r.bytes);
}

const BOOT = (body: string) => `bits 16\norg 0x7C00\n${body}\ntimes 510-($-$$) db 0\ndw 0xAA55\n`;

describe('vmlab run', () => {
  it('runs examples/hello.asm: the greeting on stdout, status 0 at the halt', async () => {
    expect(await main(['run', 'examples/hello.asm'])).toBe(0);
    expect(out).toContain('Hello from vmlab!');
    expect(err).toBe('');
  });

  it('reads %include files beside the source it runs', async () => {
    source('exit.inc', 'STATUS equ 0x10\n');
    const file = source('inc.asm', BOOT('%include "exit.inc"\nmov al, STATUS\nout 0xF4, al\nhlt'));
    expect(await main(['run', file])).toBe(0x21);
  });

  it('returns the exit-port status (v << 1) | 1', async () => {
    const file = source('exit.asm', BOOT('mov al, 0x10\nout 0xF4, al\nhlt'));
    expect(await main(['run', file])).toBe(0x21);
  });

  it('loads a .bin whole at 0x7C00 with DL = 0x80', async () => {
    // mov al, dl; out 0xF4, al  -> status (0x80 << 1 | 1) & 0xFF as the process sees it
    const bin = join(dir, 'dl.bin');
    writeFileSync(bin, Buffer.from([0x88, 0xd0, 0xe6, 0xf4, 0xf4]));
    expect((await main(['run', bin])) & 0xff).toBe(((0x80 << 1) | 1) & 0xff);
  });

  it('stops with status 2 and a clear message on an unimplemented instruction', async () => {
    // FLD1 (D9 E8): a real 486 has an x87, vmlab has none yet; it must be reported, not skipped.
    const bin = join(dir, 'fpu.bin');
    writeFileSync(bin, Buffer.from([0x90, 0xd9, 0xe8]));
    expect(await main(['run', bin])).toBe(2);
    expect(err).toMatch(/^vmlab: .*\b(unimplemented|not implemented)\b.* at 0000:7C01/im);
  });

  it('bounds a spinning guest by instructions and by time', async () => {
    expect(await main(['run', 'examples/spin.asm', '--max-instructions', '5000'])).toBe(124);
    expect(err).toContain('stopped at the instruction limit (5000 instructions)');
    err = '';
    expect(await main(['run', 'examples/spin.asm', '--timeout', '0.2'])).toBe(124);
    expect(err).toContain('stopped by the timeout');
  });

  it('prints assembler diagnostics as file:line:column and fails with status 1', async () => {
    const file = source('bad.asm', BOOT('mov ax, nowhere'));
    expect(await main(['run', file])).toBe(1);
    expect(err).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: error: `, 'm'),
    );
  });

  it('follows an error inside a macro down to the macro body, as nasm does', async () => {
    const file = source('macro.asm', BOOT('%macro load 1\n  mov ax, %1 %1\n%endmacro\nload 5'));
    expect(await main(['run', file])).toBe(1);
    const lines = err.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/macro\.asm:6:1: error: /);
    expect(lines[1]).toMatch(/macro\.asm:4:\d+: \.\.\. from macro `load' defined here$/);
  });

  it('explains bad usage instead of crashing', async () => {
    expect(await main(['run'])).toBe(1);
    expect(err).toContain('expected one FILE to run, got none');
    expect(await main(['run', join(dir, 'missing.asm')])).toBe(1);
    expect(err).toContain('no such file');
    expect(await main(['run', 'examples/hello.asm', '--max-instructions', '12abc'])).toBe(1);
    expect(err).toContain('--max-instructions must be a whole number from 1 to');
    expect(await main(['frobnicate'])).toBe(1);
    expect(err).toContain("unknown command 'frobnicate'");
    expect(await main(['run', 'examples/hello.asm', '--bogus'])).toBe(1);
    expect(err).toMatch(/bogus/);
  });
});

describe('vmlab run: the PC platform flags', () => {
  it('boots a disk image through the firmware with --disk alone and dumps the screen', async () => {
    const img = join(dir, 'timer.img');
    execNasmFree(img, 'examples/timer.asm');
    expect(await main(['run', '--disk', img, '--vga-dump', '--stats'])).toBe(0);
    expect(out).toContain('tick 4\r\ndone\r\n');
    expect(out).toContain('\nPIT at 100 Hz, IRQ 0 at vector 20h\ntick 1\n');
    expect(err).toMatch(/^icount: \d+$/m);
    expect(err).toMatch(/^virtual time: \d+\.\d{3} ms$/m);
    expect(err).toMatch(/^interrupts: .*irq0=100/m);
  });

  it('sends COM1 to a file with --serial FILE and takes --memory sizes with units', async () => {
    const log = join(dir, 'com1.txt');
    expect(await main(['run', 'examples/hello.asm', '--serial', log, '--memory', '16M'])).toBe(0);
    expect(readFileSync(log, 'latin1')).toBe('Hello from vmlab!\r\n');
    expect(out).toBe('');
    expect(await main(['run', 'examples/hello.asm', '--memory', '3G'])).toBe(1);
    expect(err).toContain('--memory must be a size from 1M to 2G');
    expect(await main(['run', 'examples/hello.asm', '--memory', '1G', '--serial', 'stdio'])).toBe(
      0,
    );
  });

  it('attaches disks for a boot sector that reads them with int 13h', async () => {
    const img = join(dir, 'data.img');
    writeFileSync(
      img,
      Buffer.concat([Buffer.alloc(512), Buffer.from('disk says hi\0'.padEnd(512, '\0'))]),
    );
    const file = source(
      'read.asm',
      BOOT(
        'xor ax, ax\nmov ds, ax\nmov es, ax\nmov ax, 0x0201\nmov cx, 2\nmov dx, 0x80\nmov bx, 0x600\nint 0x13\nmov si, 0x600\n.n: lodsb\ntest al, al\njz .d\nout 0xE9, al\njmp .n\n.d: cli\nhlt',
      ),
    );
    expect(await main(['run', file, '--disk', img])).toBe(0);
    expect(out).toBe('disk says hi');
    expect(await main(['run', '--disk', join(dir, 'nope.img')])).toBe(1);
    expect(err).toContain('no such file');
  });

  it('loads a Multiboot kernel with --kernel and --cmdline', async () => {
    const elf = join(dir, 'k.elf');
    writeFileSync(
      elf,
      multibootElf(
        'mov esi, [ebx + 16]\n.n: mov al, [esi]\ntest al, al\njz .d\nout 0xE9, al\ninc esi\njmp .n\n.d: mov al, 1\nout 0xF4, al',
      ),
    );
    expect(await main(['run', '--kernel', elf, '--cmdline', 'console=ttyS0'])).toBe(3);
    expect(out).toBe('console=ttyS0');
  });

  it('exits with status 2 and a one-screen report on a triple fault', async () => {
    // Protected mode with an empty IDT: the first exception cannot be delivered at all.
    const file = source('tf.asm', BOOT('cli\nlidt [idt]\nint 3\nidt: dw 0\ndd 0'));
    const status = await main(['run', file]);
    expect(status).toBe(2);
    expect(err).toMatch(/triple fault/);
    expect(err).toMatch(/EAX=[0-9A-F]{8}/);
    expect(err.split('\n').length).toBeLessThan(25);
  });
});

describe('vmlab asm', () => {
  it('writes the flat binary, named as nasm names it', async () => {
    const file = source('boot.asm', BOOT('cli\nhlt'));
    expect(await main(['asm', file])).toBe(0);
    const bytes = readFileSync(join(dir, 'boot'));
    expect(bytes.length).toBe(512);
    expect([...bytes.subarray(0, 2)]).toEqual([0xfa, 0xf4]);
    expect(await main(['asm', file, '-o', join(dir, 'x.bin')])).toBe(0);
    expect(readFileSync(join(dir, 'x.bin'))).toEqual(bytes);
  });

  it('reports every error with its position and writes nothing', async () => {
    const file = source('two.asm', 'bits 16\nmov ax, nowhere\nmov al, bx\n');
    expect(await main(['asm', file, '-o', join(dir, 'two.bin')])).toBe(1);
    expect(err.match(/: error: /g)).toHaveLength(2);
    expect(err).toContain(`${file}:2:`);
    expect(err).toContain(`${file}:3:`);
    expect(existsSync(join(dir, 'two.bin'))).toBe(false);
  });
});

describe('the installed command', () => {
  const built = existsSync('out/main/cli.js');
  it.runIf(built)('bin/vmlab.mjs runs examples/hello.asm from a terminal', () => {
    const r = spawnSync(process.execPath, ['bin/vmlab.mjs', 'run', 'examples/hello.asm'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Hello from vmlab!');
  });
  it.runIf(built)('bin/vmlab.mjs --help prints the usage', () => {
    const r = spawnSync(process.execPath, ['bin/vmlab.mjs', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: vmlab <command>');
  });
});

describe('vmlab asm -l and vmlab disasm', () => {
  it('writes a listing in nasm layout and reads %include files beside the source', async () => {
    source('defs.inc', 'VALUE equ 0x1234\n');
    const file = source('list.asm', 'bits 16\n%include "defs.inc"\nstart: mov ax, VALUE\n');
    const lst = join(dir, 'list.lst');
    expect(await main(['asm', file, '-o', join(dir, 'list.bin'), '-l', lst, '-f', 'bin'])).toBe(0);
    expect(readFileSync(lst, 'utf8')).toContain(
      '     3 00000000 B83412                  start: mov ax, VALUE',
    );
    expect(await main(['asm', file, '-f', 'elf'])).toBe(1);
  });

  it('disassembles like ndisasm, with -b and -o', async () => {
    const file = source('code.bin', '');
    writeFileSync(file, Uint8Array.from([0xb8, 0x34, 0x12, 0xeb, 0xfe, 0x0f]));
    expect(await main(['disasm', file, '-b', '16', '-o', '0x7c00'])).toBe(0);
    expect(out).toBe(
      '00007C00  B83412            mov ax,0x1234\n00007C03  EBFE              jmp short 0x7c03\n00007C05  0F                db 0x0f\n',
    );
    expect(await main(['disasm', file, '-b', '64'])).toBe(1);
  });
});

describe('vmlab run with snapshots', () => {
  it('saves at an instruction count and continues from the file exactly as an unbroken run', async () => {
    expect(await main(['run', 'examples/hello.asm', '--memory', '4'])).toBe(0);
    const whole = out;
    out = '';
    const snap = join(dir, 'early.vmsnap');
    expect(
      await main([
        'run',
        'examples/hello.asm',
        '--memory',
        '4',
        '--max-instructions',
        '120',
        '--save-snapshot',
        snap,
      ]),
    ).toBe(0);
    expect(err).toContain(`saved a snapshot at instruction 120 to ${snap}`);
    const first = out;
    out = '';
    err = '';
    expect(await main(['run', '--restore-snapshot', snap, '--stats'])).toBe(0);
    expect(first + out).toBe(whole);
    expect(err).toMatch(/^icount: \d+$/m);
  });

  it('bounds a restored run by instructions counted from the snapshot', async () => {
    const snap = join(dir, 'spin.vmsnap');
    await main([
      'run',
      'examples/spin.asm',
      '--memory',
      '2',
      '--max-instructions',
      '5000',
      '--save-snapshot',
      snap,
    ]);
    err = '';
    expect(await main(['run', '--restore-snapshot', snap, '--max-instructions', '1000'])).toBe(124);
    expect(err).toContain('stopped at the instruction limit (6000 instructions)');
  });

  it('keeps disk writes in the snapshot, leaves the image as it was, and refuses another image', async () => {
    // Twenty rounds of: read sector 2, print its first byte on port E9h, increment, write back.
    const round =
      'mov ax, 0x0201\nmov bx, 0x8000\nmov cx, 3\nmov dx, 0x80\nint 0x13\nmov al, [0x8000]\n' +
      'out 0xE9, al\ninc byte [0x8000]\nmov ax, 0x0301\nmov bx, 0x8000\nmov cx, 3\nmov dx, 0x80\nint 0x13\n';
    const guest = assemble(
      `${BOOT(`xor ax, ax\nmov ds, ax\nmov es, ax\nmov si, 20\nagain:\n${round}dec si\njnz again\nmov al, 0\nout 0xF4, al`)}` +
        "times 512 db 0\ndb 'A'\ntimes 511 db 0\n",
    );
    if (!guest.ok) throw new Error('guest does not assemble');
    const img = join(dir, 'disk.img');
    writeFileSync(img, guest.bytes);
    const snap = join(dir, 'disk.vmsnap');
    expect(
      await main([
        'run',
        '--disk',
        img,
        '--memory',
        '2',
        '--max-instructions',
        '200',
        '--save-snapshot',
        snap,
      ]),
    ).toBe(0);
    const first = out;
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(20);
    expect(err).toMatch(
      /the guest's 1 written disk sectors are in the snapshot, not in the disk images/,
    );
    expect(readFileSync(img)[1024]).toBe(0x41);
    out = '';
    expect(await main(['run', '--restore-snapshot', snap, '--disk', img])).toBe(1);
    expect(first + out).toBe('ABCDEFGHIJKLMNOPQRST');
    expect(readFileSync(img)[1024]).toBe(0x41 + 20); // a run without a snapshot writes through

    out = '';
    err = '';
    expect(await main(['run', '--restore-snapshot', snap, '--disk', img])).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('disk 0 is not the disk the state was saved with');
  });

  it('refuses a file that is not a snapshot, saying so', async () => {
    const bad = source('bad.vmsnap', 'definitely not a snapshot');
    expect(await main(['run', '--restore-snapshot', bad])).toBe(1);
    expect(err).toContain(
      `cannot restore ${bad}: snapshot file is not a vmlab snapshot (wrong magic number)`,
    );
    expect(await main(['run', 'examples/hello.asm', '--restore-snapshot', bad])).toBe(1);
    expect(err).toContain('give one of FILE, --kernel or --restore-snapshot');
  });
});

describe('vmlab snapshot', () => {
  it('saves, lists, restores and branches the snapshots of a library VM', async () => {
    const { VmLibrary } = await import('../services/vm-library');
    const lib = new VmLibrary(join(dir, 'lib'));
    await lib.open();
    const echo = readFileSync('examples/echo.asm', 'utf8');
    await lib.create({ name: 'Echo VM', source: echo, memoryMiB: 4 });
    const at = ['--data-dir', join(dir, 'lib')];

    expect(await main(['snapshot', 'save', 'Echo VM', 'booted', ...at])).toBe(0);
    expect(out).toMatch(/saved 'booted' \(snap-[0-9a-f]{8}\) at instruction 0/);
    out = '';
    expect(
      await main(['snapshot', 'save', 'Echo VM', 'later', '--max-instructions', '5000', ...at]),
    ).toBe(0);
    expect(out).toContain('echo: type something');
    expect(out).toMatch(/saved 'later' .* at instruction 5000/);
    out = '';
    expect(await main(['snapshot', 'restore', 'Echo VM', 'booted', ...at])).toBe(0);
    expect(out).toContain("Echo VM is now at 'booted' (instruction 0)");
    out = '';
    expect(
      await main(['snapshot', 'save', 'Echo VM', 'branch', '--max-instructions', '10', ...at]),
    ).toBe(0);
    out = '';
    expect(await main(['snapshot', 'list', 'Echo VM', ...at])).toBe(0);
    expect(out).toMatch(/^ {2}booted .*instruction 0$/m);
    expect(out).toMatch(/^ {4}later .*instruction 5000$/m);
    expect(out).toMatch(/^\* {3}branch .*instruction 10$/m);
  });

  it('says clearly when the VM or snapshot does not exist', async () => {
    const at = ['--data-dir', join(dir, 'empty')];
    expect(await main(['snapshot', 'list', 'Ghost', ...at])).toBe(1);
    expect(err).toContain("no VM named 'Ghost'");
    expect(await main(['snapshot', 'frobnicate', 'Ghost', ...at])).toBe(1);
  });
});
