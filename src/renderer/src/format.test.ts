import { describe, expect, it } from 'vitest';
import { formatAgo, formatCount, formatIps, formatOutcome } from './format';

describe('format', () => {
  it('groups thousands', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(12345678901)).toBe('12,345,678,901');
  });

  it('scales instructions per second', () => {
    expect(formatIps(0)).toBe('0 IPS');
    expect(formatIps(512)).toBe('512 IPS');
    expect(formatIps(1500)).toBe('1.50 KIPS');
    expect(formatIps(456_000)).toBe('456 KIPS');
    expect(formatIps(12_345_678)).toBe('12.3 MIPS');
    expect(formatIps(250_000_000)).toBe('250 MIPS');
    expect(formatIps(2.5e9)).toBe('2.50 GIPS');
    expect(formatIps(Number.NaN)).toBe('0 IPS');
  });

  it('says why a VM stopped', () => {
    const base = { vmId: 'a', icount: 0, ips: 0 };
    expect(formatOutcome({ ...base, state: 'exited', exitCode: 3 })).toBe('exit code 3 (0x03)');
    expect(formatOutcome({ ...base, state: 'halted', message: 'HLT with interrupts off' })).toBe(
      'HLT with interrupts off',
    );
    expect(formatOutcome({ ...base, state: 'error', message: 'triple fault' })).toBe(
      'triple fault',
    );
    expect(formatOutcome({ ...base, state: 'running' })).toBe('');
  });
});

describe('formatAgo', () => {
  const now = Date.parse('2025-03-10T12:00:00.000Z');
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  it('says how long ago, coarser as time goes by', () => {
    expect(formatAgo(ago(0), now)).toBe('just now');
    expect(formatAgo(ago(44), now)).toBe('just now');
    expect(formatAgo(ago(60), now)).toBe('1 min ago');
    expect(formatAgo(ago(59 * 60), now)).toBe('59 min ago');
    expect(formatAgo(ago(3 * 3600), now)).toBe('3 h ago');
    expect(formatAgo(ago(30 * 3600), now)).toBe('yesterday');
    expect(formatAgo(ago(3 * 86400), now)).toBe('3 days ago');
    expect(formatAgo(ago(30 * 86400), now)).toBe('2025-02-08');
  });

  it('treats a clock that is behind as now, and a bad date as unknown', () => {
    expect(formatAgo(ago(-120), now)).toBe('just now');
    expect(formatAgo('not a date', now)).toBe('');
  });
});
