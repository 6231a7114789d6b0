// Run state per VM (from 'run.status' events and action results) and the run actions.

import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiError, type Diagnostic, type RunState, type RunStatus } from '../../../shared/api';
import { faultPlace } from '../diagnostic-places';
import { apiClient } from './client';
import { useConsolesStore } from './consoles';
import { useEditorStore } from './editor';
import { describeError, useNoticesStore } from './notices';

export type RunAction = 'start' | 'pause' | 'resume' | 'stop' | 'reset' | 'step';

/** An error shown in the banner above the editor (failed assembly or failed start). */
export interface RunError {
  message: string;
  diagnostics?: Diagnostic[];
}

/** States in which the guest is not executing and Run starts it afresh. */
export const STARTABLE_STATES: readonly RunState[] = ['stopped', 'halted', 'exited', 'error'];

/** One line naming the first diagnostic, for banners. */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0] ?? diagnostics[0];
  if (!first) return 'Assembly failed';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  const place = faultPlace(first);
  return `Assembly failed: line ${first.line}:${first.column}: ${first.message}${place ? ` (${place})` : ''}${more}`;
}

export const useRunStore = defineStore('run', () => {
  const notices = useNoticesStore();
  const statuses = ref<Record<string, RunStatus>>({});
  const pending = ref<Record<string, RunAction>>({});
  const errors = ref<Record<string, RunError>>({});
  /** The error status whose banner was dismissed, per VM. */
  const dismissed = ref<Record<string, string>>({});
  const errorKey = (s: RunStatus) => `${s.icount}:${s.message ?? ''}`;

  apiClient().on('run.status', (status) => {
    statuses.value[status.vmId] = status;
  });

  /** The VM's status; a VM never heard of is stopped. */
  function status(vmId: string): RunStatus {
    return statuses.value[vmId] ?? { vmId, state: 'stopped', icount: 0, ips: 0 };
  }

  function busy(vmId: string): RunAction | null {
    return pending.value[vmId] ?? null;
  }

  /** The banner text for a VM: a failed start, or the message of a VM in the error state. */
  function banner(vmId: string): RunError | null {
    const err = errors.value[vmId];
    if (err) return err;
    const s = statuses.value[vmId];
    if (s?.state === 'error' && dismissed.value[vmId] !== errorKey(s)) {
      return { message: s.message ?? 'The VM stopped with an error' };
    }
    return null;
  }

  /** Hides the banner until the next failure. */
  function dismissError(vmId: string): void {
    delete errors.value[vmId];
    const s = statuses.value[vmId];
    if (s?.state === 'error') dismissed.value[vmId] = errorKey(s);
  }

  async function perform(
    vmId: string,
    action: RunAction,
    call: () => Promise<RunStatus>,
  ): Promise<RunStatus | undefined> {
    pending.value[vmId] = action;
    try {
      const result = await call();
      statuses.value[vmId] = result;
      return result;
    } finally {
      delete pending.value[vmId];
    }
  }

  /** Saves and assembles the source, then starts the VM; failures go to the banner. */
  async function start(vmId: string): Promise<boolean> {
    delete errors.value[vmId];
    const editor = useEditorStore();
    pending.value[vmId] = 'start';
    try {
      // The editor's text is only authoritative once it has loaded; before, the stored source is.
      if (editor.vmId === vmId && editor.ready) {
        if (!(await editor.flush())) return false;
        const result = await editor.assemble();
        if (!result) return false;
        if (!result.ok) {
          errors.value[vmId] = {
            message: summarizeDiagnostics(result.diagnostics),
            diagnostics: result.diagnostics,
          };
          return false;
        }
      }
    } finally {
      delete pending.value[vmId];
    }
    useConsolesStore().clear(vmId);
    try {
      await perform(vmId, 'start', () => apiClient().request('run.start', { vmId }));
      return true;
    } catch (err) {
      const diagnostics = err instanceof ApiError ? err.diagnostics : undefined;
      if (diagnostics?.length) {
        if (editor.vmId === vmId) editor.setDiagnostics(diagnostics);
        errors.value[vmId] = { message: summarizeDiagnostics(diagnostics), diagnostics };
      } else {
        errors.value[vmId] = { message: `Run failed: ${describeError(err)}` };
      }
      return false;
    }
  }

  /** A simple action whose failure is shown as a notice. */
  async function simple(
    vmId: string,
    action: Exclude<RunAction, 'start' | 'step'>,
  ): Promise<boolean> {
    const method = `run.${action}` as const;
    try {
      await perform(vmId, action, () => apiClient().request(method, { vmId }));
      return true;
    } catch (err) {
      notices.report(err, `${action[0]?.toUpperCase()}${action.slice(1)}`);
      return false;
    }
  }

  const pause = (vmId: string) => simple(vmId, 'pause');
  const resume = (vmId: string) => simple(vmId, 'resume');
  const stop = (vmId: string) => simple(vmId, 'stop');
  const reset = (vmId: string) => simple(vmId, 'reset');

  /** Executes `count` instructions of a paused VM. */
  async function step(vmId: string, count = 1): Promise<boolean> {
    try {
      await perform(vmId, 'step', () => apiClient().request('run.step', { vmId, count }));
      return true;
    } catch (err) {
      notices.report(err, 'Step');
      return false;
    }
  }

  /** Asks the service for a VM's status (on selection and after reconnecting). */
  async function refresh(vmId: string): Promise<void> {
    try {
      statuses.value[vmId] = await apiClient().request('run.status', { vmId });
    } catch (err) {
      notices.report(err, 'Run status');
    }
  }

  return {
    statuses,
    pending,
    errors,
    status,
    busy,
    banner,
    dismissError,
    start,
    pause,
    resume,
    stop,
    reset,
    step,
    refresh,
  };
});
