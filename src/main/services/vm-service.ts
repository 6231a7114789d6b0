// VmService: the one implementation of the service API, behind the Electron IPC and
// web-mode adapters. It owns the VM library and one engine host per running VM.

import { assemble } from '../../engine';
import {
  ApiError,
  type ApiEventName,
  type ApiEvents,
  type ApiMethod,
  type ApiParams,
  type ApiResult,
  type AssembleResult,
  IMPLEMENTED_TECHNIQUES,
  type RunStatus,
  type ScreenFrame,
  type VmInfo,
} from '../../shared/api';
import { parseVmId, validateRequest } from '../../shared/schema';
import type { HostLink } from '../engine-host/protocol';
import { EngineSession } from './engine-session';
import { withProgress } from './progress';
import { VmLibrary } from './vm-library';
import { type SnapshotOps, snapshotOps } from './vm-snapshots';

export type EventListener = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;

type Handlers = { [M in ApiMethod]: (params: ApiParams<M>) => Promise<ApiResult<M>> };

/** How long stop waits for the host to report its final count before ending it anyway (ms). */
const STOP_GRACE_MS = 50;

export class VmService {
  private readonly sessions = new Map<string, EngineSession>();
  private readonly lastStatus = new Map<string, RunStatus>();
  /** Each VM's VGA screen as last posted; kept after a stop so a client can still show it. */
  private readonly lastScreen = new Map<string, ScreenFrame>();
  private readonly listeners = new Set<EventListener>();
  private readonly handlers: Handlers;
  private readonly snapshots: SnapshotOps;

  constructor(
    readonly library: VmLibrary,
    private readonly createLink: () => HostLink,
  ) {
    this.snapshots = snapshotOps({
      library,
      emit: this.emit,
      session: (vmId) => this.sessions.get(vmId),
      newSession: (vmId) => this.newSession(vmId),
    });
    this.handlers = {
      'vm.list': async () => this.library.list(),
      'vm.create': async (p) => this.changed(await this.library.create(p)),
      'vm.update': async ({ id, ...patch }) => this.changed(await this.library.update(id, patch)),
      'vm.delete': async ({ id }) => {
        this.library.get(id);
        await this.sessions.get(id)?.close();
        this.sessions.delete(id);
        this.lastStatus.delete(id);
        this.lastScreen.delete(id);
        await this.library.delete(id);
        this.changed(null);
        return null;
      },
      'vm.clone': async ({ id, name }) => this.changed(await this.library.clone(id, name)),
      'source.get': async ({ vmId, file }) => this.library.readSource(vmId, file),
      'source.set': async ({ vmId, file, text }) => {
        this.library.get(vmId);
        await this.library.writeSource(vmId, file, text);
        await this.filesChanged(vmId);
        return null;
      },
      'source.assemble': async ({ vmId, file, text, files }) => {
        const source = text ?? (await this.library.readSource(vmId, file)).text;
        return this.assembleSource(this.library.get(vmId), file, source, files).result;
      },
      'source.list': async ({ vmId }) => this.library.files(vmId).list(),
      'source.create': async ({ vmId, file, text, data }) => {
        const content = data === undefined ? (text ?? '') : Buffer.from(data, 'base64');
        const created = await this.library.files(vmId).create(file, content);
        await this.filesChanged(vmId);
        return created;
      },
      'source.rename': async ({ vmId, file, to }) => {
        const renamed = await this.library.files(vmId).rename(file, to);
        await this.filesChanged(vmId);
        return renamed;
      },
      'source.delete': async ({ vmId, file }) => {
        await this.library.files(vmId).delete(file);
        await this.filesChanged(vmId);
        return null;
      },
      'run.start': async ({ vmId }) => this.start(vmId),
      'run.pause': async ({ vmId }) => this.running(vmId).command({ type: 'pause' }),
      'run.resume': async ({ vmId }) => this.running(vmId).command({ type: 'resume' }),
      'run.stop': async ({ vmId }) => this.stop(vmId),
      'run.reset': async ({ vmId }) => this.reset(vmId),
      'run.step': async ({ vmId, count }) => {
        const session = this.sessions.get(vmId) ?? (await this.boot(vmId));
        return session.command({ type: 'step', count: count ?? 1 });
      },
      'run.status': async ({ vmId }) => this.status(vmId),
      'console.input': async ({ vmId, data }) => {
        await this.running(vmId).command({ type: 'input', data: new TextEncoder().encode(data) });
        return null;
      },
      'keyboard.input': async ({ vmId, keys }) => {
        await this.running(vmId).command({ type: 'keys', keys });
        return null;
      },
      'screen.get': async ({ vmId }) => {
        this.library.get(vmId);
        return this.lastScreen.get(vmId) ?? null;
      },
      ...this.snapshots.handlers,
    };
  }

  /** Opens (or creates) the library folder at `dataDir`. */
  static async open(dataDir: string, createLink: () => HostLink): Promise<VmService> {
    const library = new VmLibrary(dataDir);
    await library.open();
    return new VmService(library, createLink);
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Validates and runs one request from any adapter. Throws only ApiError; anything
   * unexpected becomes an 'internal' error so the adapter can answer and carry on.
   */
  async handle(method: unknown, params: unknown): Promise<unknown> {
    try {
      const request = validateRequest(method, params);
      const handler = this.handlers[request.method] as (p: unknown) => Promise<unknown>;
      return await handler(request.params);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError('internal', err instanceof Error ? err.message : String(err));
    }
  }

  /** Typed entry for in-process callers (the CLI, tests). */
  request<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    return this.handle(method, params) as Promise<ApiResult<M>>;
  }

  /**
   * A VM with its sources and snapshots as one file (binary, so outside the request map);
   * 'operation.progress' events tell how far the packing is.
   */
  async exportVm(id: unknown): Promise<{ name: string; file: Uint8Array }> {
    const vmId = parseVmId(id);
    const { name } = this.library.get(vmId);
    const file = await withProgress(this.progress, vmId, 'vm.export', 2, (step) =>
      this.library.exportVm(vmId, step),
    );
    return { name, file };
  }

  /** Adds a VM from an exported file, with 'operation.progress' events (vmId null). */
  async importVm(file: Uint8Array): Promise<VmInfo> {
    try {
      const vm = await withProgress(this.progress, null, 'vm.import', 2, (step) =>
        this.library.importVm(file, step),
      );
      return this.changed(vm);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError('internal', err instanceof Error ? err.message : String(err));
    }
  }

  /** Stops every VM; the service can be dropped afterwards. */
  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
    this.sessions.clear();
  }

  private readonly emit = <E extends ApiEventName>(event: E, payload: ApiEvents[E]): void => {
    if (event === 'run.status') {
      const status = payload as RunStatus;
      this.lastStatus.set(status.vmId, status);
    } else if (event === 'screen.update') {
      const { vmId, frame } = payload as ApiEvents['screen.update'];
      this.lastScreen.set(vmId, frame);
    }
    for (const listener of this.listeners) listener(event, payload);
  };

  private readonly progress = (p: ApiEvents['operation.progress']): void =>
    this.emit('operation.progress', p);

  private changed<T extends VmInfo | null>(result: T): T {
    this.emit('vm.changed', { vms: this.library.list() });
    return result;
  }

  /** Tells every client the VM's file list after a file was created, written, renamed or deleted. */
  private async filesChanged(vmId: string): Promise<void> {
    this.emit('source.changed', { vmId, files: await this.library.files(vmId).list() });
  }

  private status(vmId: string): RunStatus {
    this.library.get(vmId);
    return (
      this.sessions.get(vmId)?.status ??
      this.lastStatus.get(vmId) ?? { vmId, state: 'stopped', icount: 0, ips: 0 }
    );
  }

  private running(vmId: string): EngineSession {
    this.library.get(vmId);
    const session = this.sessions.get(vmId);
    if (!session) throw new ApiError('invalid-state', 'the VM is not running; start it first');
    return session;
  }

  /** Assembles `text` as `file`; %include and incbin see `unsaved` texts before the folder's. */
  private assembleSource(
    vm: VmInfo,
    file: string | undefined,
    text: string,
    unsaved: Record<string, string> = {},
  ) {
    const output = assemble(text, {
      fileName: file ?? vm.mainSource,
      readFile: (name) =>
        Object.hasOwn(unsaved, name) ? unsaved[name] : this.library.readProjectFile(vm.id, name),
    });
    const result: AssembleResult = {
      ok: output.ok,
      diagnostics: output.diagnostics,
      size: output.ok ? output.bytes.length : 0,
    };
    return { result, bytes: output.bytes };
  }

  /** A fresh engine host for the VM, replacing any it had; nothing is loaded in it yet. */
  private async newSession(vmId: string): Promise<EngineSession> {
    const vm = this.library.get(vmId);
    if (!IMPLEMENTED_TECHNIQUES.includes(vm.technique)) {
      throw new ApiError(
        'not-implemented',
        `technique '${vm.technique}' is not implemented yet; only ${IMPLEMENTED_TECHNIQUES.join(', ')} runs`,
      );
    }
    await this.sessions.get(vmId)?.close();
    const session = new EngineSession(vmId, this.createLink(), this.emit);
    this.sessions.set(vmId, session);
    return session;
  }

  /** Assembles the VM's main source and loads it into a fresh engine host, paused. */
  private async boot(vmId: string): Promise<EngineSession> {
    const vm = this.library.get(vmId);
    const { text } = await this.library.readSource(vmId);
    const { result, bytes } = this.assembleSource(vm, undefined, text);
    if (!result.ok) {
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      const first = errors[0];
      const where = first ? `${first.file}:${first.line}:${first.column}: ${first.message}` : '';
      throw new ApiError(
        'assemble-failed',
        `${vm.mainSource} has ${errors.length} error${errors.length === 1 ? '' : 's'}${where ? `; first: ${where}` : ''}`,
        result.diagnostics,
      );
    }
    const session = await this.newSession(vmId);
    try {
      await session.command({ type: 'load', vmId, image: bytes, memoryMiB: vm.memoryMiB });
    } catch (err) {
      await session.close();
      this.sessions.delete(vmId);
      throw err;
    }
    await this.snapshots.leavePosition(vmId);
    return session;
  }

  private async start(vmId: string): Promise<RunStatus> {
    const current = this.sessions.get(vmId);
    if (current?.status.state === 'running') {
      throw new ApiError('conflict', 'the VM is already running');
    }
    if (current?.status.state === 'paused') return current.command({ type: 'resume' });
    const session = await this.boot(vmId);
    return session.command({ type: 'start' });
  }

  private async stop(vmId: string): Promise<RunStatus> {
    const session = this.sessions.get(vmId);
    if (!session) return this.status(vmId);
    // Ask for the final count, but never wait on a host that does not answer.
    await session.command({ type: 'stop' }, STOP_GRACE_MS).catch(() => undefined);
    this.sessions.delete(vmId);
    return session.close();
  }

  /** Reboots with the current source: running again if it was running, else paused at the start. */
  private async reset(vmId: string): Promise<RunStatus> {
    const wasRunning = this.sessions.get(vmId)?.status.state === 'running';
    if (!this.sessions.has(vmId)) throw new ApiError('invalid-state', 'the VM is not running');
    const session = await this.boot(vmId);
    return wasRunning ? session.command({ type: 'start' }) : session.status;
  }
}
