// Messages between VmService (main thread) and an engine host (worker thread).
import type { MachineState } from '../../engine';
import type { ConsolePort, KeyInput, RunStatus, ScreenFrame } from '../../shared/api';

/** Main thread to engine host. */
export type HostCommand =
  | { type: 'load'; vmId: string; image: Uint8Array; memoryMiB: number }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'reset' }
  | { type: 'step'; count: number }
  | { type: 'input'; data: Uint8Array }
  /** Key presses and releases for the 8042; a guest halted waiting for an interrupt wakes. */
  | { type: 'keys'; keys: KeyInput[] }
  | { type: 'status' }
  /** Captures the machine at an instruction boundary; the ack carries the state. */
  | { type: 'save-state' }
  /**
   * Replaces the machine's state from snapshot files (the snapshot first, then its parents),
   * a revert: the host verifies them and decodes the memory straight into the machine's RAM;
   * the run state is kept.
   */
  | { type: 'load-snapshot'; vmId: string; files: SnapshotFileBytes[] };

/** One snapshot file's bytes, by snapshot id. */
export interface SnapshotFileBytes {
  id: string;
  bytes: Uint8Array;
}

/** Engine host to main thread; every command is answered by one 'ack' carrying the status. */
export type HostEvent =
  | { type: 'output'; port: ConsolePort; data: string }
  | { type: 'status'; status: RunStatus }
  /** The VGA text screen, posted with output batches only when it changed. */
  | { type: 'screen'; frame: ScreenFrame }
  | {
      type: 'ack';
      command: HostCommand['type'];
      status: RunStatus;
      error?: string;
      /** The captured machine, for 'save-state'. */
      state?: MachineState;
    };

/** A bidirectional message link: a worker, a MessagePort, or a test double. */
export interface HostLink {
  post(message: HostCommand): void;
  onEvent(handler: (event: HostEvent) => void): void;
  /** Ends the host at once, even a host stuck in a slice; resolves when it is gone. */
  terminate(): Promise<void>;
}

/**
 * Buffers a message can hand over instead of copying: a captured state's guest memory and
 * the snapshot files of a revert are tens of MiB that the sender never uses again.
 */
export function transferablesOf(message: HostCommand | HostEvent): ArrayBuffer[] {
  if (message.type === 'load-snapshot') return message.files.flatMap((f) => ownBuffer(f.bytes));
  if (message.type === 'ack' && message.state) return ownBuffer(message.state.memory);
  return [];
}

/** The buffer under `bytes` when they fill it: transferring detaches every view on it. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer[] {
  const buffer = bytes.buffer;
  return buffer instanceof ArrayBuffer && bytes.byteLength === buffer.byteLength ? [buffer] : [];
}
