import { describe, expect, it } from 'vitest';
import { UnconnectedIrqLine } from '../bus/device';
import { UART_RX_CAPACITY, Uart16550 } from './uart-16550';

function uart() {
  const sent: number[] = [];
  const irq = new UnconnectedIrqLine();
  const u = new Uart16550(0x3f8, (b) => sent.push(b), irq);
  const port = u.portRanges[0]!;
  return {
    u,
    sent,
    irq,
    read: (off: number) => port.read(off, 1),
    write: (off: number, v: number) => port.write(off, 1, v),
  };
}

describe('16550 UART', () => {
  it('claims eight ports at its base', () => {
    expect(uart().u.portRanges.map((r) => [r.base, r.length])).toEqual([[0x3f8, 8]]);
  });

  it('transmits THR writes to the sink at once; LSR always shows THRE and TEMT', () => {
    const t = uart();
    expect(t.read(5) & 0x60).toBe(0x60);
    t.write(0, 0x41);
    t.write(0, 0x42);
    expect(t.sent).toEqual([0x41, 0x42]);
    expect(t.read(5) & 0x60).toBe(0x60);
  });

  it('receives host input through RBR with DR in LSR', () => {
    const t = uart();
    expect(t.read(5) & 1).toBe(0);
    t.u.receive([0x61, 0x62]);
    expect(t.read(5) & 1).toBe(1);
    expect(t.read(0)).toBe(0x61);
    expect(t.read(0)).toBe(0x62);
    expect(t.read(5) & 1).toBe(0);
  });

  it('maps the divisor latch over RBR/THR and IER while DLAB is set', () => {
    const t = uart();
    t.write(3, 0x83);
    t.write(0, 0x01);
    t.write(1, 0x00);
    expect([t.read(0), t.read(1), t.read(3)]).toEqual([1, 0, 0x83]);
    expect(t.sent).toEqual([]);
    t.write(3, 0x03);
    t.write(1, 0x0f);
    expect(t.read(1)).toBe(0x0f);
  });

  it('keeps the scratch register and reports FIFOs in IIR', () => {
    const t = uart();
    t.write(7, 0x5a);
    expect(t.read(7)).toBe(0x5a);
    expect(t.read(2)).toBe(0x01);
    t.write(2, 0xc7);
    expect(t.read(2) & 0xc0).toBe(0xc0);
  });

  it('drives its IRQ line for enabled sources, with or without OUT2', () => {
    const t = uart();
    t.write(1, 0x01); // received-data interrupt; MCR.OUT2 left clear
    expect(t.irq.level).toBe(false);
    t.u.receive([0x31]);
    expect(t.irq.level).toBe(true);
    expect(t.read(2) & 0x0f).toBe(0x04);
    t.read(0);
    expect(t.irq.level).toBe(false);
    t.write(1, 0x02); // THR empty: raised on enable, cleared by reading IIR
    expect(t.read(2) & 0x0f).toBe(0x02);
    expect(t.irq.level).toBe(false);
  });

  it('loops transmitted bytes back in loopback mode', () => {
    const t = uart();
    t.write(4, 0x10 | 0x03);
    t.write(0, 0x77);
    expect(t.sent).toEqual([]);
    expect(t.read(0)).toBe(0x77);
    expect(t.read(6) & 0x30).toBe(0x30);
  });

  it('bounds the receive buffer and flags an overrun', () => {
    const t = uart();
    t.u.receive(new Array(UART_RX_CAPACITY + 5).fill(1));
    expect(t.read(5) & 0x02).toBe(0x02);
    expect(t.read(5) & 0x02).toBe(0);
  });

  it('round-trips its state through JSON', () => {
    const t = uart();
    t.write(3, 0x83);
    t.write(0, 0x0c);
    t.write(3, 0x03);
    t.write(7, 0x99);
    t.u.receive([1, 2, 3]);
    t.read(0);
    const saved = t.u.saveState();
    const other = uart();
    other.u.loadState(JSON.parse(JSON.stringify(saved)));
    expect(other.u.saveState()).toEqual(saved);
    expect(other.read(0)).toBe(2);
    other.u.reset();
    expect(other.read(5) & 1).toBe(0);
  });
});
