// PS/2 system control port A at 92h: fast A20 gate and fast reset (IBM PS/2 Technical Reference; QEMU hw/i386/port92.c).

import type { AccessSize, Device, PortRange } from '../bus/device';
import type { PhysicalMemory } from '../bus/physical-memory';

/** Port 92h keeps no state of its own: the A20 gate lives in physical memory. */
export type SystemPort92State = Record<string, never>;

/**
 * Port 92h. Bit 1 opens or closes the A20 gate in physical memory, so addresses really wrap
 * at 1 MiB when it is closed; writing bit 0 as 1 asks for a CPU reset.
 */
export class SystemPort92 implements Device<SystemPort92State> {
  readonly name = 'system-port-92';
  readonly portRanges: readonly PortRange[];

  /** @param onReset called when the guest sets bit 0 (the machine resets) */
  constructor(
    private readonly mem: PhysicalMemory,
    private readonly onReset: () => void,
  ) {
    this.portRanges = [
      {
        base: 0x92,
        length: 1,
        read: (_offset: number, _size: AccessSize) => (this.mem.a20Enabled ? 0x02 : 0x00),
        write: (_offset: number, _size: AccessSize, value: number) => {
          this.mem.setA20((value & 0x02) !== 0);
          if ((value & 0x01) !== 0) this.onReset();
        },
      },
    ];
  }

  reset(): void {}

  saveState(): SystemPort92State {
    return {};
  }

  loadState(_state: SystemPort92State): void {}
}
