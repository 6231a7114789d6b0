// Well-known PC I/O port assignments (IBM PC/AT technical reference, PC97), for unimplemented-device errors.

/** A port range that belongs to a standard PC device. */
export interface KnownPortRange {
  readonly base: number;
  readonly length: number;
  readonly device: string;
}

/**
 * Ports of standard PC devices. An access to one of them that no registered device claims is
 * an error rather than an open-bus read, so a guest never silently talks to a missing chip.
 * Port 0x80 (POST codes, used by guests as an I/O delay) is deliberately absent.
 */
export const PC_KNOWN_PORTS: readonly KnownPortRange[] = [
  { base: 0x00, length: 0x10, device: '8237 DMA controller (master)' },
  { base: 0x81, length: 0x0f, device: '8237 DMA page registers' },
  { base: 0xc0, length: 0x20, device: '8237 DMA controller (slave)' },
  { base: 0x2e8, length: 8, device: '16550 UART (COM4)' },
  { base: 0x378, length: 3, device: 'parallel port (LPT1)' },
  { base: 0x3e8, length: 8, device: '16550 UART (COM3)' },
  { base: 0x3f0, length: 6, device: 'floppy controller' },
  { base: 0x3f7, length: 1, device: 'floppy controller' },
  { base: 0x3f8, length: 8, device: '16550 UART (COM1)' },
  { base: 0xcf8, length: 8, device: 'PCI configuration space' },
];
