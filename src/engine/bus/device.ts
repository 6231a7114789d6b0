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
