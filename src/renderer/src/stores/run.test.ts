import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type Diagnostic } from '../../../shared/api';
import { makeVm } from '../testing/fake-client';
import { useFakeApi } from '../testing/setup';
import { useConsolesStore } from './consoles';
import { useEditorStore } from './editor';
import { useNoticesStore } from './notices';
import { summarizeDiagnostics, useRunStore } from './run';

const bad: Diagnostic = {
  file: 'main.asm',
  line: 3,
  column: 5,
  endColumn: 8,
  severity: 'error',
  message: "unknown instruction 'mvo'",
};

describe('run store', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("follows 'run.status' events; an unknown VM is stopped", () => {
    const client = useFakeApi();
    const run = useRunStore();
    expect(run.status('a')).toEqual({ vmId: 'a', state: 'stopped', icount: 0, ips: 0 });
    client.emit('run.status', { vmId: 'a', state: 'running', icount: 1234, ips: 5e6 });
    expect(run.status('a').state).toBe('running');
    expect(run.status('a').icount).toBe(1234);
    client.emit('run.status', { vmId: 'a', state: 'exited', icount: 2000, ips: 0, exitCode: 3 });
    expect(run.status('a').exitCode).toBe(3);
  });

  it('Run saves, assembles, clears the console, then starts', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    const editor = useEditorStore();
    await editor.open('a');
    editor.setText('hlt');
    client.emit('console.output', { vmId: 'a', port: 'com1', data: 'old output' });
    client.calls.length = 0;
    const run = useRunStore();
    expect(await run.start('a')).toBe(true);
    expect(client.calls.map((c) => c.method)).toEqual([
      'source.set',
      'source.assemble',
      'run.start',
    ]);
    expect(useConsolesStore().buffer('a').text()).toBe('');
    expect(run.status('a').state).toBe('running');
    expect(run.busy('a')).toBeNull();
  });

  it('Run before the editor loaded the source starts from the stored source', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    client.handle('source.get', () => new Promise(() => {}));
    void useEditorStore().open('a');
    const run = useRunStore();
    expect(await run.start('a')).toBe(true);
    expect(client.paramsOf('run.start')).toEqual([{ vmId: 'a' }]);
    expect(client.paramsOf('source.set')).toEqual([]);
    expect(client.paramsOf('source.assemble')).toEqual([]);
  });

  it('shows a failed assembly in the banner and does not start', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    const editor = useEditorStore();
    await editor.open('a');
    client.handle('source.assemble', () => ({ ok: false, diagnostics: [bad], size: 0 }));
    const run = useRunStore();
    expect(await run.start('a')).toBe(false);
    expect(client.paramsOf('run.start')).toEqual([]);
    expect(run.banner('a')?.message).toBe("Assembly failed: line 3:5: unknown instruction 'mvo'");
    expect(run.banner('a')?.diagnostics).toEqual([bad]);
    expect(editor.diagnostics).toEqual([bad]);
  });

  it("maps a run.start 'assemble-failed' error to the banner and the editor", async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    const editor = useEditorStore();
    await editor.open('a');
    client.fail('run.start', new ApiError('assemble-failed', 'Assembly failed', [bad]));
    const run = useRunStore();
    expect(await run.start('a')).toBe(false);
    expect(run.banner('a')?.diagnostics).toEqual([bad]);
    expect(editor.diagnostics).toEqual([bad]);
  });

  it('shows other start failures in the banner, cleared by the next start', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    client.fail('run.start', new ApiError('not-implemented', 'trap is not available'));
    const run = useRunStore();
    await run.start('a');
    expect(run.banner('a')?.message).toBe('Run failed: trap is not available');
    client.handle('run.start', ({ vmId }) => ({ vmId, state: 'running', icount: 0, ips: 0 }));
    await run.start('a');
    expect(run.banner('a')).toBeNull();
  });

  it('pause, resume, step, stop and reset call the service and take its status', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    const run = useRunStore();
    await run.start('a');
    await run.pause('a');
    expect(run.status('a').state).toBe('paused');
    await run.step('a', 3);
    expect(client.paramsOf('run.step')).toEqual([{ vmId: 'a', count: 3 }]);
    await run.resume('a');
    expect(run.status('a').state).toBe('running');
    await run.reset('a');
    await run.stop('a');
    expect(run.status('a').state).toBe('stopped');
    expect(client.calls.map((c) => c.method).filter((m) => m.startsWith('run.'))).toEqual([
      'run.start',
      'run.pause',
      'run.step',
      'run.resume',
      'run.reset',
      'run.stop',
    ]);
  });

  it('reports failed actions as notices', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    client.fail('run.pause', new ApiError('invalid-state', 'The VM is not running'));
    const run = useRunStore();
    expect(await run.pause('a')).toBe(false);
    expect(useNoticesStore().notices[0]?.message).toBe('Pause: The VM is not running');
  });

  it('shows an error state in the banner until dismissed', () => {
    const client = useFakeApi();
    const run = useRunStore();
    client.emit('run.status', {
      vmId: 'a',
      state: 'error',
      icount: 10,
      ips: 0,
      message: 'triple fault',
    });
    expect(run.banner('a')?.message).toBe('triple fault');
    run.dismissError('a');
    expect(run.banner('a')).toBeNull();
    client.emit('run.status', { vmId: 'a', state: 'error', icount: 99, ips: 0, message: 'again' });
    expect(run.banner('a')?.message).toBe('again');
  });

  it('summarizes diagnostics by the first error', () => {
    expect(summarizeDiagnostics([])).toBe('Assembly failed');
    expect(summarizeDiagnostics([bad, { ...bad, line: 9 }])).toBe(
      "Assembly failed: line 3:5: unknown instruction 'mvo' (and 1 more)",
    );
    const related = [
      {
        file: 'defs.inc',
        line: 2,
        column: 3,
        endColumn: 6,
        message: "... from macro `m' defined here",
      },
    ];
    expect(summarizeDiagnostics([{ ...bad, related }])).toBe(
      "Assembly failed: line 3:5: unknown instruction 'mvo' (in macro `m' at defs.inc:2)",
    );
  });
});
