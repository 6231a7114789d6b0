// The device model's interface: port ranges with offset-based handlers, reset, and plain state.

/** Access width of a port or memory access in bytes. */
export type AccessSize = 1 | 2 | 4;

/**
 * A range of I/O ports claimed by a device. Handlers get only the offset into the range and
 * the access size, never the absolute port, so a device can be placed at any base.
 */
export interface PortRange {
  /** First port of the range. */
  readonly base: number;
  /** Number of ports in the range. */
  readonly length: number;
  /** Reads `size` bytes at `offset` into the range. */
  read(offset: number, size: AccessSize): number;
  /** Writes the low `size` bytes of `value` at `offset` into the range. */
  write(offset: number, size: AccessSize, value: number): void;
}

/**
 * A chip on the machine's buses. State is one plain, structured-clone-able object that
 * loadState accepts back; reset returns the chip to its power-on state.
 */
export interface Device<S = unknown> {
  /** A short name after the hardware, such as 'uart-16550'. */
  readonly name: string;
  /** Port ranges the device claims on the port bus. */
  readonly portRanges: readonly PortRange[];
  /** Physical address ranges the device claims on the MMIO bus, if any. */
  readonly mmioRanges?: readonly MmioRange[];
  /** Returns the device to its power-on state. */
  reset(): void;
  /** Captures the device's state as a plain object. */
  saveState(): S;
  /** Restores a state captured by saveState. */
  loadState(state: S): void;
}

/** An interrupt request line from a device to an interrupt controller. */
export interface IrqLine {
  /** Drives the line to `level` (true = asserted). */
  set(level: boolean): void;
}

/** An IRQ line that goes nowhere, for devices wired before an interrupt controller exists. */
export class UnconnectedIrqLine implements IrqLine {
  /** Current level, kept so tests and a later PIC can see it. */
  level = false;

  set(level: boolean): void {
    this.level = level;
  }
}

/**
 * A range of physical addresses claimed by a device (MMIO), above RAM. Like a port range,
 * handlers get the offset into the range and the access size, never the absolute address.
 */
export interface MmioRange {
  /** First physical address of the range. */
  readonly base: number;
  /** Length of the range in bytes. */
  readonly length: number;
  /** Reads `size` bytes at `offset` into the range. */
  read(offset: number, size: AccessSize): number;
  /** Writes the low `size` bytes of `value` at `offset` into the range. */
  write(offset: number, size: AccessSize, value: number): void;
}

/**
 * Virtual time as devices see it: nanoseconds derived from the instruction count, never the
 * wall clock. A device that changes a deadline calls reschedule() so the machine looks again.
 */
export interface Clock {
  /** Current virtual time in nanoseconds. */
  now(): number;
  /** Tells the machine that this device's next deadline may have changed. */
  reschedule(): void;
}

/** A device with timers: the machine calls advance() once virtual time reaches nextDeadline(). */
export interface TimerDevice {
  /** Virtual time (ns) of the next event, Infinity when nothing is scheduled. */
  nextDeadline(): number;
  /** Brings the device's timers up to virtual time `now`, raising interrupts that fell due. */
  advance(now: number): void;
}

/** A clock that stands still, for devices tested without a machine. */
export class ManualClock implements Clock {
  /** Current time in nanoseconds; tests move it. */
  time = 0;
  /** How often a device asked to be rescheduled. */
  reschedules = 0;
  now(): number {
    return this.time;
  }
  reschedule(): void {
    this.reschedules++;
  }
}
