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
  /** Replaces the machine's state (a snapshot revert); the run state is kept. */
  | { type: 'load-state'; vmId: string; state: MachineState };

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
 * Buffers a message can hand over instead of copying: guest memory in a captured or restored
 * state is tens of MiB that the sender never uses again.
 */
export function transferablesOf(message: HostCommand | HostEvent): ArrayBuffer[] {
  const state =
    message.type === 'load-state'
      ? message.state
      : message.type === 'ack'
        ? message.state
        : undefined;
  const buffer = state?.memory.buffer;
  // Only a buffer the memory has to itself: transferring detaches every view on it.
  if (!(buffer instanceof ArrayBuffer) || state!.memory.byteLength !== buffer.byteLength) return [];
  return [buffer];
}
