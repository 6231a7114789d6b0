import { describe, expect, it } from 'vitest';
import { API_METHODS, ApiError } from './api';
import { LIMITS, parseParams, validateRequest } from './schema';

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('request validation', () => {
  it('accepts well-formed params for every method', () => {
    const vmId = 'hello-abc123';
    const good: Record<(typeof API_METHODS)[number], unknown> = {
      'vm.list': {},
      'vm.create': { name: 'Hello', technique: 'native', memoryMiB: 16, source: 'nop' },
      'vm.update': { id: vmId, name: 'Renamed' },
      'vm.delete': { id: vmId },
      'vm.clone': { id: vmId },
      'source.get': { vmId },
      'source.set': { vmId, file: 'main.asm', text: '' },
      'source.assemble': { vmId, text: 'nop', files: { 'defs.inc': 'X equ 1' } },
      'source.list': { vmId },
      'source.create': { vmId, file: 'defs.inc', text: 'X equ 1\n' },
      'source.rename': { vmId, file: 'defs.inc', to: 'consts.inc' },
      'source.delete': { vmId, file: 'consts.inc' },
      'run.start': { vmId },
      'run.pause': { vmId },
      'run.resume': { vmId },
      'run.stop': { vmId },
      'run.reset': { vmId },
      'run.step': { vmId, count: 10 },
      'run.status': { vmId },
      'console.input': { vmId, data: 'a' },
      'keyboard.input': { vmId, keys: [{ code: 'KeyA', down: true }] },
      'screen.get': { vmId },
      'snapshot.list': { vmId },
      'snapshot.take': { vmId, name: 'booted', description: 'after the BIOS' },
      'snapshot.revert': { vmId, snapshotId: 'snap-0123abcd' },
      'snapshot.rename': { vmId, snapshotId: 'snap-0123abcd', name: 'x' },
      'snapshot.delete': { vmId, snapshotId: 'snap-0123abcd' },
    };
    for (const method of API_METHODS) {
      expect(() => parseParams(method, good[method]), method).not.toThrow();
    }
  });

  it('treats missing params of a parameterless method as empty', () => {
    expect(parseParams('vm.list', undefined)).toEqual({});
  });

  it('names the bad field and the method', () => {
    const err = errorOf(() => parseParams('vm.create', { name: '' }));
    expect(err.code).toBe('bad-request');
    expect(err.message).toBe("vm.create: 'name' must not be empty");
  });

  it('refuses unknown fields, wrong types and out-of-range numbers', () => {
    expect(errorOf(() => parseParams('vm.delete', { id: 'a', extra: 1 })).code).toBe('bad-request');
    expect(errorOf(() => parseParams('run.step', { vmId: 'a', count: 0 })).code).toBe(
      'bad-request',
    );
    expect(errorOf(() => parseParams('run.step', { vmId: 'a', count: 1.5 })).code).toBe(
      'bad-request',
    );
    expect(errorOf(() => parseParams('vm.create', { name: 'x', memoryMiB: 4096 })).message).toMatch(
      /memoryMiB/,
    );
    expect(
      errorOf(() => parseParams('vm.create', { name: 'x', technique: 'magic' })).message,
    ).toMatch(/technique/);
    expect(errorOf(() => parseParams('vm.list', 'not an object')).code).toBe('bad-request');
  });

  it('keeps file names inside the VM folder', () => {
    for (const file of ['../vm.json', '/etc/passwd', '.hidden', 'a/b.asm', '']) {
      expect(errorOf(() => parseParams('source.get', { vmId: 'a', file })).message).toMatch(/file/);
      expect(errorOf(() => parseParams('source.create', { vmId: 'a', file })).code).toBe(
        'bad-request',
      );
      expect(
        errorOf(() => parseParams('source.rename', { vmId: 'a', file: 'x.inc', to: file })).message,
      ).toMatch(/'to'/);
      expect(
        errorOf(() => parseParams('source.assemble', { vmId: 'a', files: { [file]: 'nop' } })).code,
      ).toBe('bad-request');
    }
  });

  it('takes binary file data as base64 only, and text or data, not both', () => {
    expect(() =>
      parseParams('source.create', { vmId: 'a', file: 'b.bin', data: 'AAEC' }),
    ).not.toThrow();
    expect(
      errorOf(() => parseParams('source.create', { vmId: 'a', file: 'b.bin', data: '%%' })).message,
    ).toMatch(/base64/);
    expect(
      errorOf(() => parseParams('source.create', { vmId: 'a', file: 'b', text: '', data: 'AA==' }))
        .message,
    ).toMatch(/not both/);
  });

  it('refuses ids that are not VM ids, and oversized text', () => {
    expect(errorOf(() => parseParams('run.start', { vmId: '../x' })).message).toMatch(/vmId/);
    const big = 'x'.repeat(LIMITS.sourceBytes + 1);
    expect(errorOf(() => parseParams('source.set', { vmId: 'a', text: big })).message).toMatch(
      /1 MiB/,
    );
    expect(errorOf(() => parseParams('vm.create', { name: 'a\u0007b' })).message).toMatch(
      /control/,
    );
  });

  it('accepts key events by KeyboardEvent.code only, in bounded batches', () => {
    const key = (code: unknown, down: unknown = true) => ({ vmId: 'a', keys: [{ code, down }] });
    expect(parseParams('keyboard.input', key('ArrowUp', false)).keys).toEqual([
      { code: 'ArrowUp', down: false },
    ]);
    for (const bad of [key('<script>'), key(''), key('KeyA', 'yes'), { vmId: 'a', keys: [] }]) {
      expect(errorOf(() => parseParams('keyboard.input', bad)).code).toBe('bad-request');
    }
    const many = Array.from({ length: LIMITS.keyEvents + 1 }, () => ({ code: 'KeyA', down: true }));
    expect(errorOf(() => parseParams('keyboard.input', { vmId: 'a', keys: many })).message).toMatch(
      /keys/,
    );
  });

  it('refuses unknown methods with their own code', () => {
    expect(errorOf(() => validateRequest('vm.explode', {})).code).toBe('unknown-method');
    expect(errorOf(() => validateRequest(42, {})).code).toBe('unknown-method');
    expect(errorOf(() => validateRequest('toString', {})).code).toBe('unknown-method');
  });
});
