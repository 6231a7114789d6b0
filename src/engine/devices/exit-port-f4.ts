// QEMU's isa-debug-exit device at port 0xF4: a write of v ends a headless run with status (v << 1) | 1.

import type { AccessSize, Device, PortRange } from '../bus/device';

/** Saved state of the exit device. */
export interface ExitPortState {
  exited: boolean;
  status: number;
}

/**
 * The exit device. Like QEMU's, the status is always odd, so a guest cannot fake a clean
 * exit 0 of the emulator; `onExit` tells the machine to stop after the current instruction.
 */
export class ExitPortF4 implements Device<ExitPortState> {
  readonly name = 'exit-port-f4';
  readonly portRanges: readonly PortRange[];
  private st: ExitPortState = { exited: false, status: 0 };

  /** @param onExit called with the exit status when the guest writes the port */
  constructor(
    private readonly onExit: (status: number) => void,
    base = 0xf4,
  ) {
    this.portRanges = [
      {
        base,
        length: 1,
        read: (_offset: number, size: AccessSize) =>
          size === 1 ? 0xff : size === 2 ? 0xffff : 0xffffffff,
        write: (_offset: number, size: AccessSize, value: number) => {
          const v = size === 4 ? value >>> 0 : value & (size === 1 ? 0xff : 0xffff);
          this.st = { exited: true, status: v * 2 + 1 };
          this.onExit(this.st.status);
        },
      },
    ];
  }

  /** True once the guest has written the port. */
  get exited(): boolean {
    return this.st.exited;
  }

  /** The exit status, valid once exited. */
  get status(): number {
    return this.st.status;
  }

  reset(): void {
    this.st = { exited: false, status: 0 };
  }

  saveState(): ExitPortState {
    return { ...this.st };
  }

  loadState(state: ExitPortState): void {
    this.st = { ...state };
  }
}
