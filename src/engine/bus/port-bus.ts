// The x86 I/O port space (64 Ki byte-wide ports): routes IN/OUT to the device that claims a port.

import type { AccessSize, PortRange } from './device';
import { hex, UnimplementedError } from './errors';
import type { KnownPortRange } from './pc-port-map';

const PORT_COUNT = 0x10000;
const NONE = 0xffff;

/**
 * Port bus. Devices claim ranges; overlapping claims are rejected. Unclaimed ports read all
 * ones and ignore writes, except ports of known-but-missing devices, which throw
 * UnimplementedError naming the device.
 */
export class PortBus {
  private readonly ranges: PortRange[] = [];
  private readonly known: KnownPortRange[] = [];
  /** Index into `ranges` for each port, NONE if unclaimed; one load on the hot path. */
  private readonly owner = new Uint16Array(PORT_COUNT).fill(NONE);
  /** Index into `known` plus one for each port, 0 if none. */
  private readonly knownOwner = new Uint16Array(PORT_COUNT);

  /** Creates a bus that reports accesses to `knownPorts` nobody claims as missing devices. */
  constructor(knownPorts: readonly KnownPortRange[] = []) {
    for (const k of knownPorts) {
      this.known.push(k);
      this.knownOwner.fill(this.known.length, k.base, k.base + k.length);
    }
  }

  /** Claims `range` for a device; throws if any of its ports is already claimed. */
  register(range: PortRange): void {
    const end = range.base + range.length;
    if (range.length <= 0 || range.base < 0 || end > PORT_COUNT) {
      throw new RangeError(`invalid port range ${hex(range.base, 4)}h+${range.length}`);
    }
    for (let p = range.base; p < end; p++) {
      if (this.owner[p] !== NONE) {
        throw new RangeError(
          `port range ${hex(range.base, 4)}h+${range.length} overlaps port ${hex(p, 4)}h`,
        );
      }
    }
    this.ranges.push(range);
    this.owner.fill(this.ranges.length - 1, range.base, end);
  }

  /** Reads `size` bytes from `port`. */
  read(port: number, size: AccessSize): number {
    const idx = this.owner[port]!;
    if (idx !== NONE) {
      const r = this.ranges[idx]!;
      return r.read(port - r.base, size);
    }
    this.checkKnown(port, 'read');
    return size === 1 ? 0xff : size === 2 ? 0xffff : 0xffffffff;
  }

  /** Writes the low `size` bytes of `value` to `port`. */
  write(port: number, size: AccessSize, value: number): void {
    const idx = this.owner[port]!;
    if (idx !== NONE) {
      const r = this.ranges[idx]!;
      r.write(port - r.base, size, value);
      return;
    }
    this.checkKnown(port, 'write');
  }

  private checkKnown(port: number, what: 'read' | 'write'): void {
    const k = this.knownOwner[port]!;
    if (k !== 0) {
      const device = this.known[k - 1]!.device;
      throw new UnimplementedError(
        'unimplemented-device',
        `unimplemented device ${device}: ${what} of port ${hex(port, 2)}h`,
      );
    }
  }
}
