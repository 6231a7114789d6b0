// BIOS keyboard: the IRQ 1 handler (int 09h) filling the BDA key buffer, and int 16h (IBM PC/AT BIOS listing; Ralf Brown's Interrupt List, INT 16).

import type { PhysicalMemory } from '../bus/physical-memory';
import { ECX } from '../cpu/state';
import { asciiOfScancode } from '../devices/scancodes';
import type { BiosCall } from './bios-call';

const BDA_SHIFT = 0x417;
const BDA_KBD_HEAD = 0x41a;
const BDA_KBD_TAIL = 0x41c;
const BDA_KBD_START = 0x480;
const BDA_KBD_END = 0x482;
const BDA_KBD_E0 = 0x496;
const BUFFER_FIRST = 0x1e;
const BUFFER_END = 0x3e;

const SHIFT_RIGHT = 0x01;
const SHIFT_LEFT = 0x02;
const CTRL = 0x04;
const ALT = 0x08;
const CAPS = 0x40;

/** Sets up an empty key buffer at 40:1E-40:3D. */
export function initKeyboardBda(mem: PhysicalMemory): void {
  mem.write16(BDA_KBD_HEAD, BUFFER_FIRST);
  mem.write16(BDA_KBD_TAIL, BUFFER_FIRST);
  mem.write16(BDA_KBD_START, BUFFER_FIRST);
  mem.write16(BDA_KBD_END, BUFFER_END);
  mem.write8(BDA_SHIFT, 0);
}

/** Appends key word `word` (scancode << 8 | ASCII); false when the buffer is full. */
function pushKey(mem: PhysicalMemory, word: number): boolean {
  const tail = mem.read16(BDA_KBD_TAIL);
  let next = tail + 2;
  if (next >= BUFFER_END) next = BUFFER_FIRST;
  if (next === mem.read16(BDA_KBD_HEAD)) return false;
  mem.write16(0x400 + tail, word);
  mem.write16(BDA_KBD_TAIL, next);
  return true;
}

/** The next key word, or -1 when the buffer is empty; `remove` takes it out. */
function peekKey(mem: PhysicalMemory, remove: boolean): number {
  const head = mem.read16(BDA_KBD_HEAD);
  if (head === mem.read16(BDA_KBD_TAIL)) return -1;
  const word = mem.read16(0x400 + head);
  if (remove) {
    let next = head + 2;
    if (next >= BUFFER_END) next = BUFFER_FIRST;
    mem.write16(BDA_KBD_HEAD, next);
  }
  return word;
}

/** IRQ 1: one scancode byte from the 8042, tracked for shift state and buffered as a key. */
export function keyboardIrq(mem: PhysicalMemory, scancode: number): void {
  if (scancode === 0xe0) {
    mem.write8(BDA_KBD_E0, mem.read8(BDA_KBD_E0) | 0x02);
    return;
  }
  const extended = (mem.read8(BDA_KBD_E0) & 0x02) !== 0;
  mem.write8(BDA_KBD_E0, mem.read8(BDA_KBD_E0) & ~0x02);
  const make = (scancode & 0x80) === 0;
  const code = scancode & 0x7f;
  let flags = mem.read8(BDA_SHIFT);
  const modifier =
    code === 0x2a
      ? SHIFT_LEFT
      : code === 0x36
        ? SHIFT_RIGHT
        : code === 0x1d
          ? CTRL
          : code === 0x38
            ? ALT
            : 0;
  if (modifier !== 0) {
    flags = make ? flags | modifier : flags & ~modifier;
    mem.write8(BDA_SHIFT, flags);
    return;
  }
  if (!make) return;
  if (code === 0x3a) {
    mem.write8(BDA_SHIFT, flags ^ CAPS);
    return;
  }
  const shift = (flags & (SHIFT_LEFT | SHIFT_RIGHT)) !== 0;
  let ascii = extended && code !== 0x1c && code !== 0x35 ? 0 : asciiOfScancode(code, shift);
  const letter = (ascii | 0x20) >= 0x61 && (ascii | 0x20) <= 0x7a;
  if (letter && (flags & CAPS) !== 0) ascii ^= 0x20;
  if ((flags & CTRL) !== 0 && letter) ascii &= 0x1f;
  if ((flags & ALT) !== 0) ascii = 0;
  pushKey(mem, (code << 8) | ascii);
}

/**
 * Int 16h. Returns false when the call must wait for a key (AH=00h/10h with an empty buffer):
 * the caller then halts with interrupts on and re-issues the call after the next interrupt.
 */
export function int16(c: BiosCall): boolean {
  const mem = c.mem;
  switch (c.ah) {
    case 0x00:
    case 0x10: {
      const word = peekKey(mem, true);
      if (word < 0) return false;
      c.set16(0, word);
      return true;
    }
    case 0x01:
    case 0x11: {
      const word = peekKey(mem, false);
      c.setZero(word < 0);
      if (word >= 0) c.set16(0, word);
      return true;
    }
    case 0x02:
    case 0x12:
      c.setAl(mem.read8(BDA_SHIFT));
      if (c.ah === 0x12) c.setAh(mem.read8(BDA_SHIFT + 1));
      return true;
    case 0x05:
      c.setAl(pushKey(mem, c.s.regs[ECX]! & 0xffff) ? 0 : 1);
      return true;
    default:
      return true; // typematic rate, click: accepted
  }
}
