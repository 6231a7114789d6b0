// Snapshot figures for `vmlab bench`: save and restore time and file size for VMs of 16, 64
// and 256 MiB, mostly zero and mostly filled (issue 6's targets are for 64 MiB).
import { readSnapshot, writeSnapshot } from '../../engine';

export interface SnapshotFigure {
  memoryMiB: number;
  content: 'mostly zero' | 'mostly filled';
  saveMs: number;
  restoreMs: number;
  fileBytes: number;
}

/** A guest memory image: 1 MiB of varied bytes in zeros, or varied bytes throughout. */
function memoryImage(mib: number, filled: boolean): Uint8Array {
  const memory = new Uint8Array(mib << 20);
  const words = new Uint32Array(memory.buffer);
  const end = filled ? words.length : (1 << 20) / 4;
  for (let i = 0; i < end; i++) words[i] = Math.imul(i + 1, 2654435761);
  return memory;
}

/**
 * Median save and restore times (ms, wall clock) over `runs` rounds for each size. A restore
 * decodes into guest memory that exists, as a revert does into the VM's RAM.
 */
export function benchSnapshots(runs = 3, sizes = [16, 64, 256]): SnapshotFigure[] {
  const figures: SnapshotFigure[] = [];
  for (const memoryMiB of sizes) {
    for (const filled of [false, true]) {
      const state = { memory: memoryImage(memoryMiB, filled), cpu: { regs: new Uint32Array(8) } };
      const meta = { id: 'bench', name: 'bench', createdAt: new Date(0).toISOString() };
      const saves: number[] = [];
      const restores: number[] = [];
      let fileBytes = 0;
      const vmMemory = new Uint8Array(memoryMiB << 20).fill(0xaa);
      for (let r = 0; r < runs; r++) {
        let t = performance.now();
        const { file } = writeSnapshot(meta, state);
        saves.push(performance.now() - t);
        fileBytes = file.length;
        t = performance.now();
        readSnapshot(file, undefined, vmMemory);
        restores.push(performance.now() - t);
      }
      figures.push({
        memoryMiB,
        content: filled ? 'mostly filled' : 'mostly zero',
        saveMs: median(saves),
        restoreMs: median(restores),
        fileBytes,
      });
    }
  }
  return figures;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
