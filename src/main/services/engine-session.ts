// One running VM seen from the service: its engine host link, its last status, and
// commands answered in order by the host's acknowledgements.
import { ApiError, type ApiEvents, type RunStatus } from '../../shared/api';
import type { HostCommand, HostEvent, HostLink } from '../engine-host/protocol';

type Ack = Extract<HostEvent, { type: 'ack' }>;

/** How long a host may take to answer a command before the service gives up on it (ms). */
export const COMMAND_TIMEOUT_MS = 2000;

type Emit = <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]) => void;

interface Waiter {
  resolve: (ack: Ack) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class EngineSession {
  status: RunStatus;
  private readonly waiters: Waiter[] = [];
  private closed = false;

  constructor(
    readonly vmId: string,
    private readonly link: HostLink,
    private readonly emit: Emit,
  ) {
    this.status = { vmId, state: 'stopped', icount: 0, ips: 0 };
    link.onEvent((event) => {
      if (this.closed) return;
      switch (event.type) {
        case 'output':
          emit('console.output', { vmId, port: event.port, data: event.data });
          return;
        case 'status':
          this.update(event.status);
          return;
        case 'screen':
          emit('screen.update', { vmId, frame: event.frame });
          return;
        case 'ack': {
          this.update(event.status);
          const waiter = this.waiters.shift();
          if (!waiter) return;
          clearTimeout(waiter.timer);
          if (event.error) waiter.reject(new ApiError('invalid-state', event.error));
          else waiter.resolve(event);
          return;
        }
      }
    });
  }

  /** Sends a command and resolves with the status the host reports after applying it. */
  async command(command: HostCommand, timeoutMs = COMMAND_TIMEOUT_MS): Promise<RunStatus> {
    await this.request(command, timeoutMs);
    return this.status;
  }

  /** Sends a command and resolves with the host's whole acknowledgement. */
  request(command: HostCommand, timeoutMs = COMMAND_TIMEOUT_MS): Promise<Ack> {
    if (this.closed) return Promise.reject(new ApiError('invalid-state', 'the VM is not running'));
    return new Promise<Ack>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.findIndex((w) => w.timer === timer);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new ApiError('internal', `the engine did not answer '${command.type}' in time`));
      }, timeoutMs);
      this.waiters.push({ resolve, reject, timer });
      this.link.post(command);
    });
  }

  /** Ends the host (at once, even mid-slice) and reports the VM stopped. */
  async close(): Promise<RunStatus> {
    if (!this.closed) {
      this.closed = true;
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new ApiError('invalid-state', 'the VM was stopped'));
      }
      await this.link.terminate();
      this.status = { vmId: this.vmId, state: 'stopped', icount: this.status.icount, ips: 0 };
      this.emit('run.status', this.status);
    }
    return this.status;
  }

  private update(status: RunStatus): void {
    // A crashed worker cannot know its VM's id; the session does.
    this.status = { ...status, vmId: this.vmId };
    this.emit('run.status', this.status);
  }
}
