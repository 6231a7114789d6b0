// Runs batches of generated cases in a harness ROM under Bochs or QEMU and returns the result lines the harness prints on port 0xE9.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const BOCHSRC = (rom, log) =>
  [
    'megs: 4',
    `romimage: file=${rom}`,
    'vgaromimage: file=/usr/share/vgabios/vgabios.bin',
    'display_library: rfb, options="timeout=0"',
    'port_e9_hack: enabled=1',
    `log: ${log}`,
    'panic: action=report',
    'error: action=report',
    // Without these two, Debian's Bochs 2.7 aborts in its mixer thread.
    'sound: driver=dummy',
    'plugin_ctrl: speaker=0',
    '',
  ].join('\n');

/**
 * Assembles `harness` with `includes` (file name -> text) in `dir`, runs it under `emulator`
 * and returns the lines that start with "V ", one per case; throws unless there are `count`.
 */
export function runRom(dir, harness, includes, count, emulator) {
  for (const [name, text] of Object.entries(includes)) writeFileSync(join(dir, name), text);
  const rom = join(dir, 'rom.bin');
  execFileSync('nasm', [
    '-f',
    'bin',
    '-I',
    `${dir}/`,
    '-I',
    `${dirname(harness)}/`,
    harness,
    '-o',
    rom,
  ]);
  let out;
  if (emulator === 'bochs') {
    const rc = join(dir, 'bochsrc');
    writeFileSync(rc, BOCHSRC(rom, join(dir, 'bochs.log')));
    // Through files: with pipes Bochs stalls once 64 KiB of output is pending.
    const o = join(dir, 'out.txt');
    spawnSync('sh', ['-c', `echo c | bochs -q -f '${rc}' > '${o}' 2> /dev/null`], {
      timeout: 120000,
    });
    out = readFileSync(o, 'latin1');
  } else {
    out = spawnSync(
      'qemu-system-i386',
      [
        ...['-nographic', '-no-reboot', '-monitor', 'none', '-serial', 'none'],
        ...['-debugcon', 'stdio', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04'],
        ...['-bios', rom],
      ],
      { encoding: 'latin1', timeout: 120000 },
    ).stdout;
  }
  const results = out.split('\n').filter((l) => l.startsWith('V '));
  if (results.length !== count || !out.includes('END')) {
    throw new Error(`emulator returned ${results.length} of ${count} results`);
  }
  return results;
}

/** Bytes as a lower-case hex string. */
export const hex = (a) => a.map((b) => b.toString(16).padStart(2, '0')).join('');
