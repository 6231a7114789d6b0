// Helpers for device tests: port access by absolute port, IRQ recorders, a state round trip.

import type { AccessSize, Device, IrqLine } from '../bus/device';
import { PortBus } from '../bus/port-bus';
import { decodeState, encodeState } from '../snapshot/state-codec';

/** A port bus with `device`'s ranges registered. */
export function busWith(...devices: Device[]): PortBus {
  const bus = new PortBus();
  for (const d of devices) for (const r of d.portRanges) bus.register(r);
  return bus;
}

/** An IRQ line that records its level and counts rising edges. */
export class RecordingIrq implements IrqLine {
  level = false;
  edges = 0;
  set(level: boolean): void {
    if (level && !this.level) this.edges++;
    this.level = level;
  }
}

/** Byte port helpers for terse tests. */
export function ports(bus: PortBus) {
  return {
    out: (port: number, value: number, size: AccessSize = 1) => bus.write(port, size, value),
    inb: (port: number) => bus.read(port, 1),
    inw: (port: number) => bus.read(port, 2),
  };
}

/**
 * The round trip every stateful device passes: save, encode as a snapshot would, decode,
 * restore into `fresh` (built by the same constructor), save again, deep-equal (the test compares the two).
 */
export function roundTrip<S>(device: Device<S>, fresh: Device<S>): { saved: S; again: S } {
  const saved = device.saveState();
  const encoded = encodeState(saved);
  fresh.loadState(decodeState<S>(encoded.json, encoded.blob));
  return { saved, again: fresh.saveState() };
}
