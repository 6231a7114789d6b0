import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { API_METHODS, IPC_EVENT_CHANNEL, ipcChannel } from '../shared/api';
import { inProcessLink } from './engine-host/links';
import { registerIpc } from './ipc-adapter';
import { VmService } from './services/vm-service';

type Handler = (event: unknown, params: unknown) => Promise<unknown>;

/** Just enough of ipcMain and WebContents to drive the adapter. */
function fakes() {
  const handlers = new Map<string, Handler>();
  const sent: unknown[][] = [];
  const ipc = {
    handle: (channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  };
  const contents = { isDestroyed: () => false, send: (...args: unknown[]) => sent.push(args) };
  return { handlers, sent, ipc, contents };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'vmlab-ipc-'));
  const service = await VmService.open(dir, () => inProcessLink());
  const f = fakes();
  // biome-ignore lint/suspicious/noExplicitAny: the fakes stand in for Electron's types
  const unregister = registerIpc(f.ipc as any, service, () => [f.contents as any]);
  cleanup.push(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { ...f, unregister };
}

describe('Electron IPC adapter', () => {
  it('registers one channel per API method and removes them all', async () => {
    const { handlers, unregister } = await setup();
    expect([...handlers.keys()].sort()).toEqual(API_METHODS.map(ipcChannel).sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('answers with ok results or typed errors, never throwing across IPC', async () => {
    const { handlers, sent } = await setup();
    const create = handlers.get(ipcChannel('vm.create'))!;
    const good = await create({}, { name: 'Via IPC' });
    expect(good).toMatchObject({ ok: true, result: { name: 'Via IPC' } });
    expect(
      sent.some(([channel, event]) => channel === IPC_EVENT_CHANNEL && event === 'vm.changed'),
    ).toBe(true);
    expect(await create({}, { name: { evil: true } })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(await handlers.get(ipcChannel('vm.delete'))!({}, { id: 'ghost' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });
});
