// Progress of one long operation (take, revert or delete a snapshot, export or import a VM) as
// 'operation.progress' events, at a bounded rate, for the renderer's progress bars.
import type { OperationProgress, ProgressOperation, ProgressPhase } from '../../shared/api';

/** Shortest time between two events of one operation, except phase changes and the end (ms). */
export const PROGRESS_INTERVAL_MS = 50;

/**
 * Where an operation tells that it starts a phase, or item `index` of `count` of a phase over
 * several; awaiting it lets the event out before the synchronous work that follows.
 */
export type ProgressStep = (
  phase: ProgressPhase,
  item?: { index: number; count: number },
) => Promise<void>;

/** The steps no one is shown (the CLI, tests). */
export const quietProgress: ProgressStep = async () => {};

/**
 * Reports the steps of one operation of `phases` phases (before 'done'). A phase over several
 * items counts as one step per item from its first call on. Events come at most every
 * PROGRESS_INTERVAL_MS; a new phase and 'done' always go out.
 */
export function progressReporter(
  emit: (progress: OperationProgress) => void,
  vmId: string | null,
  operation: ProgressOperation,
  phases: number,
  now: () => number = () => performance.now(),
): ProgressStep {
  let total = phases;
  let started = 0;
  const itemized = new Set<ProgressPhase>();
  let lastPhase: ProgressPhase | null = null;
  let lastAt = Number.NEGATIVE_INFINITY;
  return async (phase, item) => {
    if (item && !itemized.has(phase)) {
      itemized.add(phase);
      total += Math.max(0, item.count - 1);
    }
    // A step's event tells how many steps came before it; 'done' has them all.
    const done = phase === 'done' ? total : Math.min(started, total);
    if (phase !== 'done') started++;
    const at = now();
    if (phase === lastPhase && phase !== 'done' && at - lastAt < PROGRESS_INTERVAL_MS) return;
    lastPhase = phase;
    lastAt = at;
    emit({ vmId, operation, phase, done, total, ...(item ? { item } : {}) });
    // The encoders and decoders that follow hold the event loop; one turn of it first lets
    // this event reach the IPC or WebSocket clients.
    if (phase !== 'done') await new Promise<void>((resolve) => setImmediate(resolve));
  };
}

/** Runs `work` with a progress reporter; 'done' goes out however it ends, failure included. */
export async function withProgress<T>(
  emit: (progress: OperationProgress) => void,
  vmId: string | null,
  operation: ProgressOperation,
  phases: number,
  work: (step: ProgressStep) => Promise<T>,
): Promise<T> {
  const step = progressReporter(emit, vmId, operation, phases);
  try {
    return await work(step);
  } finally {
    await step('done');
  }
}
