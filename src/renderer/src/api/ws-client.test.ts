import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type WireMessage } from '../../../shared/api';
import { createApiClient } from './client';
import { defaultSocketUrl, type SocketLike, WebSocketClient } from './ws-client';

/** A socket the test drives by hand: open it, feed it messages, close it. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: WireMessage[] = [];
  closed = false;
  onopen: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as WireMessage);
  }
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(msg: WireMessage | string): void {
    const data = typeof msg === 'string' ? msg : JSON.stringify(msg);
    this.onmessage?.({ data } as MessageEvent);
  }
  drop(): void {
    this.readyState = 3;
    this.onerror?.(new Event('error'));
    this.onclose?.({} as CloseEvent);
  }
}

function makeClient(delays = [100, 200]) {
  const sockets: FakeSocket[] = [];
  const client = new WebSocketClient({
    url: 'ws://host/api',
    reconnectDelaysMs: delays,
    requestTimeoutMs: 5000,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
  });
  const last = () => {
    const s = sockets[sockets.length - 1];
    if (!s) throw new Error('no socket');
    return s;
  };
  return { client, sockets, last };
}

describe('WebSocketClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('queues requests until the socket opens, then sends them in order', async () => {
    const { client, last } = makeClient();
    expect(last().url).toBe('ws://host/api');
    void client.request('vm.list', {});
    void client.request('run.status', { vmId: 'a' });
    expect(last().sent).toEqual([]);
    last().open();
    expect(last().sent).toEqual([
      { kind: 'request', id: 1, method: 'vm.list', params: {} },
      { kind: 'request', id: 2, method: 'run.status', params: { vmId: 'a' } },
    ]);
  });

  it('matches responses to requests by id, in any order', async () => {
    const { client, last } = makeClient();
    last().open();
    const list = client.request('vm.list', {});
    const status = client.request('run.status', { vmId: 'a' });
    const [first, second] = last().sent;
    const st = { vmId: 'a', state: 'running', icount: 5, ips: 1 };
    last().receive({
      kind: 'response',
      id: second?.kind === 'request' ? second.id : -1,
      ok: true,
      result: st,
    });
    last().receive({
      kind: 'response',
      id: first?.kind === 'request' ? first.id : -1,
      ok: true,
      result: [],
    });
    await expect(status).resolves.toEqual(st);
    await expect(list).resolves.toEqual([]);
  });

  it('turns an error response into an ApiError with code and diagnostics', async () => {
    const { client, last } = makeClient();
    last().open();
    const p = client.request('source.assemble', { vmId: 'a' });
    const diagnostics = [
      { file: 'main.asm', line: 1, column: 1, endColumn: 2, severity: 'error', message: 'bad' },
    ];
    last().receive({
      kind: 'response',
      id: 1,
      ok: false,
      error: { code: 'assemble-failed', message: 'Assembly failed', diagnostics } as never,
    });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('assemble-failed');
    expect((err as ApiError).message).toBe('Assembly failed');
    expect((err as ApiError).diagnostics).toEqual(diagnostics);
  });

  it('dispatches events to subscribers until they unsubscribe; ignores junk', () => {
    const { client, last } = makeClient();
    last().open();
    const seen: string[] = [];
    const off = client.on('console.output', (p) => seen.push(p.data));
    last().receive({
      kind: 'event',
      event: 'console.output',
      payload: { vmId: 'a', port: 'com1', data: 'hi' },
    });
    last().receive('not json');
    last().receive({ kind: 'event', event: 'no.such' as never, payload: {} });
    off();
    last().receive({
      kind: 'event',
      event: 'console.output',
      payload: { vmId: 'a', port: 'com1', data: 'x' },
    });
    expect(seen).toEqual(['hi']);
  });

  it('rejects sent and queued requests with an ApiError when the socket closes', async () => {
    const { client, last } = makeClient();
    last().open();
    const sent = client.request('vm.list', {});
    last().drop();
    const queued = client.request('vm.list', {});
    await expect(sent).rejects.toBeInstanceOf(ApiError);
    await expect(sent).rejects.toThrow('Lost the connection');
    // A request made while reconnecting waits for the next socket, and dies with it too.
    await vi.advanceTimersByTimeAsync(100);
    last().drop();
    await expect(queued).rejects.toBeInstanceOf(ApiError);
  });

  it('reconnects with back-off and reports the connection state', async () => {
    const { client, sockets, last } = makeClient([100, 200]);
    const states: boolean[] = [];
    client.onConnectionChange((up) => states.push(up));
    last().open();
    expect(client.isConnected()).toBe(true);
    last().drop();
    expect(client.isConnected()).toBe(false);
    await vi.advanceTimersByTimeAsync(99);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);
    last().drop(); // the server is still down
    await vi.advanceTimersByTimeAsync(199);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
    last().open();
    expect(states).toEqual([true, false, true]);
    const p = client.request('vm.list', {});
    last().receive({ kind: 'response', id: 1, ok: true, result: [] });
    await expect(p).resolves.toEqual([]);
  });

  it('times out a request nobody answers', async () => {
    const { client, last } = makeClient();
    last().open();
    const p = client.request('vm.list', {});
    const settled = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await settled).toBeInstanceOf(ApiError);
  });

  it('stops reconnecting once disposed', async () => {
    const { client, sockets, last } = makeClient();
    last().open();
    const p = client.request('vm.list', {});
    client.dispose();
    await expect(p).rejects.toBeInstanceOf(ApiError);
    expect(sockets[0]?.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sockets).toHaveLength(1);
    await expect(client.request('vm.list', {})).rejects.toBeInstanceOf(ApiError);
  });

  it('derives the socket address from the page', () => {
    expect(defaultSocketUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe(
      'ws://127.0.0.1:8080/api',
    );
    expect(defaultSocketUrl({ protocol: 'https:', host: 'lab.example' })).toBe(
      'wss://lab.example/api',
    );
  });

  it('is what createApiClient picks without window.vmlab', () => {
    const urls: string[] = [];
    vi.stubGlobal(
      'WebSocket',
      class {
        onopen = null;
        onclose = null;
        onerror = null;
        onmessage = null;
        readyState = 0;
        constructor(url: string) {
          urls.push(url);
        }
        send() {}
        close() {}
      },
    );
    try {
      const client = createApiClient({ location: { protocol: 'http:', host: 'h:1' } });
      expect(client).toBeInstanceOf(WebSocketClient);
      expect(urls).toEqual(['ws://h:1/api']);
      (client as WebSocketClient).dispose();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
