import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiEventName, type PreloadApi } from '../../../shared/api';
import { createApiClient } from './client';
import { PreloadClient } from './preload-client';

/** A PreloadApi whose methods are all the given mock, with a way to push events. */
function fakeBridge(impl: (params: unknown) => Promise<unknown>) {
  let emit: (event: ApiEventName, payload: unknown) => void = () => {};
  const call = vi.fn(impl);
  const bridge = new Proxy(
    {
      onEvent(handler: (event: ApiEventName, payload: unknown) => void) {
        emit = handler;
        return () => {};
      },
    },
    { get: (target, key) => (key === 'onEvent' ? target.onEvent : call) },
  ) as unknown as PreloadApi;
  return { bridge, call, emit: (e: ApiEventName, p: unknown) => emit(e, p) };
}

describe('PreloadClient', () => {
  it('returns the result of an ok outcome', async () => {
    const { bridge, call } = fakeBridge(async () => ({ ok: true, result: [] }));
    const client = new PreloadClient(bridge);
    await expect(client.request('vm.list', {})).resolves.toEqual([]);
    expect(call).toHaveBeenCalledWith({});
  });

  it('throws an ApiError for an error outcome', async () => {
    const { bridge } = fakeBridge(async () => ({
      ok: false,
      error: { code: 'not-found', message: 'No such VM' },
    }));
    const err = await new PreloadClient(bridge)
      .request('vm.delete', { id: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('not-found');
    expect((err as ApiError).message).toBe('No such VM');
  });

  it('wraps a failing IPC call into an internal ApiError', async () => {
    const { bridge } = fakeBridge(async () => {
      throw new Error('IPC channel closed');
    });
    const err = await new PreloadClient(bridge).request('vm.list', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('internal');
  });

  it('dispatches known events only', () => {
    const { bridge, emit } = fakeBridge(async () => ({ ok: true, result: null }));
    const client = new PreloadClient(bridge);
    const seen: unknown[] = [];
    client.on('run.status', (s) => seen.push(s.state));
    emit('run.status', { vmId: 'a', state: 'paused', icount: 0, ips: 0 });
    emit('bogus' as ApiEventName, {});
    expect(seen).toEqual(['paused']);
  });

  it('is what createApiClient picks when window.vmlab exists', () => {
    const { bridge } = fakeBridge(async () => ({ ok: true, result: null }));
    const client = createApiClient({ vmlab: bridge, location: { protocol: 'file:', host: '' } });
    expect(client).toBeInstanceOf(PreloadClient);
  });
});
