// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type PreloadApi } from '../../../shared/api';
import { makeVm } from '../testing/fake-client';
import { preloadVmFiles, webVmFiles } from './vm-files';

describe('VM files in web mode', () => {
  it('exports by following a download link to the archive route', async () => {
    const clicked: string[] = [];
    const spy = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.getAttribute('href') ?? '');
    });
    await webVmFiles().exportVm('hello-abc123');
    expect(clicked).toEqual(['/api/vms/hello-abc123/export']);
    expect(document.querySelectorAll('a').length).toBe(0);
    spy.mockRestore();
  });

  it('imports by uploading with the required header, and reports refusals as ApiError', async () => {
    const vm = makeVm('x', 'imported');
    const calls: RequestInit[] = [];
    const ok = (async (_url: string, init: RequestInit) => {
      calls.push(init);
      return new Response(JSON.stringify(vm), { status: 200 });
    }) as unknown as typeof fetch;
    expect(await webVmFiles(document, ok).importVm(new Blob(['bytes']))).toEqual(vm);
    expect(calls[0]).toMatchObject({ method: 'POST', headers: { 'x-vmlab-upload': '1' } });
    expect(await webVmFiles(document, ok).importVm()).toBeNull();

    const refused = (async () =>
      new Response(
        JSON.stringify({ code: 'bad-request', message: 'the file is not a vmlab VM archive' }),
        {
          status: 400,
        },
      )) as unknown as typeof fetch;
    const err = await webVmFiles(document, refused)
      .importVm(new Blob(['x']))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      code: 'bad-request',
      message: 'the file is not a vmlab VM archive',
    });
  });
});

describe('VM files in Electron', () => {
  it('lets the main process ask for the file, and passes cancel through as null', async () => {
    const bridge = {
      exportVmFile: async () => ({ ok: true as const, result: null }),
      importVmFile: async () => ({ ok: true as const, result: null }),
    } as unknown as PreloadApi;
    const files = preloadVmFiles(bridge);
    expect(files.picksOwnFile).toBe(true);
    await expect(files.exportVm('a')).resolves.toBeUndefined();
    expect(await files.importVm()).toBeNull();
    const failing = preloadVmFiles({
      ...bridge,
      exportVmFile: async () => ({
        ok: false as const,
        error: { code: 'not-found' as const, message: 'gone' },
      }),
    } as PreloadApi);
    await expect(failing.exportVm('a')).rejects.toMatchObject({
      code: 'not-found',
      message: 'gone',
    });
  });
});
