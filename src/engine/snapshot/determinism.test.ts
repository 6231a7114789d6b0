// Snapshot determinism for every example guest: run N instructions, save to a snapshot file,
// restore into a fresh machine, finish; output, icount and final memory equal an unbroken run.
// Cuts are spread evenly over each run; determinism-edges.test.ts cuts at the awkward moments
// on purpose (interrupt pending, between REP chunks, IDE data waiting, disk written).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../assembler/assembler';
import { MemoryDisk } from '../disks/memory-disk';
import type { Machine, MachineState } from '../machine/machine';
import { createPcMachine } from '../machine/pc-machine';
import { checksum32 } from './checksum';
import { readSnapshot, writeSnapshot } from './snapshot-file';

const EXAMPLES = ['hello', 'timer', 'pm-hello', 'kernel'];
const CUTS = 12;

function boot(image: Uint8Array) {
  const out = { text: '' };
  const machine = createPcMachine({
    memoryMiB: 16,
    console: {
      write(port, byte) {
        out.text += `${port[0]}${String.fromCharCode(byte)}`;
      },
    },
    disks: [new MemoryDisk(image)],
  });
  machine.bootFromDisk();
  return { machine, out };
}

function finish(machine: Machine): void {
  let r = machine.run(1_000_000);
  while (r.reason === 'budget' && machine.icount < 100_000_000) r = machine.run(1_000_000);
  expect(r.reason).toBe('halted');
}

describe.each(EXAMPLES)('snapshots of examples/%s.asm', (name) => {
  const image = assemble(readFileSync(join('examples', `${name}.asm`), 'utf8')).bytes;
  const reference = boot(image);
  finish(reference.machine);
  const total = reference.machine.icount;
  const finalMemory = checksum32(reference.machine.saveState().memory);

  it(`continues exactly from ${CUTS} points across the run`, () => {
    for (let i = 1; i <= CUTS; i++) {
      const cut = Math.floor((total * i) / (CUTS + 1));
      const first = boot(image);
      first.machine.run(cut);
      const { file } = writeSnapshot(
        { id: `cut-${i}`, name: `cut ${i}`, createdAt: '' },
        first.machine.saveState(),
      );
      const second = boot(image);
      second.out.text = '';
      second.machine.loadState(readSnapshot<MachineState>(file).state);
      finish(second.machine);
      expect(first.out.text + second.out.text, `cut at ${cut}`).toBe(reference.out.text);
      expect(second.machine.icount, `cut at ${cut}`).toBe(total);
      expect(checksum32(second.machine.saveState().memory), `cut at ${cut}`).toBe(finalMemory);
    }
  });
});
