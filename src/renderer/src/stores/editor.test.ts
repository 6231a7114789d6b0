import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type Diagnostic } from '../../../shared/api';
import { makeVm } from '../testing/fake-client';
import { settle, useFakeApi } from '../testing/setup';
import { ASSEMBLE_DELAY_MS, SAVE_DELAY_MS, useEditorStore } from './editor';
import { useNoticesStore } from './notices';

const diag = (line: number, message: string, severity: Diagnostic['severity'] = 'error') => ({
  file: 'main.asm',
  line,
  column: 1,
  endColumn: 4,
  severity,
  message,
});

describe('editor store', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens a VM: loads its source and assembles it once', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    client.sources.set('a', 'hlt\n');
    const editor = useEditorStore();
    await editor.open('a');
    expect(editor.text).toBe('hlt\n');
    expect(editor.file).toBe('main.asm');
    expect(editor.ready).toBe(true);
    expect(editor.dirty).toBe(false);
    expect(client.paramsOf('source.get')).toEqual([{ vmId: 'a' }]);
    expect(client.paramsOf('source.assemble')).toEqual([{ vmId: 'a', text: 'hlt\n' }]);
  });

  it('debounces typing into one assembly and one save of the last text', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    const editor = useEditorStore();
    await editor.open('a');
    client.calls.length = 0;

    editor.setText('m');
    await vi.advanceTimersByTimeAsync(ASSEMBLE_DELAY_MS / 2);
    editor.setText('mo');
    await vi.advanceTimersByTimeAsync(ASSEMBLE_DELAY_MS / 2);
    editor.setText('mov');
    expect(editor.dirty).toBe(true);
    await vi.advanceTimersByTimeAsync(ASSEMBLE_DELAY_MS - 1);
    expect(client.paramsOf('source.assemble')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(client.paramsOf('source.assemble')).toEqual([{ vmId: 'a', text: 'mov' }]);
    expect(client.paramsOf('source.set')).toEqual([]);

    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(client.paramsOf('source.set')).toEqual([{ vmId: 'a', text: 'mov' }]);
    expect(client.sources.get('a')).toBe('mov');
    expect(editor.dirty).toBe(false);
  });

  it('maps assembler diagnostics and counts errors and warnings', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    const editor = useEditorStore();
    await editor.open('a');
    const diagnostics = [diag(2, 'unknown mnemonic'), diag(3, 'value truncated', 'warning')];
    client.handle('source.assemble', () => ({ ok: false, diagnostics, size: 0 }));
    editor.setText('mvo ax, 1\n');
    await vi.advanceTimersByTimeAsync(ASSEMBLE_DELAY_MS);
    expect(editor.diagnostics).toEqual(diagnostics);
    expect(editor.errorCount).toBe(1);
    expect(editor.warningCount).toBe(1);
    expect(editor.lastAssembly?.ok).toBe(false);
  });

  it('drops the answer of an assembly overtaken by a newer one', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    const editor = useEditorStore();
    await editor.open('a');
    const answers: ((d: Diagnostic[]) => void)[] = [];
    client.handle(
      'source.assemble',
      () =>
        new Promise((resolve) =>
          answers.push((diagnostics) => resolve({ ok: !diagnostics.length, diagnostics, size: 0 })),
        ),
    );
    const first = editor.assemble();
    const second = editor.assemble();
    await settle();
    answers[1]?.([]);
    await second;
    answers[0]?.([diag(1, 'stale')]);
    await first;
    expect(editor.diagnostics).toEqual([]);
  });

  it('flush saves at once and cancels the pending timers', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    const editor = useEditorStore();
    await editor.open('a');
    client.calls.length = 0;
    editor.setText('nop');
    expect(await editor.flush()).toBe(true);
    expect(client.paramsOf('source.set')).toEqual([{ vmId: 'a', text: 'nop' }]);
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS * 2);
    expect(client.paramsOf('source.set')).toHaveLength(1);
    expect(client.paramsOf('source.assemble')).toHaveLength(0);
  });

  it('saves the previous VM before switching to another', async () => {
    const client = useFakeApi([makeVm('a', 'alpha'), makeVm('b', 'beta')]);
    client.sources.set('b', 'cli\n');
    const editor = useEditorStore();
    await editor.open('a');
    editor.setText('edited');
    await editor.open('b');
    expect(client.sources.get('a')).toBe('edited');
    expect(editor.vmId).toBe('b');
    expect(editor.text).toBe('cli\n');
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS * 2);
    expect(client.paramsOf('source.set')).toEqual([{ vmId: 'a', text: 'edited' }]);
  });

  it('ignores edits before the source arrived, and reports a failed save', async () => {
    const client = useFakeApi([makeVm('a', 'alpha')]);
    const editor = useEditorStore();
    editor.setText('too early');
    expect(editor.text).toBe('');
    await editor.open('a');
    client.fail('source.set', new ApiError('internal', 'disk full'));
    editor.setText('x');
    expect(await editor.save()).toBe(false);
    expect(editor.dirty).toBe(true);
    expect(useNoticesStore().notices[0]?.message).toBe('Save source: disk full');
  });

  describe('other files of the VM', () => {
    it('opens another file, saves it by name and assembles main with its unsaved text', async () => {
      const client = useFakeApi([makeVm('a', 'alpha')]);
      client.sources.set('a', "%include 'msg.inc'\n");
      client.files.set('a', new Map([['msg.inc', "db 'hi'\n"]]));
      const editor = useEditorStore();
      await editor.open('a');
      editor.setText("%include 'msg.inc'\nhlt\n");
      client.calls.length = 0;

      expect(await editor.openFile('msg.inc')).toBe(true);
      // The main source's edit was saved before leaving it.
      expect(client.paramsOf('source.set')).toEqual([
        { vmId: 'a', text: "%include 'msg.inc'\nhlt\n" },
      ]);
      expect(client.paramsOf('source.get')).toEqual([{ vmId: 'a', file: 'msg.inc' }]);
      expect(editor).toMatchObject({ file: 'msg.inc', mainFile: 'main.asm', isMain: false });
      expect(editor.docKey).toBe('a/msg.inc');
      expect(editor.text).toBe("db 'hi'\n");

      editor.setText("db 'hello'\n");
      await vi.advanceTimersByTimeAsync(ASSEMBLE_DELAY_MS);
      expect(client.paramsOf('source.assemble')).toEqual([
        { vmId: 'a', files: { 'msg.inc': "db 'hello'\n" } },
      ]);
      await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
      expect(client.paramsOf('source.set').at(-1)).toEqual({
        vmId: 'a',
        file: 'msg.inc',
        text: "db 'hello'\n",
      });
      expect(client.files.get('a')?.get('msg.inc')).toBe("db 'hello'\n");
    });

    it('keeps only the open file diagnostics for its markers', async () => {
      const client = useFakeApi([makeVm('a', 'alpha')]);
      client.files.set('a', new Map([['msg.inc', 'x']]));
      const editor = useEditorStore();
      await editor.open('a');
      const inMain = diag(1, 'in main');
      const inInclude = { ...diag(1, 'in include'), file: 'msg.inc' };
      editor.setDiagnostics([inMain, inInclude]);
      expect(editor.fileDiagnostics).toEqual([inMain]);
      await editor.openFile('msg.inc');
      expect(editor.fileDiagnostics).toEqual([inInclude]);
      expect(editor.errorCount).toBe(2);
    });

    it('keeps a macro error for the file that holds the macro body at fault', async () => {
      const client = useFakeApi([makeVm('a', 'alpha')]);
      client.files.set('a', new Map([['defs.inc', '%macro fail 0\n%error bad\n%endmacro\n']]));
      const editor = useEditorStore();
      await editor.open('a');
      const inMacro: Diagnostic = {
        ...diag(3, 'bad'),
        related: [
          {
            file: 'defs.inc',
            line: 2,
            column: 1,
            endColumn: 7,
            message: "... from macro `fail' defined here",
          },
        ],
      };
      const plain = diag(5, 'plain');
      editor.setDiagnostics([inMacro, plain]);
      expect(editor.fileDiagnostics).toEqual([inMacro, plain]);
      await editor.openFile('defs.inc');
      expect(editor.fileDiagnostics).toEqual([inMacro]);
    });

    it('shows a binary file without loading it, and assembles main from disk', async () => {
      const client = useFakeApi([makeVm('a', 'alpha')]);
      client.files.set('a', new Map([['font.bin', new Uint8Array([0, 1])]]));
      const editor = useEditorStore();
      await editor.open('a');
      client.calls.length = 0;
      await editor.openFile('font.bin', 'binary');
      expect(editor).toMatchObject({ file: 'font.bin', binary: true, ready: false });
      expect(client.paramsOf('source.get')).toEqual([]);
      editor.setText('ignored');
      expect(editor.text).toBe('');
      await editor.assemble();
      expect(client.paramsOf('source.assemble')).toEqual([{ vmId: 'a' }]);
    });

    it('follows a rename and drops a deleted file without saving it back', async () => {
      const client = useFakeApi([makeVm('a', 'alpha')]);
      client.files.set('a', new Map([['old.inc', 'nop\n']]));
      const editor = useEditorStore();
      await editor.open('a');
      await editor.openFile('old.inc');
      const version = editor.loadVersion;
      editor.fileRenamed('old.inc', 'new.inc');
      expect(editor.file).toBe('new.inc');
      expect(editor.loadVersion).toBe(version + 1);

      editor.setText('unsaved\n');
      client.calls.length = 0;
      await editor.closeFile('new.inc');
      await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS * 2);
      expect(client.paramsOf('source.set')).toEqual([]);
      expect(editor.file).toBe('main.asm');
      // The main source never closes.
      await editor.closeFile('main.asm');
      expect(editor.file).toBe('main.asm');
    });

    it('stays on a file whose save failed', async () => {
      const client = useFakeApi([makeVm('a', 'alpha')]);
      client.files.set('a', new Map([['msg.inc', '']]));
      const editor = useEditorStore();
      await editor.open('a');
      editor.setText('edited');
      client.fail('source.set', new ApiError('internal', 'disk full'));
      expect(await editor.openFile('msg.inc')).toBe(false);
      expect(editor.file).toBe('main.asm');
      expect(editor.text).toBe('edited');
    });
  });
});
