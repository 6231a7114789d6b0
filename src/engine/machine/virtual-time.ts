// Virtual time from the instruction count: the clock devices see, timer deadlines, and idle skips (DESIGN.md 2.2 "Time").

import type { Clock, TimerDevice } from '../bus/device';

/** Default nominal rate: 100 million instructions per virtual second (10 ns each). */
export const DEFAULT_INSTRUCTIONS_PER_SECOND = 100_000_000;

/** Saved virtual-time state: the idle time skipped so far (instruction time comes from icount). */
export interface VirtualTimeState {
  idleNs: number;
}

/**
 * The machine's clock: now = icount * ns-per-instruction + time skipped while idle. The run
 * loop compares icount with one precomputed number per instruction; when it is reached, due
 * timers fire and the next deadline is computed. Devices that reprogram a timer call
 * reschedule(), which makes the loop look again before the next instruction.
 */
export class VirtualTime implements Clock {
  /** Icount at which the next timer falls due; the run loop's only per-instruction check. */
  nextIcount = 0;
  /** Idle skips stop short of this virtual time (ns); a host pacing to the wall clock sets it. */
  idleHorizonNs = Number.POSITIVE_INFINITY;
  private idleNs = 0;
  private readonly nsPerInstruction: number;

  constructor(
    private readonly icount: () => number,
    private readonly timers: readonly TimerDevice[],
    instructionsPerSecond = DEFAULT_INSTRUCTIONS_PER_SECOND,
  ) {
    this.nsPerInstruction = 1e9 / instructionsPerSecond;
  }

  now(): number {
    return this.idleNs + this.icount() * this.nsPerInstruction;
  }

  reschedule(): void {
    this.nextIcount = 0;
  }

  /** The earliest timer deadline (ns), Infinity when none. */
  nextDeadline(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const t of this.timers) {
      const d = t.nextDeadline();
      if (d < next) next = d;
    }
    return next;
  }

  /** Fires every timer that is due and recomputes nextIcount. */
  service(): void {
    const now = this.now();
    for (const t of this.timers) if (t.nextDeadline() <= now) t.advance(now);
    const next = this.nextDeadline();
    this.nextIcount =
      next === Number.POSITIVE_INFINITY
        ? Number.POSITIVE_INFINITY
        : Math.max(this.icount() + 1, Math.ceil((next - this.idleNs) / this.nsPerInstruction));
  }

  /**
   * All CPUs are halted: jumps virtual time to the next deadline and fires it. Returns false
   * when no timer is armed, so nothing can ever wake the machine by itself, or when the next
   * deadline lies beyond the idle horizon (the host has not caught up with it yet).
   */
  skipToNextDeadline(): boolean {
    const next = this.nextDeadline();
    if (next === Number.POSITIVE_INFINITY || next > this.idleHorizonNs) return false;
    const now = this.now();
    if (next > now) this.idleNs += next - now;
    this.service();
    return true;
  }

  reset(): void {
    this.idleNs = 0;
    this.nextIcount = 0;
  }

  saveState(): VirtualTimeState {
    return { idleNs: this.idleNs };
  }

  loadState(state: VirtualTimeState): void {
    this.idleNs = state.idleNs;
    this.nextIcount = 0;
  }
}
