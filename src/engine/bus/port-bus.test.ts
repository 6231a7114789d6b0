import { describe, expect, it } from 'vitest';
import type { AccessSize, PortRange } from './device';
import { UnimplementedError } from './errors';
import { PC_KNOWN_PORTS } from './pc-port-map';
import { PortBus } from './port-bus';

function recorder(base: number, length: number) {
  const log: string[] = [];
  const range: PortRange = {
    base,
    length,
    read: (offset: number, size: AccessSize) => {
      log.push(`r${offset}/${size}`);
      return 0x40 + offset;
    },
    write: (offset: number, size: AccessSize, value: number) => {
      log.push(`w${offset}/${size}=${value}`);
    },
  };
  return { log, range };
}

describe('PortBus', () => {
  it('hands a device only the offset into its range and the access size', () => {
    const bus = new PortBus();
    const dev = recorder(0x300, 4);
    bus.register(dev.range);
    expect(bus.read(0x302, 1)).toBe(0x42);
    bus.write(0x303, 2, 0x1234);
    expect(dev.log).toEqual(['r2/1', 'w3/2=4660']);
  });

  it('rejects overlapping ranges', () => {
    const bus = new PortBus();
    bus.register(recorder(0x300, 8).range);
    expect(() => bus.register(recorder(0x307, 2).range)).toThrow(/overlaps port 0307h/);
    expect(() => bus.register(recorder(0xffff, 2).range)).toThrow(RangeError);
    bus.register(recorder(0x308, 1).range);
  });

  it('reads all ones from unmapped ports and ignores writes', () => {
    const bus = new PortBus(PC_KNOWN_PORTS);
    expect(bus.read(0x500, 1)).toBe(0xff);
    expect(bus.read(0x500, 2)).toBe(0xffff);
    expect(bus.read(0x500, 4)).toBe(0xffffffff);
    expect(() => bus.write(0x80, 1, 0x55)).not.toThrow();
  });

  it.each([
    [0x00, '8237 DMA controller (master)'],
    [0x81, '8237 DMA page registers'],
    [0xc0, '8237 DMA controller (slave)'],
    [0x2e8, '16550 UART (COM4)'],
    [0x378, 'parallel port (LPT1)'],
    [0x3f0, 'floppy controller'],
    [0x3f7, 'floppy controller'],
    [0xcf8, 'PCI configuration space'],
  ])('throws UnimplementedError naming the missing device at port %i', (port, device) => {
    const bus = new PortBus(PC_KNOWN_PORTS);
    let error: unknown;
    try {
      bus.read(port, 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnimplementedError);
    expect((error as UnimplementedError).kind).toBe('unimplemented-device');
    expect((error as UnimplementedError).message).toContain(device);
    expect(() => bus.write(port, 1, 0)).toThrow(/write of port/);
  });

  it('lets a registered device take over a known port range', () => {
    const bus = new PortBus(PC_KNOWN_PORTS);
    bus.register(recorder(0x3f8, 8).range);
    expect(bus.read(0x3fd, 1)).toBe(0x45);
  });
});
