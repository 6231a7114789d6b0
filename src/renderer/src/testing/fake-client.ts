// A fake ApiClient for tests: an in-memory VM library, sources and other project files, run
// states and snapshot trees, with every request recorded and any method replaceable per test.

import {
  ApiError,
  type ApiEventName,
  type ApiEvents,
  type ApiMethod,
  type ApiParams,
  type ApiResult,
  type ProjectFile,
  type RunState,
  type RunStatus,
  type SnapshotInfo,
  type SnapshotTreeInfo,
  type VmInfo,
} from '../../../shared/api';
import type { RendererApiClient } from '../api/connection';
import { EventHub } from '../api/event-hub';

type Handler<M extends ApiMethod> = (params: ApiParams<M>) => ApiResult<M> | Promise<ApiResult<M>>;
type Handlers = { [M in ApiMethod]?: Handler<M> };

export interface RecordedCall {
  method: ApiMethod;
  params: unknown;
}

/** A VmInfo with defaults, for seeding the fake library. */
export function makeVm(id: string, name: string, extra: Partial<VmInfo> = {}): VmInfo {
  return {
    id,
    name,
    technique: 'native',
    memoryMiB: 16,
    mainSource: 'main.asm',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...extra,
  };
}

/** A SnapshotInfo with defaults, for seeding the fake trees. */
export function makeSnapshot(
  id: string,
  name: string,
  parentId: string | null = null,
  extra: Partial<SnapshotInfo> = {},
): SnapshotInfo {
  return {
    id,
    parentId,
    name,
    description: '',
    createdAt: '2025-01-01T00:00:00.000Z',
    icount: 0,
    ...extra,
  };
}

export class FakeApiClient implements RendererApiClient {
  readonly calls: RecordedCall[] = [];
  vms: VmInfo[] = [];
  sources = new Map<string, string>();
  /** Each VM's files other than main.asm, by name; bytes are binary files. */
  files = new Map<string, Map<string, string | Uint8Array>>();
  statuses = new Map<string, RunStatus>();
  /** Snapshot trees per VM; take, revert, rename and delete change them and emit the event. */
  snapshots = new Map<string, SnapshotTreeInfo>();
  /** The VGA text rows a snapshot of the VM captures. */
  screens = new Map<string, string[]>();
  /** The clock snapshots are stamped with. */
  now = () => new Date('2025-01-01T00:00:00.000Z');
  private readonly hub = new EventHub();
  private readonly overrides: Handlers = {};
  private connected = true;
  private readonly connectionHandlers = new Set<(up: boolean) => void>();
  private nextId = 1;

  constructor(vms: VmInfo[] = []) {
    this.vms = [...vms];
  }

  /** Replaces how one method answers. */
  handle<M extends ApiMethod>(method: M, handler: Handler<M>): this {
    (this.overrides as Record<string, unknown>)[method] = handler;
    return this;
  }

  /** Makes one method fail with an ApiError. */
  fail(method: ApiMethod, error: ApiError): this {
    (this.overrides as Record<string, unknown>)[method] = () => {
      throw error;
    };
    return this;
  }

  /** The params of every call to `method`, oldest first. */
  paramsOf<M extends ApiMethod>(method: M): ApiParams<M>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params as ApiParams<M>);
  }

  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    this.hub.emit(event, payload);
  }

  on<E extends ApiEventName>(event: E, handler: (payload: ApiEvents[E]) => void): () => void {
    return this.hub.on(event, handler);
  }

  isConnected(): boolean {
    return this.connected;
  }

  onConnectionChange(handler: (connected: boolean) => void): () => void {
    this.connectionHandlers.add(handler);
    return () => this.connectionHandlers.delete(handler);
  }

  setConnected(up: boolean): void {
    this.connected = up;
    for (const h of this.connectionHandlers) h(up);
  }

  async request<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    this.calls.push({ method, params });
    await Promise.resolve();
    const override = this.overrides[method] as Handler<M> | undefined;
    if (override) return override(params);
    return this.builtin(method, params) as ApiResult<M>;
  }

  private vm(id: string): VmInfo {
    const vm = this.vms.find((v) => v.id === id);
    if (!vm) throw new ApiError('not-found', `No VM with id ${id}`);
    return vm;
  }

  private setState(vmId: string, state: RunState): RunStatus {
    const status: RunStatus = { vmId, state, icount: 0, ips: 0 };
    this.statuses.set(vmId, status);
    return status;
  }

  private tree(vmId: string): SnapshotTreeInfo {
    this.vm(vmId);
    return this.snapshots.get(vmId) ?? { nodes: [], current: null };
  }

  private snapshot(vmId: string, id: string): SnapshotInfo {
    const node = this.tree(vmId).nodes.find((n) => n.id === id);
    if (!node) throw new ApiError('not-found', `no snapshot with id '${id}'`);
    return node;
  }

  private setTree(vmId: string, tree: SnapshotTreeInfo): void {
    this.snapshots.set(vmId, tree);
    this.emit('snapshot.changed', { vmId, tree: structuredClone(tree) });
  }

  private snapshotRequest(method: ApiMethod, p: Partial<Record<string, string>>): unknown {
    const vmId = p.vmId ?? '';
    const tree = this.tree(vmId);
    switch (method) {
      case 'snapshot.list':
        return structuredClone(tree);
      case 'snapshot.take': {
        const status = this.statuses.get(vmId);
        if (!status || status.state === 'stopped') {
          throw new ApiError('invalid-state', 'start the VM to take a snapshot of it');
        }
        const screen = this.screens.get(vmId);
        const node = makeSnapshot(`snap${this.nextId++}`, p.name ?? '', tree.current, {
          description: p.description ?? '',
          createdAt: this.now().toISOString(),
          icount: status.icount,
          ...(screen ? { screen: [...screen] } : {}),
        });
        this.setTree(vmId, { nodes: [...tree.nodes, node], current: node.id });
        return node;
      }
      case 'snapshot.revert': {
        const node = this.snapshot(vmId, p.snapshotId ?? '');
        const before = this.statuses.get(vmId)?.state ?? 'stopped';
        const state: RunState = before === 'running' ? 'running' : 'paused';
        const status: RunStatus = { vmId, state, icount: node.icount, ips: 0 };
        this.statuses.set(vmId, status);
        this.setTree(vmId, { ...tree, current: node.id });
        return status;
      }
      case 'snapshot.rename': {
        const node = { ...this.snapshot(vmId, p.snapshotId ?? ''), name: p.name ?? '' };
        this.setTree(vmId, {
          ...tree,
          nodes: tree.nodes.map((n) => (n.id === node.id ? node : n)),
        });
        return node;
      }
      case 'snapshot.delete': {
        const gone = this.snapshot(vmId, p.snapshotId ?? '');
        const nodes = tree.nodes
          .filter((n) => n.id !== gone.id)
          .map((n) => (n.parentId === gone.id ? { ...n, parentId: gone.parentId } : n));
        const current = tree.current === gone.id ? gone.parentId : tree.current;
        this.setTree(vmId, { nodes, current });
        return null;
      }
    }
    return undefined;
  }

  private folder(vmId: string): Map<string, string | Uint8Array> {
    this.vm(vmId);
    const folder = this.files.get(vmId) ?? new Map<string, string | Uint8Array>();
    this.files.set(vmId, folder);
    return folder;
  }

  private listFiles(vmId: string): ProjectFile[] {
    const main = this.sources.get(vmId) ?? '';
    const others = [...this.folder(vmId)]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, content]): ProjectFile => {
        const binary = typeof content !== 'string';
        const size = binary ? content.length : new TextEncoder().encode(content).length;
        return { name, size, main: false, kind: binary ? 'binary' : 'text' };
      });
    return [{ name: 'main.asm', size: main.length, main: true, kind: 'text' }, ...others];
  }

  /** source.* requests for files other than the main source, with the real service's errors. */
  private fileRequest(method: ApiMethod, p: Partial<Record<string, string>>): unknown {
    const vmId = p.vmId ?? '';
    const folder = this.folder(vmId);
    const name = p.file ?? '';
    const missing = () => new ApiError('not-found', `VM '${vmId}' has no file '${name}'`);
    const changed = () => this.emit('source.changed', { vmId, files: this.listFiles(vmId) });
    const entry = (n: string) => this.listFiles(vmId).find((f) => f.name === n);
    switch (method) {
      case 'source.get': {
        const content = folder.get(name);
        if (content === undefined) throw missing();
        if (typeof content !== 'string') throw new ApiError('bad-request', `'${name}' is binary`);
        return { file: name, text: content };
      }
      case 'source.set':
        folder.set(name, p.text ?? '');
        changed();
        return null;
      case 'source.list':
        return this.listFiles(vmId);
      case 'source.create': {
        if (entry(name))
          throw new ApiError('conflict', `the VM already has a file named '${name}'`);
        const data = p.data === undefined ? undefined : atob(p.data);
        folder.set(
          name,
          data === undefined ? (p.text ?? '') : Uint8Array.from(data, (c) => c.charCodeAt(0)),
        );
        changed();
        return entry(name);
      }
      case 'source.rename': {
        const content = folder.get(name);
        if (content === undefined) throw missing();
        const to = p.to ?? '';
        if (entry(to)) throw new ApiError('conflict', `the VM already has a file named '${to}'`);
        folder.delete(name);
        folder.set(to, content);
        changed();
        return entry(to);
      }
      case 'source.delete':
        if (!folder.delete(name)) throw missing();
        changed();
        return null;
    }
    return undefined;
  }

  private builtin(method: ApiMethod, raw: unknown): unknown {
    const p = raw as Record<string, never> & Partial<Record<string, string>>;
    const vmId = p.vmId ?? p.id ?? '';
    switch (method) {
      case 'vm.list':
        return [...this.vms];
      case 'vm.create': {
        const vm = makeVm(`vm${this.nextId++}`, p.name ?? 'unnamed');
        this.vms.push(vm);
        return vm;
      }
      case 'vm.update': {
        const vm = { ...this.vm(vmId), ...(p.name ? { name: p.name } : {}) };
        this.vms = this.vms.map((v) => (v.id === vm.id ? vm : v));
        return vm;
      }
      case 'vm.clone': {
        const from = this.vm(vmId);
        const vm = makeVm(`vm${this.nextId++}`, p.name ?? `${from.name} copy`);
        this.vms.push(vm);
        return vm;
      }
      case 'vm.delete':
        this.vm(vmId);
        this.vms = this.vms.filter((v) => v.id !== vmId);
        return null;
      case 'source.get':
        if (p.file && p.file !== 'main.asm') return this.fileRequest(method, p);
        return { file: 'main.asm', text: this.sources.get(vmId) ?? '' };
      case 'source.set':
        if (p.file && p.file !== 'main.asm') return this.fileRequest(method, p);
        this.sources.set(vmId, p.text ?? '');
        return null;
      case 'source.list':
      case 'source.create':
      case 'source.rename':
      case 'source.delete':
        return this.fileRequest(method, p);
      case 'source.assemble':
        return { ok: true, diagnostics: [], size: 2 };
      case 'run.start':
      case 'run.resume':
        return this.setState(vmId, 'running');
      case 'run.pause':
      case 'run.step':
        return this.setState(vmId, 'paused');
      case 'run.stop':
        return this.setState(vmId, 'stopped');
      case 'run.reset':
        return this.setState(vmId, this.statuses.get(vmId)?.state ?? 'stopped');
      case 'run.status':
        return this.statuses.get(vmId) ?? { vmId, state: 'stopped', icount: 0, ips: 0 };
      case 'console.input':
      case 'keyboard.input':
        return null;
      case 'screen.get':
        return null;
      case 'snapshot.list':
      case 'snapshot.take':
      case 'snapshot.revert':
      case 'snapshot.rename':
      case 'snapshot.delete':
        return this.snapshotRequest(method, p);
    }
  }
}
