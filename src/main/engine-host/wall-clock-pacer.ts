// Paces a machine's virtual time to the wall clock for interactive runs: a guest that idles
// between timer ticks sees them at real-time speed instead of all at once (DESIGN.md 2.2 "Time").

/** How far virtual time may trail the wall clock before the pacer stops trying to catch up (ns). */
const MAX_LAG_NS = 100e6;

/** Maps wall time (ms) to the virtual time (ns) that idle skips may reach by then. */
export class WallClockPacer {
  private wallMs = 0;
  private virtualNs = 0;

  /** Virtual time `virtualNs` corresponds to wall time `wallMs` from now on (start, resume, revert). */
  anchor(wallMs: number, virtualNs: number): void {
    this.wallMs = wallMs;
    this.virtualNs = virtualNs;
  }

  /**
   * The virtual time idle skips may reach at wall time `wallMs`. A guest that fell behind (a
   * busy CPU slower than the nominal rate) catches up by at most MAX_LAG_NS in one burst; one
   * that ran ahead (a CPU faster than it) waits at most that long for the wall clock.
   */
  horizon(wallMs: number, machineNs: number): number {
    const due = this.virtualNs + (wallMs - this.wallMs) * 1e6;
    if (due - machineNs > MAX_LAG_NS) {
      this.anchor(wallMs, machineNs + MAX_LAG_NS);
      return machineNs + MAX_LAG_NS;
    }
    if (machineNs - due > MAX_LAG_NS) {
      this.anchor(wallMs, machineNs - MAX_LAG_NS);
      return machineNs - MAX_LAG_NS;
    }
    return due;
  }

  /** Wall milliseconds from `wallMs` until virtual time `ns` is due (0 when it already is). */
  waitMs(wallMs: number, ns: number): number {
    return Math.max(0, (ns - this.virtualNs) / 1e6 - (wallMs - this.wallMs));
  }
}
