// VGA in 80x25 colour text mode: the B8000h buffer is plain RAM, plus the CRTC, sequencer, attribute and DAC ports (IBM VGA Technical Reference).

import type { AccessSize, Clock, Device, PortRange } from '../bus/device';

/** Physical address of the colour text buffer; it is RAM, read by renderers. */
export const VGA_TEXT_BUFFER = 0xb8000;
export const VGA_COLUMNS = 80;
export const VGA_ROWS = 25;

/** Saved state of the VGA registers. */
export interface VgaTextState {
  crtcIndex: number;
  crtc: number[];
  seqIndex: number;
  seq: number[];
  gcIndex: number;
  gc: number[];
  attrIndex: number;
  /** Attribute controller flip-flop: false = next write to 3C0h is an index. */
  attrFlip: boolean;
  attr: number[];
  misc: number;
  dacReadIndex: number;
  dacWriteIndex: number;
  /** Which of R, G, B the next DAC data access is (0..2). */
  dacComponent: number;
  dac: number[];
}

/** One frame at 70 Hz, of which the last 1/25 is vertical retrace. */
const FRAME_NS = 14_285_714;
const VRETRACE_NS = 571_428;
/** A scanline, of which the last fifth is horizontal blanking (display-enable low). */
const LINE_NS = 31_777;

/**
 * The VGA ports guests touch in text mode. The text buffer itself is memory; this device
 * keeps the cursor (CRTC 0Ah/0Bh/0Eh/0Fh), the start address and the palette, and input
 * status 1 (3DAh) shows retrace from virtual time so "wait for vsync" loops end.
 */
export class VgaText implements Device<VgaTextState> {
  readonly name = 'vga-text';
  readonly portRanges: readonly PortRange[];
  private st: VgaTextState = VgaText.powerOn();

  constructor(private readonly clock: Clock) {
    this.portRanges = [
      {
        base: 0x3b0,
        length: 0x30,
        read: (offset: number, _size: AccessSize) => this.read(0x3b0 + offset),
        write: (offset: number, size: AccessSize, value: number) => {
          this.write(0x3b0 + offset, value & 0xff);
          if (size === 2) this.write(0x3b1 + offset, (value >> 8) & 0xff);
        },
      },
    ];
  }

  private static powerOn(): VgaTextState {
    const crtc = new Array<number>(25).fill(0);
    crtc[0x0a] = 0x0d; // cursor start/end scanlines as mode 3 leaves them
    crtc[0x0b] = 0x0e;
    crtc[0x09] = 0x0f;
    return {
      crtcIndex: 0,
      crtc,
      seqIndex: 0,
      seq: [0x03, 0x00, 0x03, 0x00, 0x02],
      gcIndex: 0,
      gc: [0, 0, 0, 0, 0, 0x10, 0x0e, 0, 0xff],
      attrIndex: 0,
      attrFlip: false,
      attr: [...Array.from({ length: 16 }, (_, i) => i), 0x0c, 0, 0x0f, 0x08, 0],
      misc: 0x67,
      dacReadIndex: 0,
      dacWriteIndex: 0,
      dacComponent: 0,
      dac: new Array<number>(768).fill(0),
    };
  }

  /** Cursor position as a cell index (row * 80 + column), and whether it is shown. */
  cursor(): { offset: number; visible: boolean } {
    const c = this.st.crtc;
    const offset = ((c[0x0e]! << 8) | c[0x0f]!) - ((c[0x0c]! << 8) | c[0x0d]!);
    return { offset, visible: (c[0x0a]! & 0x20) === 0 };
  }

  /** Moves the cursor, as the BIOS does through the CRTC. */
  setCursor(offset: number): void {
    this.st.crtc[0x0e] = (offset >> 8) & 0xff;
    this.st.crtc[0x0f] = offset & 0xff;
  }

  /** Sets the cursor shape (CRTC 0Ah/0Bh), as int 10h AH=01h does. */
  setCursorShape(start: number, end: number): void {
    this.st.crtc[0x0a] = start & 0x3f;
    this.st.crtc[0x0b] = end & 0x1f;
  }

  reset(): void {
    this.st = VgaText.powerOn();
  }

  saveState(): VgaTextState {
    const s = this.st;
    return {
      ...s,
      crtc: [...s.crtc],
      seq: [...s.seq],
      gc: [...s.gc],
      attr: [...s.attr],
      dac: [...s.dac],
    };
  }

  loadState(state: VgaTextState): void {
    const s = state;
    this.st = {
      ...s,
      crtc: [...s.crtc],
      seq: [...s.seq],
      gc: [...s.gc],
      attr: [...s.attr],
      dac: [...s.dac],
    };
  }

  private colour(): boolean {
    return (this.st.misc & 1) !== 0;
  }

  private read(port: number): number {
    const st = this.st;
    // With MISC bit 0 set the CRTC answers at 3Dxh; the 3Bxh aliases are mono.
    const crtcBase = this.colour() ? 0x3d4 : 0x3b4;
    switch (port) {
      case crtcBase:
        return st.crtcIndex;
      case crtcBase + 1:
        return st.crtc[st.crtcIndex] ?? 0xff;
      case 0x3c0:
        return st.attrIndex;
      case 0x3c1:
        return st.attr[st.attrIndex & 0x1f] ?? 0;
      case 0x3c2:
        return 0x10; // input status 0: switch sense
      case 0x3c4:
        return st.seqIndex;
      case 0x3c5:
        return st.seq[st.seqIndex] ?? 0xff;
      case 0x3c7:
        return 0; // DAC state: read mode off
      case 0x3c8:
        return st.dacWriteIndex;
      case 0x3c9: {
        const v = st.dac[st.dacReadIndex * 3 + st.dacComponent] ?? 0;
        if (++st.dacComponent === 3) {
          st.dacComponent = 0;
          st.dacReadIndex = (st.dacReadIndex + 1) & 0xff;
        }
        return v;
      }
      case 0x3cc:
        return st.misc;
      case 0x3ce:
        return st.gcIndex;
      case 0x3cf:
        return st.gc[st.gcIndex] ?? 0xff;
      case 0x3ba:
      case 0x3da: {
        st.attrFlip = false;
        const now = this.clock.now();
        const vr = now % FRAME_NS >= FRAME_NS - VRETRACE_NS;
        const hb = now % LINE_NS >= LINE_NS - LINE_NS / 5;
        return (vr ? 0x08 : 0) | (vr || hb ? 0x01 : 0);
      }
      default:
        return 0xff;
    }
  }

  private write(port: number, value: number): void {
    const st = this.st;
    const crtcBase = this.colour() ? 0x3d4 : 0x3b4;
    switch (port) {
      case crtcBase:
        st.crtcIndex = value & 0x1f;
        return;
      case crtcBase + 1:
        if (st.crtcIndex < st.crtc.length) st.crtc[st.crtcIndex] = value;
        return;
      case 0x3c0:
        if (!st.attrFlip) st.attrIndex = value & 0x3f;
        else if ((st.attrIndex & 0x1f) < st.attr.length) st.attr[st.attrIndex & 0x1f] = value;
        st.attrFlip = !st.attrFlip;
        return;
      case 0x3c2:
        st.misc = value;
        return;
      case 0x3c4:
        st.seqIndex = value & 7;
        return;
      case 0x3c5:
        if (st.seqIndex < st.seq.length) st.seq[st.seqIndex] = value;
        return;
      case 0x3c7:
        st.dacReadIndex = value;
        st.dacComponent = 0;
        return;
      case 0x3c8:
        st.dacWriteIndex = value;
        st.dacComponent = 0;
        return;
      case 0x3c9:
        st.dac[st.dacWriteIndex * 3 + st.dacComponent] = value & 0x3f;
        if (++st.dacComponent === 3) {
          st.dacComponent = 0;
          st.dacWriteIndex = (st.dacWriteIndex + 1) & 0xff;
        }
        return;
      case 0x3ce:
        st.gcIndex = value & 0x0f;
        return;
      case 0x3cf:
        if (st.gcIndex < st.gc.length) st.gc[st.gcIndex] = value;
        return;
      default:
    }
  }
}

/** The text screen in `memory` (a copy of physical memory) as 25 lines without trailing blanks. */
export function textScreenLines(memory: Uint8Array): string[] {
  const lines: string[] = [];
  for (let row = 0; row < VGA_ROWS; row++) {
    let line = '';
    for (let col = 0; col < VGA_COLUMNS; col++) {
      const ch = memory[VGA_TEXT_BUFFER + (row * VGA_COLUMNS + col) * 2] ?? 0x20;
      line += ch < 0x20 || ch === 0x7f ? (ch === 0 ? ' ' : '.') : String.fromCharCode(ch);
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
