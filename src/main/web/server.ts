// Web mode: serves the built renderer over HTTP and carries the service API over a
// WebSocket at /api, so the same UI runs in any browser on this machine.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { type WebSocket, WebSocketServer } from 'ws';
import { ApiError, type WireMessage } from '../../shared/api';
import type { VmService } from '../services/vm-service';
import { archiveRoute } from './archive-routes';
import { CONTENT_SECURITY_POLICY } from './csp';

export interface WebServerOptions {
  service: VmService;
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  /** Interface to bind; loopback unless the user asks otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface RunningWebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

const MAX_MESSAGE_BYTES = 2 << 20;

/** Starts the web-mode server; resolves once it is listening. */
export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const root = resolve(options.rendererDir);
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    route(options.service, root, req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error: ${err.message}`);
    });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/api' || !sameOrigin(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => attachClient(options.service, ws));
  });
  await listen(server, options.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((done) => {
        for (const ws of sockets.clients) ws.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok();
    });
  });
}

/**
 * Browsers send Origin on WebSocket upgrades; refusing foreign origins stops another
 * web page from driving the lab through the user's browser. Non-browser clients send none.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** Wires one WebSocket client to the service: requests in, responses and events out. */
function attachClient(service: VmService, ws: WebSocket): void {
  const send = (message: WireMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = service.onEvent((event, payload) => send({ kind: 'event', event, payload }));
  ws.on('close', unsubscribe);
  ws.on('error', unsubscribe);
  ws.on('message', async (raw, isBinary) => {
    let id = -1;
    try {
      if (isBinary) throw new ApiError('bad-request', 'messages must be JSON text');
      const message = parseRequest(raw.toString());
      id = message.id;
      const result = await service.handle(message.method, message.params);
      send({ kind: 'response', id, ok: true, result: result ?? null });
    } catch (err) {
      const error =
        err instanceof ApiError
          ? err
          : new ApiError('internal', (err as Error).message ?? String(err));
      send({ kind: 'response', id, ok: false, error: error.toBody() });
    }
  });
}

function parseRequest(text: string): { id: number; method: unknown; params: unknown } {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new ApiError('bad-request', 'message is not valid JSON');
  }
  if (typeof message !== 'object' || message === null) {
    throw new ApiError('bad-request', 'message must be a JSON object');
  }
  const { kind, id, method, params } = message as Record<string, unknown>;
  if (kind !== 'request' || typeof id !== 'number' || !Number.isSafeInteger(id)) {
    throw new ApiError(
      'bad-request',
      "message must be {kind:'request', id:<integer>, method, params}",
    );
  }
  return { id, method, params };
}

async function route(
  service: VmService,
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  if (!sameOrigin(req)) {
    res.writeHead(403).end();
    return;
  }
  if (await archiveRoute(service, req, res, pathname)) return;
  await serveStatic(root, req, res, pathname);
}

async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  requested: string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname = requested;
  if (pathname === '/') pathname = '/index.html';
  const file = resolve(join(root, normalize(pathname)));
  if (!file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
    'cross-origin-resource-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
