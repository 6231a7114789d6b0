// Notices: the toast area where every failed request and other problems are shown.

import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiError } from '../../../shared/api';

export type NoticeLevel = 'error' | 'warning' | 'info';

export interface Notice {
  id: number;
  level: NoticeLevel;
  message: string;
  /** How many times the same message came in while this notice was up. */
  count: number;
}

/** Most notices one sees at once; older ones drop off. */
const MAX_NOTICES = 5;
/** Non-error notices close by themselves after this long. */
const AUTO_DISMISS_MS = 6000;

/** Turns anything thrown into a sentence for a person. */
export function describeError(err: unknown, context?: string): string {
  let text: string;
  if (err instanceof ApiError) text = err.message;
  else if (err instanceof Error) text = err.message;
  else text = String(err);
  return context ? `${context}: ${text}` : text;
}

export const useNoticesStore = defineStore('notices', () => {
  const notices = ref<Notice[]>([]);
  let nextId = 1;

  /** Shows a notice; a repeat of one still shown bumps its count instead. */
  function push(level: NoticeLevel, message: string): void {
    const existing = notices.value.find((n) => n.level === level && n.message === message);
    if (existing) {
      existing.count++;
      return;
    }
    const notice: Notice = { id: nextId++, level, message, count: 1 };
    notices.value = [...notices.value, notice].slice(-MAX_NOTICES);
    if (level !== 'error') setTimeout(() => dismiss(notice.id), AUTO_DISMISS_MS);
  }

  /** Shows a failed operation; `context` says what was being done ("Delete VM"). */
  function report(err: unknown, context?: string): void {
    push('error', describeError(err, context));
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  function clear(): void {
    notices.value = [];
  }

  return { notices, push, report, dismiss, clear };
});
