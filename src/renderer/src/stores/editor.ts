// The selected VM's source: loading, debounced saving, and live assembly into diagnostics.

import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AssembleResult, Diagnostic } from '../../../shared/api';
import { apiClient } from './client';
import { useNoticesStore } from './notices';

/** Quiet time after the last keystroke before the source is written back. */
export const SAVE_DELAY_MS = 700;
/** Quiet time after the last keystroke before the source is assembled for diagnostics. */
export const ASSEMBLE_DELAY_MS = 300;

export const useEditorStore = defineStore('editor', () => {
  const notices = useNoticesStore();
  const vmId = ref<string | null>(null);
  /** Name of the file being edited, as the service calls it (display only). */
  const file = ref<string | null>(null);
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
    file.value = null;
    text.value = savedText.value = '';
    diagnostics.value = [];
    lastAssembly.value = null;
    loadVersion.value++;
    if (!id) return;
    loading.value = true;
    try {
      const source = await apiClient().request('source.get', { vmId: id });
      if (seq !== openSeq) return;
      file.value = source.file;
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
    saving.value = true;
    try {
      await apiClient().request('source.set', { vmId: id, text: snapshot });
      if (vmId.value === id) savedText.value = snapshot;
      return true;
    } catch (err) {
      notices.report(err, 'Save source');
      return false;
    } finally {
      saving.value = false;
    }
  }

  /** Assembles the current text and publishes its diagnostics; stale answers are dropped. */
  async function assemble(): Promise<AssembleResult | undefined> {
    if (assembleTimer) clearTimeout(assembleTimer);
    assembleTimer = null;
    const id = vmId.value;
    if (!id) return undefined;
    const seq = ++assembleSeq;
    try {
      const result = await apiClient().request('source.assemble', { vmId: id, text: text.value });
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
    setText,
    save,
    assemble,
    setDiagnostics,
    flush,
    cancelTimers,
  };
});
