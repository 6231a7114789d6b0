// The PC's INTR line: the local APIC's deliverable vectors first, else the 8259 pair through LINT0 (Intel MP spec 1.4, 3.6 "virtual wire").

import type { IrqLine } from '../bus/device';
import type { InterruptController } from '../cpu/cpu';
import type { IoApic } from '../devices/io-apic';
import type { LocalApic } from '../devices/local-apic';
import type { Pic8259 } from '../devices/pic-8259';

/**
 * The CPU's interrupt controller. The CPU asks hasInterrupt() at every instruction boundary
 * with IF set, so the answer is cached: any change in the PIC or the local APIC marks it
 * stale, and a stale "no" is recomputed once.
 */
export class InterruptRouter implements InterruptController {
  private stale = true;

  constructor(
    private readonly pic: Pic8259,
    private readonly lapic: LocalApic,
    private readonly ioapic: IoApic,
  ) {}

  /** Something that feeds INTR changed. */
  changed(): void {
    this.stale = true;
  }

  hasInterrupt(): boolean {
    if (!this.stale) return false;
    if (this.lapic.hasInterrupt()) return true;
    if (this.lapic.passesExtInt() && this.pic.hasInterrupt()) return true;
    this.stale = false;
    return false;
  }

  acknowledge(): number {
    this.stale = true;
    if (this.lapic.hasInterrupt()) return this.lapic.acknowledge();
    return this.pic.acknowledge();
  }

  /**
   * ISA IRQ `irq` as a device drives it: into the 8259 pair and the I/O APIC pin that the
   * MP table names (IRQ 0 is pin 2, as on boards that route the PIT there; others identity).
   */
  isaLine(irq: number): IrqLine {
    const pin = irq === 0 ? 2 : irq;
    return {
      set: (level: boolean) => {
        this.pic.setIrq(irq, level);
        this.ioapic.setIrq(pin, level);
      },
    };
  }
}
