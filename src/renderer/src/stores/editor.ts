// The file open in the editor (the selected VM's main source, or another of its files):
// loading, debounced saving, and live assembly of the main source into diagnostics.

import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ApiParams, AssembleResult, Diagnostic, ProjectFile } from '../../../shared/api';
import { concernsFile } from '../diagnostic-places';
import { apiClient } from './client';
import { useNoticesStore } from './notices';

/** Quiet time after the last keystroke before the source is written back. */
export const SAVE_DELAY_MS = 700;
/** Quiet time after the last keystroke before the source is assembled for diagnostics. */
export const ASSEMBLE_DELAY_MS = 300;

export const useEditorStore = defineStore('editor', () => {
  const notices = useNoticesStore();
  const vmId = ref<string | null>(null);
  /** Name of the file being edited, as the service calls it. */
  const file = ref<string | null>(null);
  /** The VM's main source: the file that is assembled, whichever file is open. */
  const mainFile = ref<string | null>(null);
  /** The open file is binary: listed and shown as such, never loaded into the editor. */
  const binary = ref(false);
  // Strings are immutable, so shallow refs are enough and cheap.
  const text = shallowRef('');
  const savedText = shallowRef('');
  const loading = ref(false);
  /** True once the current VM's source has arrived; the editor widget shows nothing before. */
  const ready = ref(false);
  const saving = ref(false);
  const diagnostics = shallowRef<Diagnostic[]>([]);
  /** Outcome of the latest assembly of the current text (null before the first one). */
  const lastAssembly = shallowRef<AssembleResult | null>(null);
  /** Bumped whenever `text` is replaced from outside the editor widget (load). */
  const loadVersion = ref(0);

  const dirty = computed(() => text.value !== savedText.value);
  const isMain = computed(() => file.value !== null && file.value === mainFile.value);
  /** The editor document of the open file: one per VM and file, each with its own undo. */
  const docKey = computed(() => (vmId.value && file.value ? `${vmId.value}/${file.value}` : null));
  /**
   * The diagnostics that concern the open file: located in it (an included file's errors show
   * there), or raised in a macro whose body lies in it.
   */
  const fileDiagnostics = computed(() =>
    diagnostics.value.filter((d) => concernsFile(d, file.value)),
  );
  const errorCount = computed(() => diagnostics.value.filter((d) => d.severity === 'error').length);
  const warningCount = computed(
    () => diagnostics.value.filter((d) => d.severity === 'warning').length,
  );

  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let assembleTimer: ReturnType<typeof setTimeout> | null = null;
  let openSeq = 0;
  let assembleSeq = 0;

  function cancelTimers(): void {
    if (saveTimer) clearTimeout(saveTimer);
    if (assembleTimer) clearTimeout(assembleTimer);
    saveTimer = assembleTimer = null;
  }

  /** Loads a VM's main source (saving the previous VM's pending edits first). */
  async function open(id: string | null): Promise<void> {
    if (id === vmId.value) return;
    await flush();
    const seq = ++openSeq;
    vmId.value = id;
    ready.value = false;
    file.value = mainFile.value = null;
    binary.value = false;
    text.value = savedText.value = '';
    diagnostics.value = [];
    lastAssembly.value = null;
    loadVersion.value++;
    if (!id) return;
    loading.value = true;
    try {
      const source = await apiClient().request('source.get', { vmId: id });
      if (seq !== openSeq) return;
      file.value = mainFile.value = source.file;
      text.value = savedText.value = source.text;
      ready.value = true;
      loadVersion.value++;
    } catch (err) {
      if (seq === openSeq) notices.report(err, 'Load source');
      return;
    } finally {
      if (seq === openSeq) loading.value = false;
    }
    await assemble();
  }

  /** The params naming the open file; none for the main source, as the service defaults. */
  function fileParam(name: string | null): { file?: string } {
    return name === null || name === mainFile.value ? {} : { file: name };
  }

  /**
   * Opens another file of the VM (saving the open one first); false when that save failed.
   * A binary file is only shown as such; the diagnostics stay those of the main source.
   */
  async function openFile(name: string, kind: ProjectFile['kind'] = 'text'): Promise<boolean> {
    const id = vmId.value;
    if (!id || name === file.value) return true;
    if (!(await flush())) return false;
    const seq = ++openSeq;
    file.value = name;
    binary.value = kind === 'binary';
    ready.value = false;
    text.value = savedText.value = '';
    loadVersion.value++;
    if (binary.value) return true;
    loading.value = true;
    try {
      const source = await apiClient().request('source.get', { vmId: id, ...fileParam(name) });
      if (seq !== openSeq) return true;
      text.value = savedText.value = source.text;
      ready.value = true;
      loadVersion.value++;
    } catch (err) {
      if (seq === openSeq) notices.report(err, `Open ${name}`);
    } finally {
      if (seq === openSeq) loading.value = false;
    }
    return true;
  }

  /** Follows a rename of the open file; its text and unsaved state stay as they are. */
  function fileRenamed(from: string, to: string): void {
    if (file.value !== from) return;
    file.value = to;
    loadVersion.value++;
  }

  /** Leaves a file about to be deleted, dropping its unsaved edits, for the main source. */
  async function closeFile(name: string): Promise<void> {
    if (file.value !== name || name === mainFile.value || !mainFile.value) return;
    cancelTimers();
    savedText.value = text.value;
    await openFile(mainFile.value);
  }

  /** Called on every edit: records the text and schedules a save and an assembly. */
  function setText(value: string): void {
    if (!vmId.value || !ready.value || value === text.value) return;
    text.value = value;
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void save(), SAVE_DELAY_MS);
    if (assembleTimer) clearTimeout(assembleTimer);
    assembleTimer = setTimeout(() => void assemble(), ASSEMBLE_DELAY_MS);
  }

  /** Writes the text back now if it changed; false when the write failed. */
  async function save(): Promise<boolean> {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    const id = vmId.value;
    if (!id || !dirty.value) return true;
    const snapshot = text.value;
    const name = file.value;
    saving.value = true;
    try {
      await apiClient().request('source.set', { vmId: id, ...fileParam(name), text: snapshot });
      if (vmId.value === id && file.value === name) savedText.value = snapshot;
      return true;
    } catch (err) {
      notices.report(err, 'Save source');
      return false;
    } finally {
      saving.value = false;
    }
  }

  /**
   * Assembles the main source and publishes its diagnostics; stale answers are dropped.
   * The open file's text goes along, saved or not: as the main source, or as the text its
   * %include lines see when another file is open.
   */
  async function assemble(): Promise<AssembleResult | undefined> {
    if (assembleTimer) clearTimeout(assembleTimer);
    assembleTimer = null;
    const id = vmId.value;
    if (!id) return undefined;
    const seq = ++assembleSeq;
    let params: ApiParams<'source.assemble'> = { vmId: id };
    if (ready.value && isMain.value) params = { vmId: id, text: text.value };
    else if (ready.value && file.value) params = { vmId: id, files: { [file.value]: text.value } };
    try {
      const result = await apiClient().request('source.assemble', params);
      if (seq === assembleSeq && vmId.value === id) {
        diagnostics.value = result.diagnostics;
        lastAssembly.value = result;
      }
      return result;
    } catch (err) {
      if (seq === assembleSeq) notices.report(err, 'Assemble');
      return undefined;
    }
  }

  /** Sets diagnostics that came from elsewhere (a failed run.start). */
  function setDiagnostics(list: Diagnostic[]): void {
    diagnostics.value = list;
  }

  /** Cancels the timers and saves now; used before running and when switching VMs. */
  async function flush(): Promise<boolean> {
    if (assembleTimer) clearTimeout(assembleTimer);
    assembleTimer = null;
    return save();
  }

  return {
    vmId,
    file,
    mainFile,
    binary,
    isMain,
    docKey,
    fileDiagnostics,
    text,
    savedText,
    loading,
    ready,
    saving,
    diagnostics,
    lastAssembly,
    loadVersion,
    dirty,
    errorCount,
    warningCount,
    open,
    openFile,
    fileRenamed,
    closeFile,
    setText,
    save,
    assemble,
    setDiagnostics,
    flush,
    cancelTimers,
  };
});
