// The Bochs/QEMU debug console at port 0xE9: bytes written go to the host; reads return 0xE9.

import type { AccessSize, Device, PortRange } from '../bus/device';

/** The debug port keeps no state; an empty object keeps it in the snapshot's list. */
export type DebugPortState = Record<string, never>;

/** Port 0xE9 "debugcon": a one-way console that guests can use before any device setup. */
export class DebugPortE9 implements Device<DebugPortState> {
  readonly name = 'debug-port-e9';
  readonly portRanges: readonly PortRange[];

  /** @param sink receives each byte the guest writes */
  constructor(
    private readonly sink: (byte: number) => void,
    base = 0xe9,
  ) {
    this.portRanges = [
      {
        base,
        length: 1,
        // Reading returns 0xE9 so a guest can detect the port, as Bochs and QEMU do.
        read: (_offset: number, _size: AccessSize) => 0xe9,
        write: (_offset: number, _size: AccessSize, value: number) => this.sink(value & 0xff),
      },
    ];
  }

  reset(): void {}

  saveState(): DebugPortState {
    return {};
  }

  loadState(_state: DebugPortState): void {}
}
