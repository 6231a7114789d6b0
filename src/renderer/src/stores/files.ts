// Each VM's project files (from 'source.list' results and 'source.changed' events) and the
// file actions: create, upload, rename and delete, keeping the editor on a file that exists.

import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ProjectFile } from '../../../shared/api';
import { fileNameProblem } from '../file-names';
import { apiClient } from './client';
import { useEditorStore } from './editor';
import { describeError, useNoticesStore } from './notices';

const NONE: readonly ProjectFile[] = [];

/** Bytes as base64, in chunks so a large file does not overflow the argument list. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export const useFilesStore = defineStore('files', () => {
  const notices = useNoticesStore();
  const lists = ref<Record<string, ProjectFile[]>>({});
  /** True while a create, rename or delete is in flight. */
  const busy = ref(false);

  apiClient().on('source.changed', ({ vmId, files }) => {
    lists.value[vmId] = files;
    // Another window (or the CLI) renamed or deleted the open file: leave it rather than let
    // an autosave bring it back. This window's own changes move the editor themselves.
    const editor = useEditorStore();
    const open = editor.file;
    if (!busy.value && editor.vmId === vmId && open && !files.some((f) => f.name === open)) {
      notices.push('warning', `${open} was renamed or deleted elsewhere; it is closed here`);
      void editor.closeFile(open);
    }
  });

  /** A VM's files, main source first; empty before the first load. */
  function list(vmId: string): readonly ProjectFile[] {
    return lists.value[vmId] ?? NONE;
  }

  function find(vmId: string, name: string): ProjectFile | undefined {
    return list(vmId).find((f) => f.name === name);
  }

  /** Why `name` cannot be a new name in the VM, or null. */
  function problem(vmId: string, name: string, current?: string): string | null {
    const taken = list(vmId).map((f) => f.name);
    return fileNameProblem(name, taken, current);
  }

  async function load(vmId: string): Promise<void> {
    try {
      lists.value[vmId] = await apiClient().request('source.list', { vmId });
    } catch (err) {
      notices.report(err, 'List files');
    }
  }

  function forget(vmId: string): void {
    delete lists.value[vmId];
  }

  /**
   * Runs one change of the file list; the answer is null, or why it failed (shown beside the
   * name the user typed, so it can be fixed there). The main source is assembled again
   * afterwards, since what its %include and incbin lines find may have changed.
   */
  async function change(vmId: string, call: () => Promise<unknown>): Promise<string | null> {
    busy.value = true;
    try {
      await call();
      await load(vmId);
      const editor = useEditorStore();
      if (editor.vmId === vmId) void editor.assemble();
      return null;
    } catch (err) {
      return describeError(err);
    } finally {
      busy.value = false;
    }
  }

  /** Adds an empty text file and opens it in the editor. */
  async function create(vmId: string, name: string): Promise<string | null> {
    const refused = problem(vmId, name);
    if (refused) return refused;
    const failed = await change(vmId, () =>
      apiClient().request('source.create', { vmId, file: name, text: '' }),
    );
    const editor = useEditorStore();
    if (!failed && editor.vmId === vmId) await editor.openFile(name);
    return failed;
  }

  /** Adds a file picked from the computer, as it is (text or binary, for incbin). */
  async function upload(vmId: string, name: string, bytes: Uint8Array): Promise<string | null> {
    const refused = problem(vmId, name);
    if (refused) return refused;
    return change(vmId, () =>
      apiClient().request('source.create', { vmId, file: name, data: toBase64(bytes) }),
    );
  }

  /** Renames a file other than the main source; the editor follows it if it is open. */
  async function rename(vmId: string, from: string, to: string): Promise<string | null> {
    if (from === to) return null;
    const refused = problem(vmId, to, from);
    if (refused) return refused;
    const editor = useEditorStore();
    // Its pending edits are saved under the old name first, then move with it.
    if (editor.vmId === vmId && editor.file === from && !(await editor.flush())) {
      return 'Its unsaved changes could not be saved';
    }
    return change(vmId, async () => {
      await apiClient().request('source.rename', { vmId, file: from, to });
      if (editor.vmId === vmId) editor.fileRenamed(from, to);
    });
  }

  /** Deletes a file other than the main source; the editor goes back to the main source. */
  async function remove(vmId: string, name: string): Promise<boolean> {
    const editor = useEditorStore();
    // Closed first, dropping its unsaved edits, so no autosave brings it back afterwards.
    if (editor.vmId === vmId) await editor.closeFile(name);
    const failed = await change(vmId, () =>
      apiClient().request('source.delete', { vmId, file: name }),
    );
    if (failed) notices.push('error', `Delete ${name}: ${failed}`);
    return !failed;
  }

  return { lists, busy, list, find, problem, load, forget, create, upload, rename, remove };
});
