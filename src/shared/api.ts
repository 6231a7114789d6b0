// The service API: the one contract between the renderer (or any client) and VmService.
// Electron IPC and the web-mode WebSocket both carry exactly these requests and events.

/** How a VM is virtualized (DESIGN.md 2.3). Only `native` runs so far. */
export const TECHNIQUES = ['native', 'emulate', 'trap', 'bt', 'vt', 'pv'] as const;
export type Technique = (typeof TECHNIQUES)[number];

/** Techniques the engine can run today; the others are listed but refuse to start. */
export const IMPLEMENTED_TECHNIQUES: readonly Technique[] = ['native'];

/** A VM as the library stores it (vm.json). */
export interface VmInfo {
  id: string;
  name: string;
  technique: Technique;
  memoryMiB: number;
  /** The source file that is assembled and booted. */
  mainSource: string;
  createdAt: string;
  updatedAt: string;
}

export type RunState = 'stopped' | 'running' | 'paused' | 'halted' | 'exited' | 'error';

/** Where the VM is and how fast it goes; posted as an event at a bounded rate. */
export interface RunStatus {
  vmId: string;
  state: RunState;
  /** Instructions retired since the VM was started or reset. */
  icount: number;
  /** Instructions per second over the last reporting interval. */
  ips: number;
  /** Exit-port status, when state is 'exited'. */
  exitCode?: number;
  /** Why the VM stopped, when it stopped by itself (halt, error, exit). */
  message?: string;
}

/** One snapshot in a VM's tree. */
export interface SnapshotInfo {
  id: string;
  parentId: string | null;
  name: string;
  description: string;
  createdAt: string;
  /** Instructions the VM had retired when the snapshot was taken. */
  icount: number;
  /** The VGA text screen at that moment, one string per row (a thumbnail). */
  screen?: string[];
}

/** A VM's snapshots and where the VM is now ("you are here"). */
export interface SnapshotTreeInfo {
  nodes: SnapshotInfo[];
  current: string | null;
}

export type Severity = 'error' | 'warning';

/** A further place an assembler message concerns: a line of a macro body on the way to it. */
export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  endColumn: number;
  /** NASM's words for it: "... from macro `name' defined here". */
  message: string;
}

/** One assembler message, 1-based line and column as editors count them (endColumn exclusive). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  endColumn: number;
  severity: Severity;
  message: string;
  /**
   * For a problem inside a macro expansion: line and columns above point at the outermost
   * call, as NASM reports it, and these go down the macro bodies, outermost first; the last
   * one holds the columns of the fault itself.
   */
  related?: RelatedLocation[];
}

export interface AssembleResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** Size of the flat binary in bytes (0 when assembly failed). */
  size: number;
}

/**
 * Which console a chunk of guest output came from: COM1's transmitter, the 0xE9 debug
 * port, or the BIOS teletype (int 10h) text that also lands on the VGA screen.
 */
export type ConsolePort = 'com1' | 'debug' | 'screen';

/**
 * One frame of a VM's VGA text screen. `cells` is base64 of rows * cols character/attribute
 * byte pairs in video-memory order (character first); the cursor is in cells, 0-based.
 */
export interface ScreenFrame {
  cols: number;
  rows: number;
  cells: string;
  cursor: { row: number; col: number; visible: boolean };
}

/** One file of a VM's folder: a source, an %include file or incbin data. */
export interface ProjectFile {
  name: string;
  size: number;
  /** The VM's main source: the one assembled and booted; it cannot be renamed or deleted. */
  main: boolean;
  /** Text opens in the editor; binary (not UTF-8, NUL bytes, or over 1 MiB) is for incbin. */
  kind: 'text' | 'binary';
}

/** A file inside a VM's folder: a plain name, no directories, no dot files. */
export const PLAIN_FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

/** Names in a VM's folder that the library keeps for itself (vm.json, the snapshot folder). */
export const RESERVED_FILE_NAMES: readonly string[] = ['vm.json', 'snapshots'];

/** A key pressed or released on the VM's screen, named by KeyboardEvent.code ('KeyA', 'Enter'). */
export interface KeyInput {
  code: string;
  down: boolean;
}

/** The long operations that report their progress. */
export type ProgressOperation =
  | 'snapshot.take'
  | 'snapshot.revert'
  | 'snapshot.delete'
  | 'vm.export'
  | 'vm.import';

/**
 * Steps of a long operation: capture (the machine's state from its host), read (snapshot
 * files), decode, encode (memory pages, disks), rewrite (a deleted snapshot's children),
 * load (a state into the host), pack and unpack (an archive's files), write, done.
 */
export type ProgressPhase =
  | 'capture'
  | 'read'
  | 'decode'
  | 'encode'
  | 'rewrite'
  | 'load'
  | 'pack'
  | 'unpack'
  | 'write'
  | 'done';

/** Where a long operation is; posted at a bounded rate, and always once with phase 'done'. */
export interface OperationProgress {
  /** The VM concerned; null for an import, whose VM has no id until it is added. */
  vmId: string | null;
  operation: ProgressOperation;
  phase: ProgressPhase;
  /**
   * Steps of the whole operation done so far, out of `total`: one per phase, plus one per
   * item of a phase that has several (child k of n rewritten, file k of n packed).
   */
  done: number;
  total: number;
  /** For a phase over several items: which one (1-based) and how many. */
  item?: { index: number; count: number };
}

/** Requests: method name to parameters and result. */
export interface ApiRequests {
  'vm.list': { params: Record<string, never>; result: VmInfo[] };
  'vm.create': {
    params: { name: string; technique?: Technique; memoryMiB?: number; source?: string };
    result: VmInfo;
  };
  'vm.update': {
    params: { id: string; name?: string; technique?: Technique; memoryMiB?: number };
    result: VmInfo;
  };
  'vm.delete': { params: { id: string }; result: null };
  'vm.clone': { params: { id: string; name?: string }; result: VmInfo };
  'source.get': { params: { vmId: string; file?: string }; result: { file: string; text: string } };
  'source.set': { params: { vmId: string; file?: string; text: string }; result: null };
  /**
   * Assembles `file` (the main source by default), or `text` in its place; `files` holds
   * unsaved texts of other project files that %include should see instead of the saved ones.
   */
  'source.assemble': {
    params: { vmId: string; file?: string; text?: string; files?: Record<string, string> };
    result: AssembleResult;
  };
  /** The VM's files, main source first, then by name. */
  'source.list': { params: { vmId: string }; result: ProjectFile[] };
  /** Adds a file (text, or base64 `data` for incbin); refuses a name already in use. */
  'source.create': {
    params: { vmId: string; file: string; text?: string; data?: string };
    result: ProjectFile;
  };
  /** Renames a file other than the main source; refuses a name already in use. */
  'source.rename': { params: { vmId: string; file: string; to: string }; result: ProjectFile };
  /** Deletes a file other than the main source. */
  'source.delete': { params: { vmId: string; file: string }; result: null };
  'run.start': { params: { vmId: string }; result: RunStatus };
  'run.pause': { params: { vmId: string }; result: RunStatus };
  'run.resume': { params: { vmId: string }; result: RunStatus };
  'run.stop': { params: { vmId: string }; result: RunStatus };
  'run.reset': { params: { vmId: string }; result: RunStatus };
  'run.step': { params: { vmId: string; count?: number }; result: RunStatus };
  'run.status': { params: { vmId: string }; result: RunStatus };
  'console.input': { params: { vmId: string; data: string }; result: null };
  /** Key presses and releases for the VM's 8042 keyboard controller, in order. */
  'keyboard.input': { params: { vmId: string; keys: KeyInput[] }; result: null };
  /** The VM's VGA text screen as last posted; null before the VM has run. */
  'screen.get': { params: { vmId: string }; result: ScreenFrame | null };
  'snapshot.list': { params: { vmId: string }; result: SnapshotTreeInfo };
  /** Captures a running or paused VM at an instruction boundary. */
  'snapshot.take': {
    params: { vmId: string; name: string; description?: string };
    result: SnapshotInfo;
  };
  /** Returns the VM to a snapshot; a stopped VM starts from it, paused. */
  'snapshot.revert': { params: { vmId: string; snapshotId: string }; result: RunStatus };
  'snapshot.rename': {
    params: { vmId: string; snapshotId: string; name: string; description?: string };
    result: SnapshotInfo;
  };
  /** Deletes a snapshot; its children keep their state, re-parented to its parent. */
  'snapshot.delete': { params: { vmId: string; snapshotId: string }; result: null };
}

export type ApiMethod = keyof ApiRequests;
export type ApiParams<M extends ApiMethod> = ApiRequests[M]['params'];
export type ApiResult<M extends ApiMethod> = ApiRequests[M]['result'];

/** Events pushed from the service to every client. */
export interface ApiEvents {
  /** The VM library changed (created, renamed, deleted, cloned). */
  'vm.changed': { vms: VmInfo[] };
  /** A batch of guest console output. */
  'console.output': { vmId: string; port: ConsolePort; data: string };
  'run.status': RunStatus;
  /** A VM's VGA text screen changed; posted at a bounded rate, whole frames. */
  'screen.update': { vmId: string; frame: ScreenFrame };
  /** A VM's files changed (created, written, renamed or deleted). */
  'source.changed': { vmId: string; files: ProjectFile[] };
  /** A VM's snapshot tree changed. */
  'snapshot.changed': { vmId: string; tree: SnapshotTreeInfo };
  /** A snapshot operation, export or import is under way (for a progress bar). */
  'operation.progress': OperationProgress;
}

export type ApiEventName = keyof ApiEvents;

export const API_METHODS = [
  'vm.list',
  'vm.create',
  'vm.update',
  'vm.delete',
  'vm.clone',
  'source.get',
  'source.set',
  'source.assemble',
  'source.list',
  'source.create',
  'source.rename',
  'source.delete',
  'run.start',
  'run.pause',
  'run.resume',
  'run.stop',
  'run.reset',
  'run.step',
  'run.status',
  'console.input',
  'keyboard.input',
  'screen.get',
  'snapshot.list',
  'snapshot.take',
  'snapshot.revert',
  'snapshot.rename',
  'snapshot.delete',
] as const satisfies readonly ApiMethod[];

export const API_EVENTS = [
  'vm.changed',
  'console.output',
  'run.status',
  'screen.update',
  'source.changed',
  'snapshot.changed',
  'operation.progress',
] as const satisfies readonly ApiEventName[];

export type ApiErrorCode =
  | 'bad-request'
  | 'unknown-method'
  | 'not-found'
  | 'conflict'
  | 'invalid-state'
  | 'not-implemented'
  | 'assemble-failed'
  | 'internal';

/** The only kind of error a client sees; `message` is fit to show a person. */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  diagnostics?: Diagnostic[];
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly diagnostics?: Diagnostic[];
  constructor(code: ApiErrorCode, message: string, diagnostics?: Diagnostic[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    if (diagnostics) this.diagnostics = diagnostics;
  }
  toBody(): ApiErrorBody {
    return this.diagnostics
      ? { code: this.code, message: this.message, diagnostics: this.diagnostics }
      : { code: this.code, message: this.message };
  }
}

/** What a client holds: typed requests and event subscriptions. */
export interface ApiClient {
  request<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends ApiEventName>(event: E, handler: (payload: ApiEvents[E]) => void): () => void;
}

/** Wire messages of the web-mode WebSocket (and of any message-based transport). */
export type WireMessage =
  | { kind: 'request'; id: number; method: string; params: unknown }
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: ApiErrorBody }
  | { kind: 'event'; event: ApiEventName; payload: unknown };

/** The object the Electron preload exposes on `window.vmlab`: one function per method. */
export type PreloadApi = {
  [M in ApiMethod]: (
    params: ApiParams<M>,
  ) => Promise<{ ok: true; result: ApiResult<M> } | { ok: false; error: ApiErrorBody }>;
} & {
  onEvent(handler: (event: ApiEventName, payload: unknown) => void): () => void;
  /** Asks where to save, then writes the VM's archive there; null result when cancelled. */
  exportVmFile(
    id: string,
  ): Promise<{ ok: true; result: { path: string } | null } | { ok: false; error: ApiErrorBody }>;
  /** Asks for an archive file, then imports it; null result when cancelled. */
  importVmFile(): Promise<{ ok: true; result: VmInfo | null } | { ok: false; error: ApiErrorBody }>;
};

/** IPC channel names, derived from method names so there is one list. */
export const ipcChannel = (method: ApiMethod): string => `vmlab:${method}`;
export const IPC_EVENT_CHANNEL = 'vmlab:event';
export const IPC_EXPORT_CHANNEL = 'vmlab:vm.export-file';
export const IPC_IMPORT_CHANNEL = 'vmlab:vm.import-file';
/** File extension of a VM archive. */
export const VM_ARCHIVE_EXTENSION = 'vmlab';
