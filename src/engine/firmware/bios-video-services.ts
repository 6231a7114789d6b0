// Int 10h dispatch: mode, cursor, scrolling, character and string output in text mode 3 (Ralf Brown's Interrupt List, INT 10).

import { EBP, EBX, ECX, EDX, ES } from '../cpu/state';
import type { VgaText } from '../devices/vga-text';
import { BiosCall } from './bios-call';
import {
  BDA_CURSOR_SHAPE,
  BDA_VIDEO_MODE,
  getCursor,
  initVideo,
  scrollWindow,
  setCursor,
  TEXT_COLUMNS,
  teletype,
  teletypeAttr,
  VGA_TEXT_BASE,
  writeCharAttr,
} from './bios-video';

/** Runs int 10h function AH; returns false when vmlab does not provide it. */
export function int10(c: BiosCall, vga: VgaText | null, screen: (byte: number) => void): boolean {
  const mem = c.mem;
  switch (c.ah) {
    case 0x00:
      // Any text mode request gets mode 3; bit 7 keeps the screen contents.
      if ((c.al & 0x80) === 0) initVideo(mem);
      mem.write8(BDA_VIDEO_MODE, 0x03);
      setCursor(mem, 0, 0);
      break;
    case 0x01:
      mem.write16(BDA_CURSOR_SHAPE, c.cx);
      vga?.setCursorShape(c.ch, c.cl);
      return true;
    case 0x02:
      setCursor(mem, c.dl, c.dh);
      break;
    case 0x03: {
      const [col, row] = getCursor(mem);
      c.set16(EDX, (row << 8) | col);
      c.set16(ECX, mem.read16(BDA_CURSOR_SHAPE));
      return true;
    }
    case 0x05:
      return true; // one page
    case 0x06:
    case 0x07:
      scrollWindow(mem, c.ah === 0x06, c.al, c.bh, c.ch, c.cl, c.dh, c.dl);
      return true;
    case 0x08: {
      const [col, row] = getCursor(mem);
      c.set16(0, mem.read16(VGA_TEXT_BASE + (row * TEXT_COLUMNS + col) * 2));
      return true;
    }
    case 0x09:
    case 0x0a:
      writeCharAttr(mem, c.al, c.bl, c.cx, c.ah === 0x0a);
      return true;
    case 0x0e:
      teletype(mem, c.al);
      screen(c.al);
      break;
    case 0x0f:
      c.set16(0, (TEXT_COLUMNS << 8) | mem.read8(BDA_VIDEO_MODE));
      c.set8(EBX, true, 0);
      return true;
    case 0x10:
    case 0x11:
      return true; // palette and font loads: text mode keeps its defaults
    case 0x12:
      if (c.bl === 0x10) c.set16(EBX, 0x0003); // colour, 256 KiB
      return true;
    case 0x13:
      writeString(c, screen);
      break;
    case 0x1a:
      if (c.al === 0) {
        c.setAl(0x1a);
        c.set16(EBX, 0x0008); // VGA with colour display
      }
      return true;
    default:
      return false;
  }
  if (vga) {
    const [col, row] = getCursor(mem);
    vga.setCursor(row * TEXT_COLUMNS + col);
  }
  return true;
}

/** Int 10h AH=13h: CX characters from ES:BP at (DL, DH); AL bit 0 moves the cursor, bit 1 interleaves attributes. */
function writeString(c: BiosCall, screen: (byte: number) => void): void {
  const mem = c.mem;
  const mode = c.al;
  const saved = getCursor(mem);
  setCursor(mem, c.dl, c.dh);
  let at = BiosCall.linear(c.s.seg[ES]!, c.s.regs[EBP]!);
  for (let i = 0; i < c.cx; i++) {
    const ch = mem.read8(at++);
    let attr = c.bl;
    if ((mode & 2) !== 0) attr = mem.read8(at++);
    teletypeAttr(mem, ch, attr);
    screen(ch);
  }
  if ((mode & 1) === 0) setCursor(mem, saved[0], saved[1]);
}
