import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEventName, ApiEvents, RunStatus, ScreenFrame } from '../../shared/api';
import { inProcessLink } from '../engine-host/links';
import { VmService } from './vm-service';

const HELLO = readFileSync('examples/hello.asm', 'utf8');
const SPIN = readFileSync('examples/spin.asm', 'utf8');
const KERNEL = readFileSync('examples/kernel.asm', 'utf8');

/** A screen frame's rows as text, without trailing blanks. */
function screenRows(frame: ScreenFrame): string[] {
  const bytes = Buffer.from(frame.cells, 'base64');
  return Array.from({ length: frame.rows }, (_, row) => {
    let text = '';
    for (let col = 0; col < frame.cols; col++) {
      text += String.fromCharCode(bytes[(row * frame.cols + col) * 2]!);
    }
    return text.trimEnd();
  });
}

const open: { service: VmService; dir: string }[] = [];
afterEach(async () => {
  for (const { service, dir } of open.splice(0)) {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function makeService(dir = mkdtempSync(join(tmpdir(), 'vmlab-svc-'))) {
  const service = await VmService.open(dir, () => inProcessLink());
  open.push({ service, dir });
  const events: { event: ApiEventName; payload: unknown }[] = [];
  service.onEvent((event, payload) => events.push({ event, payload }));
  return { service, events, dir };
}

function consoleText(events: { event: ApiEventName; payload: unknown }[], port = 'com1'): string {
  return events
    .filter((e) => e.event === 'console.output')
    .map((e) => e.payload as ApiEvents['console.output'])
    .filter((p) => p.port === port)
    .map((p) => p.data)
    .join('');
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('VmService', () => {
  it('manages the library and announces every change', async () => {
    const { service, events } = await makeService();
    const vm = await service.request('vm.create', { name: 'One' });
    const renamed = await service.request('vm.update', { id: vm.id, name: 'Uno' });
    expect(renamed.name).toBe('Uno');
    const copy = await service.request('vm.clone', { id: vm.id });
    expect((await service.request('vm.list', {})).map((v) => v.name)).toEqual([
      'Uno',
      'Uno (copy)',
    ]);
    await service.request('vm.delete', { id: copy.id });
    expect(events.filter((e) => e.event === 'vm.changed')).toHaveLength(4);
    const last = events.at(-1)!.payload as ApiEvents['vm.changed'];
    expect(last.vms.map((v) => v.id)).toEqual([vm.id]);
  });

  it('answers malformed requests with typed errors and keeps working', async () => {
    const { service } = await makeService();
    await expect(service.handle('vm.create', { name: 42 })).rejects.toMatchObject({
      code: 'bad-request',
    });
    await expect(service.handle('no.such', {})).rejects.toMatchObject({ code: 'unknown-method' });
    await expect(service.handle('run.start', { vmId: 'missing-vm' })).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(service.handle('vm.create', null)).rejects.toMatchObject({ code: 'bad-request' });
    expect(await service.request('vm.list', {})).toEqual([]);
  });

  it('assembles sources with diagnostics', async () => {
    const { service } = await makeService();
    const vm = await service.request('vm.create', { name: 'Asm' });
    const good = await service.request('source.assemble', { vmId: vm.id });
    expect(good).toMatchObject({ ok: true, diagnostics: [], size: 512 });
    const bad = await service.request('source.assemble', {
      vmId: vm.id,
      text: 'bits 16\nmov ax, nowhere\n',
    });
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics[0]).toMatchObject({ file: 'main.asm', line: 2, severity: 'error' });
  });

  it('runs the hello guest to its halt with the greeting on the console', async () => {
    const { service, events } = await makeService();
    const vm = await service.request('vm.create', { name: 'Hello', source: HELLO });
    const started = await service.request('run.start', { vmId: vm.id });
    expect(started.state).toMatch(/running|halted/);
    await until(() => consoleText(events).includes('Hello from vmlab!'));
    await until(() =>
      events.some((e) => e.event === 'run.status' && (e.payload as RunStatus).state === 'halted'),
    );
    const status = await service.request('run.status', { vmId: vm.id });
    expect(status).toMatchObject({
      state: 'halted',
      message: 'guest halted with interrupts disabled',
    });
    expect(status.icount).toBeGreaterThan(10);
    expect(consoleText(events, 'screen')).toContain('Hello from vmlab!');
    expect(consoleText(events, 'debug')).toBe('');
  });

  it('refuses to run a source with errors, or a technique that does not exist yet', async () => {
    const { service } = await makeService();
    const vm = await service.request('vm.create', { name: 'Bad', source: 'bits 16\nmov al, bx\n' });
    await expect(service.request('run.start', { vmId: vm.id })).rejects.toMatchObject({
      code: 'assemble-failed',
      diagnostics: [expect.objectContaining({ line: 2 })],
    });
    const pv = await service.request('vm.create', { name: 'PV', technique: 'pv' });
    await expect(service.request('run.start', { vmId: pv.id })).rejects.toMatchObject({
      code: 'not-implemented',
      message: "technique 'pv' is not implemented yet; only native runs",
    });
  });

  it('pauses, resumes and stops a spinning guest promptly', async () => {
    const { service } = await makeService();
    const vm = await service.request('vm.create', { name: 'Spin', source: SPIN });
    await service.request('run.start', { vmId: vm.id });
    await new Promise((r) => setTimeout(r, 50));
    const paused = await service.request('run.pause', { vmId: vm.id });
    expect(paused.state).toBe('paused');
    expect(paused.icount).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 30));
    expect((await service.request('run.status', { vmId: vm.id })).icount).toBe(paused.icount);
    expect((await service.request('run.resume', { vmId: vm.id })).state).toBe('running');
    const stopped = await service.request('run.stop', { vmId: vm.id });
    expect(stopped.state).toBe('stopped');
    expect(stopped.icount).toBeGreaterThan(paused.icount);
    await expect(service.request('run.pause', { vmId: vm.id })).rejects.toMatchObject({
      code: 'invalid-state',
    });
  });

  it('steps one instruction at a time from a stopped VM', async () => {
    const { service } = await makeService();
    const vm = await service.request('vm.create', { name: 'Step', source: HELLO });
    expect(await service.request('run.step', { vmId: vm.id })).toMatchObject({
      state: 'paused',
      icount: 1,
    });
    expect(await service.request('run.step', { vmId: vm.id, count: 4 })).toMatchObject({
      icount: 5,
    });
    const reset = await service.request('run.reset', { vmId: vm.id });
    expect(reset).toMatchObject({ state: 'paused', icount: 0 });
  });

  it('delivers console input to the guest UART', async () => {
    const { service, events } = await makeService();
    const echo = readFileSync('examples/echo.asm', 'utf8');
    const vm = await service.request('vm.create', { name: 'Echo', source: echo });
    await service.request('run.start', { vmId: vm.id });
    await service.request('console.input', { vmId: vm.id, data: 'vmlab' });
    await until(() => consoleText(events).includes('VMLAB'));
  });

  it('boots a source larger than a sector from its disk, posts its screen and takes keys', async () => {
    const { service, events } = await makeService();
    // The example halts after half a second of ticks; give this test time to type.
    const source = KERNEL.replace(/TICKS_TO_RUN\s+equ 50/, 'TICKS_TO_RUN equ 3000');
    const vm = await service.request('vm.create', { name: 'Kernel', source, memoryMiB: 16 });
    await service.request('run.start', { vmId: vm.id });
    const screen = () => {
      const frames = events.filter((e) => e.event === 'screen.update');
      const last = frames.at(-1)?.payload as ApiEvents['screen.update'] | undefined;
      return last ? screenRows(last.frame) : [];
    };
    await until(() => screen()[5] === 'task exited; type keys, they echo here');
    expect(screen()[0]).toBe('vmlab kernel: 32-bit protected mode');
    expect(screen()[3]).toBe('IDE sector 16: read with IDE PIO');
    const keys = ['KeyO', 'KeyK'].flatMap((code) => [
      { code, down: true },
      { code, down: false },
    ]);
    await service.request('keyboard.input', { vmId: vm.id, keys });
    await until(() => screen()[6] === 'ok');
    expect(await service.request('screen.get', { vmId: vm.id })).toMatchObject({
      cols: 80,
      rows: 25,
      cursor: { row: 6, col: 2 },
    });
    await expect(service.handle('keyboard.input', { vmId: vm.id, keys: [] })).rejects.toMatchObject(
      { code: 'bad-request' },
    );
  });

  it('refuses keyboard input for a VM that is not running', async () => {
    const { service } = await makeService();
    const vm = await service.request('vm.create', { name: 'Off' });
    expect(await service.request('screen.get', { vmId: vm.id })).toBeNull();
    await expect(
      service.request('keyboard.input', { vmId: vm.id, keys: [{ code: 'KeyA', down: true }] }),
    ).rejects.toMatchObject({ code: 'invalid-state' });
  });

  it('keeps the library across a restart of the service', async () => {
    const first = await makeService();
    const vm = await first.service.request('vm.create', { name: 'Persist' });
    await first.service.request('source.set', { vmId: vm.id, text: '; kept\n' });
    await first.service.close();
    const second = await VmService.open(first.dir, () => inProcessLink());
    open.push({ service: second, dir: mkdtempSync(join(tmpdir(), 'vmlab-svc-')) });
    expect((await second.request('vm.list', {})).map((v) => v.name)).toEqual(['Persist']);
    expect(await second.request('source.get', { vmId: vm.id })).toEqual({
      file: 'main.asm',
      text: '; kept\n',
    });
  });
});

describe('VmService snapshots', () => {
  it('takes snapshots of a running VM and reverts to them with the same continuation', async () => {
    const { service, events } = await makeService();
    const echo = readFileSync('examples/echo.asm', 'utf8');
    const vm = await service.request('vm.create', { name: 'Snap', source: echo });
    await service.request('run.start', { vmId: vm.id });
    await service.request('console.input', { vmId: vm.id, data: 'ab' });
    await until(() => consoleText(events).includes('AB'));
    const first = await service.request('snapshot.take', { vmId: vm.id, name: 'after ab' });
    expect(first).toMatchObject({ name: 'after ab', parentId: null });
    await service.request('console.input', { vmId: vm.id, data: 'cd' });
    await until(() => consoleText(events).includes('ABCD'));
    const second = await service.request('snapshot.take', { vmId: vm.id, name: 'after cd' });
    expect(second.parentId).toBe(first.id);
    expect(second.icount).toBeGreaterThan(first.icount);
    const tree = await service.request('snapshot.list', { vmId: vm.id });
    expect(tree).toMatchObject({
      current: second.id,
      nodes: [{ id: first.id }, { id: second.id }],
    });
    expect(events.some((e) => e.event === 'snapshot.changed')).toBe(true);

    // Back to the first moment: the guest continues from there and echoes new input.
    const reverted = await service.request('snapshot.revert', {
      vmId: vm.id,
      snapshotId: first.id,
    });
    expect(reverted.state).toBe('running');
    expect((await service.request('snapshot.list', { vmId: vm.id })).current).toBe(first.id);
    await service.request('console.input', { vmId: vm.id, data: 'z' });
    await until(() => consoleText(events).endsWith('Z'));
  });

  it('starts a stopped VM from a snapshot, paused at that moment', async () => {
    const { service } = await makeService();
    const vm = await service.request('vm.create', { name: 'Cold', source: SPIN });
    await service.request('run.step', { vmId: vm.id, count: 25 });
    const snap = await service.request('snapshot.take', { vmId: vm.id, name: 'at 25' });
    await service.request('run.stop', { vmId: vm.id });
    const status = await service.request('snapshot.revert', { vmId: vm.id, snapshotId: snap.id });
    expect(status).toMatchObject({ state: 'paused', icount: 25 });
    expect(await service.request('run.step', { vmId: vm.id, count: 5 })).toMatchObject({
      icount: 30,
    });
    expect((await service.request('snapshot.list', { vmId: vm.id })).current).toBe(snap.id);
    // A fresh boot from the source is no snapshot's continuation: "you are here" is cleared.
    await service.request('run.stop', { vmId: vm.id });
    await service.request('run.start', { vmId: vm.id });
    expect((await service.request('snapshot.list', { vmId: vm.id })).current).toBeNull();
  });

  it('refuses snapshots of a VM that is not running, and unknown snapshots', async () => {
    const { service } = await makeService();
    const vm = await service.request('vm.create', { name: 'Idle' });
    await expect(
      service.request('snapshot.take', { vmId: vm.id, name: 'x' }),
    ).rejects.toMatchObject({
      code: 'invalid-state',
    });
    await expect(
      service.request('snapshot.revert', { vmId: vm.id, snapshotId: 'snap-00000000' }),
    ).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.handle('snapshot.take', { vmId: vm.id })).rejects.toMatchObject({
      code: 'bad-request',
    });
  });
});

describe('VmService includes', () => {
  it('assembles %include and incbin from the VM folder', async () => {
    const { service } = await makeService();
    const source = "bits 16\n%include 'defs.inc'\ndb COUNT\nincbin 'blob.bin'\n";
    const vm = await service.request('vm.create', { name: 'Inc', source });
    await service.request('source.set', { vmId: vm.id, file: 'defs.inc', text: 'COUNT equ 7\n' });
    await service.request('source.set', { vmId: vm.id, file: 'blob.bin', text: 'AB' });
    expect(await service.request('source.assemble', { vmId: vm.id })).toMatchObject({
      ok: true,
      size: 3,
    });
    const missing = await service.request('source.assemble', {
      vmId: vm.id,
      text: "%include 'nope.inc'\n",
    });
    expect(missing.ok).toBe(false);
    expect(missing.diagnostics[0]?.message).toMatch(/nope\.inc/);
  });

  it('manages project files through the API and announces each change', async () => {
    const { service, events } = await makeService();
    const vm = await service.request('vm.create', { name: 'Files' });
    const vmId = vm.id;
    expect(
      await service.request('source.create', { vmId, file: 'msg.inc', text: "db 'hi'\n" }),
    ).toEqual({ name: 'msg.inc', size: 8, main: false, kind: 'text' });
    await service.request('source.create', { vmId, file: 'font.bin', data: 'AAEC/w==' });
    await service.request('source.rename', { vmId, file: 'msg.inc', to: 'text.inc' });
    const list = await service.request('source.list', { vmId });
    expect(list.map((f) => [f.name, f.size, f.main, f.kind])).toEqual([
      ['main.asm', list[0]!.size, true, 'text'],
      ['font.bin', 4, false, 'binary'],
      ['text.inc', 8, false, 'text'],
    ]);
    await service.request('source.delete', { vmId, file: 'font.bin' });
    const changes = events
      .filter((e) => e.event === 'source.changed')
      .map((e) => (e.payload as ApiEvents['source.changed']).files.map((f) => f.name));
    expect(changes).toEqual([
      ['main.asm', 'msg.inc'],
      ['main.asm', 'font.bin', 'msg.inc'],
      ['main.asm', 'font.bin', 'text.inc'],
      ['main.asm', 'text.inc'],
    ]);
  });

  it('answers bad file requests with typed errors', async () => {
    const { service } = await makeService();
    const { id: vmId } = await service.request('vm.create', { name: 'Errors' });
    const refused = async (method: string, params: object, code: string, message?: RegExp) =>
      expect(service.handle(method, { vmId, ...params })).rejects.toMatchObject({
        code,
        ...(message ? { message: expect.stringMatching(message) } : {}),
      });
    await refused('source.create', { file: '../up.inc' }, 'bad-request', /plain file name/);
    await refused('source.create', { file: 'a b.inc' }, 'bad-request');
    await refused('source.create', { file: 'vm.json', text: '{}' }, 'bad-request', /reserved/);
    await refused('source.set', { file: 'vm.json', text: '{}' }, 'bad-request', /reserved/);
    await refused('source.get', { file: 'vm.json' }, 'bad-request', /reserved/);
    await refused('source.create', { file: 'main.asm' }, 'conflict', /already has/);
    await refused('source.rename', { file: 'main.asm', to: 'boot.asm' }, 'invalid-state');
    await refused('source.delete', { file: 'main.asm' }, 'invalid-state', /main source/);
    await refused('source.delete', { file: 'gone.inc' }, 'not-found');
    await refused('source.rename', { file: 'x.inc', to: '/etc/passwd' }, 'bad-request', /'to'/);
    await expect(service.handle('source.list', { vmId: 'no-such-vm' })).rejects.toMatchObject({
      code: 'not-found',
    });
    expect((await service.request('vm.list', {}))[0]?.mainSource).toBe('main.asm');
  });

  it('lets %include see an unsaved text in place of the saved file', async () => {
    const { service } = await makeService();
    const source = "bits 16\n%include 'defs.inc'\ndb COUNT\n";
    const { id: vmId } = await service.request('vm.create', { name: 'Unsaved', source });
    await service.request('source.create', { vmId, file: 'defs.inc', text: 'COUNT equ 7\n' });
    expect(await service.request('source.assemble', { vmId })).toMatchObject({ ok: true });
    const edited = await service.request('source.assemble', {
      vmId,
      files: { 'defs.inc': 'COUNT equ 7\nmov ax, nowhere\n' },
    });
    expect(edited.ok).toBe(false);
    expect(edited.diagnostics[0]).toMatchObject({ file: 'defs.inc', line: 2, severity: 'error' });
  });
});
