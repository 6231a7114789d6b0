import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireMessage } from '../../shared/api';
import { inProcessLink } from '../engine-host/links';
import { VmService } from '../services/vm-service';
import { type RunningWebServer, startWebServer } from './server';

let dir: string;
let service: VmService;
let server: RunningWebServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vmlab-web-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>vmlab</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  service = await VmService.open(join(dir, 'library'), () => inProcessLink());
  server = await startWebServer({ service, rendererDir: renderer, port: 0 });
});

afterAll(async () => {
  await server.close();
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A WebSocket client that collects every message. */
async function connect(origin?: string) {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}api`, origin ? { origin } : {});
  const messages: WireMessage[] = [];
  ws.on('message', (raw) => messages.push(JSON.parse(raw.toString())));
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok());
    ws.once('error', fail);
  });
  const next = async (predicate: (m: WireMessage) => boolean): Promise<WireMessage> => {
    for (let i = 0; i < 500; i++) {
      const found = messages.find(predicate);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('no such message');
  };
  const response = (id: number) => next((m) => m.kind === 'response' && m.id === id);
  return { ws, messages, next, response };
}

describe('web mode server', () => {
  it('binds to loopback and serves the renderer with a strict CSP', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-eval/);
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    const js = await fetch(`${server.url}assets/app.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of [
      '../secret.txt',
      '..%2fsecret.txt',
      '%2e%2e/secret.txt',
      'assets/../../secret.txt',
    ]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).not.toBe(200);
      expect(await res.text()).not.toContain('outside the renderer');
    }
    expect((await fetch(`${server.url}nope.js`)).status).toBe(404);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });

  it('answers requests and pushes events over the socket', async () => {
    const c = await connect();
    c.ws.send(
      JSON.stringify({ kind: 'request', id: 1, method: 'vm.create', params: { name: 'Web' } }),
    );
    const created = await c.response(1);
    expect(created).toMatchObject({ ok: true, result: { name: 'Web', technique: 'native' } });
    await c.next((m) => m.kind === 'event' && m.event === 'vm.changed');
    c.ws.close();
  });

  it('answers malformed messages with typed errors and keeps the connection', async () => {
    const c = await connect();
    c.ws.send('{ not json');
    expect(await c.response(-1)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    c.ws.send(JSON.stringify({ kind: 'request', id: 'x', method: 'vm.list' }));
    expect(
      await c.next((m) => m.kind === 'response' && !m.ok && m.error.message.includes('kind')),
    ).toBeTruthy();
    c.ws.send(JSON.stringify({ kind: 'request', id: 2, method: 'vm.nuke', params: {} }));
    expect(await c.response(2)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    c.ws.send(JSON.stringify({ kind: 'request', id: 3, method: 'vm.update', params: { id: 7 } }));
    expect(await c.response(3)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    c.ws.send(JSON.stringify({ kind: 'request', id: 4, method: 'vm.list', params: {} }));
    expect(await c.response(4)).toMatchObject({ ok: true });
    c.ws.close();
  });

  it('refuses sockets from other origins and other paths', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow(/403/);
    const ok = await connect(server.url.replace(/\/$/, ''));
    ok.ws.close();
    const other = new WebSocket(`${server.url.replace('http', 'ws')}other`);
    await expect(
      new Promise((ok, fail) => {
        other.once('open', ok);
        other.once('error', fail);
      }),
    ).rejects.toThrow(/403/);
  });
});

describe('web mode archive routes', () => {
  it('downloads a VM as one file and imports it back as a copy', async () => {
    const vm = await service.request('vm.create', { name: 'Travelling VM' });
    const res = await fetch(`${server.url}api/vms/${vm.id}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="Travelling VM.vmlab"',
    );
    const file = new Uint8Array(await res.arrayBuffer());
    const up = await fetch(`${server.url}api/vms/import`, {
      method: 'POST',
      headers: { 'x-vmlab-upload': '1' },
      body: file,
    });
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ name: 'Travelling VM (imported)' });
  });

  it('refuses uploads without the header, from other sites, and bad files', async () => {
    const noHeader = await fetch(`${server.url}api/vms/import`, { method: 'POST', body: 'x' });
    expect(noHeader.status).toBe(400);
    const foreign = await fetch(`${server.url}api/vms/import`, {
      method: 'POST',
      headers: { 'x-vmlab-upload': '1', origin: 'http://evil.example' },
      body: 'x',
    });
    expect(foreign.status).toBe(403);
    const junk = await fetch(`${server.url}api/vms/import`, {
      method: 'POST',
      headers: { 'x-vmlab-upload': '1' },
      body: 'junk',
    });
    expect(junk.status).toBe(400);
    expect(await junk.json()).toMatchObject({
      code: 'bad-request',
      message: /not a vmlab snapshot/,
    });
    expect((await fetch(`${server.url}api/vms/no-such-vm/export`)).status).toBe(404);
  });
});
