// PC/AT system control port B at 61h: PIT channel 2 gate and output, speaker enable, refresh toggle (IBM PC/AT Technical Reference).

import type { AccessSize, Clock, Device, PortRange } from '../bus/device';
import type { Pit8254 } from './pit-8254';

/** Saved state of port 61h. */
export interface SystemPort61State {
  /** Bits 0-3 as last written (gate 2, speaker data, parity and channel check enables). */
  control: number;
}

/** Refresh requests toggle bit 4 every 15.085 µs, which delay loops count. */
const REFRESH_NS = 15_085;

/** Port 61h: bit 0 drives PIT channel 2's gate, bit 5 reads its output. */
export class SystemPort61 implements Device<SystemPort61State> {
  readonly name = 'system-port-61';
  readonly portRanges: readonly PortRange[];
  private st: SystemPort61State = { control: 0 };

  constructor(
    private readonly pit: Pit8254,
    private readonly clock: Clock,
  ) {
    this.portRanges = [
      {
        base: 0x61,
        length: 1,
        read: (_offset: number, _size: AccessSize) => {
          const refresh = Math.floor(this.clock.now() / REFRESH_NS) & 1;
          return (this.st.control & 0x0f) | (refresh << 4) | (this.pit.out2() ? 0x20 : 0);
        },
        write: (_offset: number, _size: AccessSize, value: number) => {
          this.st.control = value & 0x0f;
          this.pit.setGate2((value & 1) !== 0);
        },
      },
    ];
  }

  reset(): void {
    this.st = { control: 0 };
  }

  saveState(): SystemPort61State {
    return { ...this.st };
  }

  /** Restores the latch; the PIT restores channel 2's gate itself. */
  loadState(state: SystemPort61State): void {
    this.st = { ...state };
  }
}
