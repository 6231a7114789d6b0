import { describe, expect, it } from 'vitest';
import { formatCount, formatIps, formatOutcome } from './format';

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
