// ApiClient over the web-mode WebSocket: WireMessage JSON (src/shared/api.ts), with reconnect.

import {
  type ApiClient,
  ApiError,
  type ApiEventName,
  type ApiEvents,
  type ApiMethod,
  type ApiParams,
  type ApiResult,
  type WireMessage,
} from '../../../shared/api';
import type { ConnectionAware } from './connection';
import { errorFromBody } from './errors';
import { EventHub, isApiEventName } from './event-hub';

/** The part of the browser WebSocket this client uses, so tests can pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

export interface WsClientOptions {
  url: string;
  createSocket?: SocketFactory;
  /** Waits before each reconnect attempt; the last one repeats. */
  reconnectDelaysMs?: readonly number[];
  /** A request with no response after this long is rejected. */
  requestTimeoutMs?: number;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (err: ApiError) => void;
  timer: ReturnType<typeof setTimeout>;
}

const DEFAULT_DELAYS = [250, 500, 1000, 2000, 4000] as const;

/** The `ws(s)://<host>/api` address of the page's own server. */
export function defaultSocketUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api`;
}

/**
 * Requests are matched to responses by id. Requests made while the socket is not open wait
 * for it to open; every waiting or sent request is rejected when the socket closes, and the
 * client keeps trying to reconnect until disposed.
 */
export class WebSocketClient implements ApiClient, ConnectionAware {
  private readonly hub = new EventHub();
  private readonly pending = new Map<number, Pending>();
  private readonly queue: string[] = [];
  private readonly connectionHandlers = new Set<(connected: boolean) => void>();
  private readonly createSocket: SocketFactory;
  private readonly delays: readonly number[];
  private readonly timeoutMs: number;
  private socket: SocketLike | null = null;
  private open = false;
  private attempt = 0;
  private nextId = 1;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(private readonly options: WsClientOptions) {
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.delays = options.reconnectDelaysMs?.length ? options.reconnectDelaysMs : DEFAULT_DELAYS;
    this.timeoutMs = options.requestTimeoutMs ?? 60_000;
    this.connect();
  }

  isConnected(): boolean {
    return this.open;
  }

  onConnectionChange(handler: (connected: boolean) => void): () => void {
    this.connectionHandlers.add(handler);
    return () => {
      this.connectionHandlers.delete(handler);
    };
  }

  request<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    if (this.disposed) {
      return Promise.reject(new ApiError('internal', 'The connection to vmlab is closed'));
    }
    const id = this.nextId++;
    const message: WireMessage = { kind: 'request', id, method, params };
    const text = JSON.stringify(message);
    return new Promise<ApiResult<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ApiError('internal', `No answer from the vmlab server to '${method}'`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, timer });
      if (this.open && this.socket) this.socket.send(text);
      else this.queue.push(text);
    });
  }

  on<E extends ApiEventName>(event: E, handler: (payload: ApiEvents[E]) => void): () => void {
    return this.hub.on(event, handler);
  }

  /** Closes the socket for good and rejects whatever is pending. */
  dispose(): void {
    this.disposed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onclose = socket.onerror = socket.onmessage = null;
      socket.close();
    }
    this.handleClosed();
  }

  private connect(): void {
    this.reconnectTimer = null;
    let socket: SocketLike;
    try {
      socket = this.createSocket(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.open = true;
      this.attempt = 0;
      for (const text of this.queue.splice(0)) socket.send(text);
      this.notifyConnection(true);
    };
    socket.onmessage = (ev) => this.handleMessage(ev.data);
    // A failed socket always closes afterwards; the close handler does the work.
    socket.onerror = () => {};
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.handleClosed();
      this.scheduleReconnect();
    };
  }

  private handleClosed(): void {
    const wasOpen = this.open;
    this.open = false;
    this.queue.length = 0;
    const lost = new ApiError('internal', 'Lost the connection to the vmlab server');
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(lost);
    }
    if (wasOpen) this.notifyConnection(false);
  }

  private scheduleReconnect(): void {
    if (this.disposed || this.reconnectTimer) return;
    const delay = this.delays[Math.min(this.attempt, this.delays.length - 1)] ?? 1000;
    this.attempt++;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private notifyConnection(connected: boolean): void {
    for (const handler of [...this.connectionHandlers]) handler(connected);
  }

  private handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      console.error('vmlab: ignoring a malformed message from the server');
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as Partial<Record<string, unknown>>;
    if (m.kind === 'response' && typeof m.id === 'number') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok === true) p.resolve(m.result);
      else p.reject(errorFromBody(m.error));
    } else if (m.kind === 'event' && isApiEventName(m.event)) {
      this.hub.emit(m.event, m.payload);
    }
  }
}
