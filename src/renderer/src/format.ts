// Display formats: counts, speeds, why a VM stopped, and how long ago something happened.

import type { RunStatus } from '../../shared/api';

/** An integer with thousands separators: 1234567 -> "1,234,567". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}

function scaled(value: number, unit: string): string {
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${value.toFixed(digits)} ${unit}`;
}

/** Instructions per second in the largest fitting unit: "12.3 MIPS", "456 KIPS", "789 IPS". */
export function formatIps(ips: number): string {
  if (!Number.isFinite(ips) || ips <= 0) return '0 IPS';
  if (ips >= 1e9) return scaled(ips / 1e9, 'GIPS');
  if (ips >= 1e6) return scaled(ips / 1e6, 'MIPS');
  if (ips >= 1e3) return scaled(ips / 1e3, 'KIPS');
  return `${Math.round(ips)} IPS`;
}

/** Why a stopped VM stopped ("exit code 3 (0x03)", the halt or error message), or ''. */
export function formatOutcome(status: RunStatus): string {
  const parts: string[] = [];
  if (status.state === 'exited' && status.exitCode !== undefined) {
    const hex = status.exitCode.toString(16).toUpperCase().padStart(2, '0');
    parts.push(`exit code ${status.exitCode} (0x${hex})`);
  }
  if (status.message && status.state !== 'running') parts.push(status.message);
  return parts.join(' — ');
}

/** How long ago `iso` was, as a person says it: "just now", "5 min ago", "3 h ago", a date. */
export function formatAgo(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (!Number.isFinite(then)) return '';
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 45) return 'just now';
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d < 7) return d === 1 ? 'yesterday' : `${d} days ago`;
  return new Date(then).toISOString().slice(0, 10);
}
