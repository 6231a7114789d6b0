// Ways to reach an engine host: a worker thread (the app) or the same thread (tests).
import { Worker } from 'node:worker_threads';
import { type HostCommand, type HostEvent, type HostLink, transferablesOf } from './protocol';
import { EngineRunner, type RunnerTiming } from './runner';

/**
 * An engine host in its own worker thread, so a spinning guest never blocks the service.
 * `url` is the built worker bundle (see bundle-paths.ts).
 */
export function workerLink(url: URL): HostLink {
  const worker = new Worker(url);
  const handlers: ((event: HostEvent) => void)[] = [];
  worker.on('message', (event: HostEvent) => {
    for (const h of handlers) h(event);
  });
  worker.on('error', (err) => {
    for (const h of handlers) {
      h({
        type: 'status',
        status: {
          vmId: '',
          state: 'error',
          icount: 0,
          ips: 0,
          message: `engine host crashed: ${err.message}`,
        },
      });
    }
  });
  return {
    post: (message: HostCommand) => worker.postMessage(message, transferablesOf(message)),
    onEvent: (handler) => handlers.push(handler),
    terminate: async () => {
      await worker.terminate();
    },
  };
}

/** An engine host on the calling thread, with messages delivered asynchronously like a worker's. */
export function inProcessLink(timing?: Partial<RunnerTiming>): HostLink {
  const handlers: ((event: HostEvent) => void)[] = [];
  let alive = true;
  const runner = new EngineRunner(
    (event) =>
      queueMicrotask(() => {
        if (alive) for (const h of handlers) h(structuredClone(event));
      }),
    {
      sliceMs: 8,
      flushMs: 50,
      now: () => performance.now(),
      defer: (fn) => setImmediate(() => alive && fn()),
      later: (fn, ms) => setTimeout(() => alive && fn(), ms),
      ...timing,
    },
  );
  return {
    post: (message) =>
      setImmediate(() => {
        if (alive) runner.handle(structuredClone(message));
      }),
    onEvent: (handler) => handlers.push(handler),
    terminate: async () => {
      alive = false;
    },
  };
}
