import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  API_METHODS,
  IPC_EVENT_CHANNEL,
  IPC_EXPORT_CHANNEL,
  IPC_IMPORT_CHANNEL,
  ipcChannel,
} from '../shared/api';
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
  const picked = { save: undefined as string | undefined, open: undefined as string | undefined };
  const dialogs = {
    chooseSavePath: async () => picked.save,
    chooseOpenPath: async () => picked.open,
  };
  // biome-ignore lint/suspicious/noExplicitAny: the fakes stand in for Electron's types
  const unregister = registerIpc(f.ipc as any, service, () => [f.contents as any], dialogs);
  cleanup.push(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { ...f, unregister, picked, dir };
}

describe('Electron IPC adapter', () => {
  it('registers one channel per API method and removes them all', async () => {
    const { handlers, unregister } = await setup();
    expect([...handlers.keys()].sort()).toEqual(
      [...API_METHODS.map(ipcChannel), IPC_EXPORT_CHANNEL, IPC_IMPORT_CHANNEL].sort(),
    );
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

  it('exports to the file the user picks and imports from one, or does nothing if cancelled', async () => {
    const { handlers, picked, dir } = await setup();
    const vm = (await handlers.get(ipcChannel('vm.create'))!({}, { name: 'Boxed' })) as {
      result: { id: string };
    };
    const exportVm = handlers.get(IPC_EXPORT_CHANNEL)!;
    expect(await exportVm({}, vm.result.id)).toEqual({ ok: true, result: null });
    picked.save = join(dir, 'boxed.vmlab');
    expect(await exportVm({}, vm.result.id)).toEqual({ ok: true, result: { path: picked.save } });
    expect(existsSync(picked.save)).toBe(true);
    expect(readFileSync(picked.save).subarray(0, 8).toString()).toBe('VMLABSNP');
    const importVm = handlers.get(IPC_IMPORT_CHANNEL)!;
    expect(await importVm({}, undefined)).toEqual({ ok: true, result: null });
    picked.open = picked.save;
    expect(await importVm({}, undefined)).toMatchObject({
      ok: true,
      result: { name: 'Boxed (imported)' },
    });
    expect(await exportVm({}, '../etc')).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
  });
});
