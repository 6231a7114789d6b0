// The protected-mode world of harness-pm.asm as data: GDT entries, selectors and table addresses, shared by the generator and (through the JSON header) the replay.

/** Linear addresses of the harness's tables and stacks (identity-mapped, below the windows). */
export const GDT_BASE = 0x0600;
export const IDT_BASE = 0x0800;
export const TSS_BASE = 0x0a00;
export const HSTACK = 0x9000; // ring-0 stack of the harness and of exceptions from CPL 3
/** Page directory and the one page table (identity map of the first 4 MiB) of paging cases. */
export const PAGE_DIRECTORY = 0x3000;
export const PAGE_TABLE = 0x4000;
/** IDT entries 0..31 (exception stubs), 32..47 not present, 48 = the CPL-3 "done" gate. */
export const IDT_LIMIT = 0x30 * 8 + 7;

/** A code or data descriptor: base, byte limit, access byte, flags nibble (G, D/B). */
function desc(base, limit, access, flags) {
  let lim = limit;
  let f = flags;
  if (limit > 0xfffff) {
    lim = limit >>> 12;
    f |= 0x8;
  }
  return [
    lim & 0xff,
    (lim >>> 8) & 0xff,
    base & 0xff,
    (base >>> 8) & 0xff,
    (base >>> 16) & 0xff,
    access,
    (f << 4) | ((lim >>> 16) & 0xf),
    (base >>> 24) & 0xff,
  ];
}

// Data segments end right after the 32-byte window at 1000h and the stack segments right
// after the stack window (6FE0h-701Fh), so accesses that cross a window's end cross a limit.
const WIN_END = 0x1020;
const STK_END = 0x7020;
/** Every GDT entry in selector order (accessed bits preset: loads do not write the GDT). */
export const GDT = [
  [0, 0, 0, 0, 0, 0, 0, 0], // 00 null
  desc(0, 0xffffffff, 0x9b, 0x4), // 08 code, 32-bit, DPL 0 (the harness)
  desc(0, 0xffffffff, 0x93, 0x4), // 10 data, flat, DPL 0 (the harness)
  desc(0, 0xffff, 0x9b, 0x0), // 18 code, 16-bit, DPL 0
  desc(0, STK_END - 1, 0x93, 0x4), // 20 stack, B = 1, DPL 0
  desc(0, STK_END - 1, 0x93, 0x0), // 28 stack, B = 0, DPL 0
  desc(0x100, WIN_END - 1 - 0x100, 0xf3, 0x4), // 30 DS of the tests, DPL 3
  desc(0x200, WIN_END - 1 - 0x200, 0xf3, 0x4), // 38 ES
  desc(0x800, WIN_END - 1 - 0x800, 0xf3, 0x4), // 40 FS
  desc(0x900, WIN_END - 1 - 0x900, 0xf3, 0x4), // 48 GS
  desc(0, STK_END - 1, 0xf3, 0x4), // 50 stack, B = 1, DPL 3
  desc(0, STK_END - 1, 0xf3, 0x0), // 58 stack, B = 0, DPL 3
  desc(0, 0xffffffff, 0xfb, 0x4), // 60 code, 32-bit, DPL 3
  desc(0, 0xffff, 0xfb, 0x0), // 68 code, 16-bit, DPL 3
  desc(TSS_BASE, 0x67, 0x8b, 0x0), // 70 32-bit TSS, busy (LTR), no I/O bitmap
  desc(0x100, WIN_END - 1 - 0x100, 0x91, 0x4), // 78 read-only data, DPL 0
  desc(0x100, WIN_END - 1 - 0x100, 0x71, 0x4), // 80 data, not present, DPL 3
  desc(0, 0xffffffff, 0xf9, 0x4), // 88 execute-only code, DPL 3
  desc(0, 0xffffffff, 0x9f, 0x4), // 90 readable conforming code, DPL 0
  desc(0, 0xfff, 0xf7, 0x0), // 98 expand-down data, B = 0, DPL 3
  desc(0, 0, 0x82, 0x0), // A0 LDT
  [0x00, 0x20, 0x08, 0x00, 0x00, 0xec, 0x00, 0x00], // A8 32-bit call gate, DPL 3
  desc(0, 0x2b, 0x81, 0x0), // B0 16-bit TSS, available
];
export const GDT_LIMIT = GDT.length * 8 - 1;

/** The selectors a case starts with: ES, CS, SS, DS, FS, GS for code size and CPL. */
export function startSelectors(d32, cpl) {
  const r = cpl;
  if (cpl === 0) return [0x38, d32 ? 0x08 : 0x18, d32 ? 0x20 : 0x28, 0x30, 0x40, 0x48];
  return [0x38 | r, (d32 ? 0x60 : 0x68) | r, (d32 ? 0x50 : 0x58) | r, 0x30 | r, 0x40 | r, 0x48 | r];
}
/** Segment bases those selectors give (ES, CS, SS, DS, FS, GS). */
export const PM_BASES = [0x200, 0, 0, 0x100, 0x800, 0x900];
/** Some cases run with DS = the expand-down segment 98h instead (base 0, offsets 1000h-FFFFh). */
export const EXPAND_DOWN_DS = 0x98;
export const EXPAND_DOWN_BASES = [0x200, 0, 0, 0, 0x800, 0x900];

// ---- the system-table suite (generate.mjs --suite sys) ----------------------------------------

/** A gate descriptor: selector, offset, access byte (P, DPL, type). */
function gate(sel, offset, access) {
  return [
    offset & 0xff,
    (offset >>> 8) & 0xff,
    sel & 0xff,
    sel >>> 8,
    0,
    access,
    (offset >>> 16) & 0xff,
    offset >>> 24,
  ];
}
/** Where the harness copies its RAM interrupt stubs: 32-bit code, then 16-bit code. */
export const STUB32 = 0x0c00;
export const STUB16 = 0x0e00;
export const STUB_STRIDE = 16;
/** The loaded LDT and the TSS the LTR cases may load; the TSS limit leaves room for a bitmap. */
export const LDT_BASE = 0x0b00;
export const TSS2_BASE = 0x0ac0;
export const SYS_TSS_LIMIT = 0x97;
/** The LDT (selectors 04h + 8n): segments of every kind, then system descriptors. */
export const LDT = [
  desc(0x100, WIN_END - 1 - 0x100, 0xf3, 0x4), // 04 data, DPL 3 (DS's window)
  desc(0x200, WIN_END - 1 - 0x200, 0x93, 0x4), // 0C data, DPL 0 (ES's window)
  desc(0, 0xffffffff, 0xfb, 0x4), // 14 code, 32-bit, DPL 3, readable
  desc(0, 0xffffffff, 0x99, 0x4), // 1C code, execute-only, DPL 0
  desc(0, 0xffffffff, 0xbf, 0x4), // 24 conforming code, readable, DPL 1
  desc(0, 0xfff, 0xf7, 0x0), // 2C expand-down data, DPL 3
  desc(0x100, WIN_END - 1 - 0x100, 0x73, 0x4), // 34 data, not present, DPL 3
  desc(0x800, WIN_END - 1 - 0x800, 0xd1, 0x4), // 3C read-only data, DPL 2
  desc(LDT_BASE, 0x7f, 0x82, 0x0), // 44 an LDT descriptor (not allowed in an LDT)
  desc(TSS2_BASE, 0x67, 0xe9, 0x0), // 4C 32-bit TSS, available, DPL 3
  gate(0x08, 0x2000, 0xec), // 54 32-bit call gate, DPL 3
  gate(0x70, 0, 0xe5), // 5C task gate, DPL 3
  gate(0x08, 0x2000, 0xee), // 64 interrupt gate (not valid for LAR)
  desc(0, 0xffff, 0xe0, 0x0), // 6C system type 0 (reserved)
  desc(0x900, 0xffffffff, 0xf3, 0x4), // 74 data, G = 1, 4 GiB, DPL 3
  desc(TSS2_BASE, 0x2b, 0x83, 0x0), // 7C 16-bit TSS, busy, DPL 0
];
/** The GDT of the system suite: the base GDT and more system descriptors. */
export const SYS_GDT = [
  ...GDT.slice(0, 14),
  desc(TSS_BASE, SYS_TSS_LIMIT, 0x8b, 0x0), // 70 32-bit TSS, busy (LTR), I/O bitmap
  ...GDT.slice(15),
  desc(LDT_BASE, LDT.length * 8 - 1, 0x82, 0x0), // B8 the LDT, loaded
  desc(LDT_BASE, 0x7f, 0x02, 0x0), // C0 LDT, not present
  desc(TSS2_BASE, 0x67, 0x89, 0x0), // C8 32-bit TSS, available
  desc(TSS2_BASE, 0x67, 0x09, 0x0), // D0 32-bit TSS, not present
  desc(TSS2_BASE, 0x2b, 0x83, 0x0), // D8 16-bit TSS, busy
  desc(0x100, WIN_END - 1 - 0x100, 0xb3, 0x4), // E0 data, DPL 1
  desc(0, 0xffffffff, 0xdb, 0x4), // E8 code, readable, DPL 2
  desc(0, 0xffffffff, 0x1b, 0x4), // F0 code, not present, DPL 0
];
export const SYS_LDTR = 0xb8;
/** The extra IDT gates of the system suite by vector: 20h-2Fh (not present in the base
 * suite) and 31h, past the CPL-3 "done" gate 30h. */
export const GATE_FIRST = 0x20;
const s32 = (n) => STUB32 + (n - GATE_FIRST) * STUB_STRIDE;
const s16 = (n) => STUB16 + (n - GATE_FIRST) * STUB_STRIDE;
export const SYS_GATES = {
  32: gate(0x08, s32(0x20), 0xee), // 32-bit interrupt gate, DPL 3
  33: gate(0x08, s32(0x21), 0xef), // 32-bit trap gate, DPL 3
  34: gate(0x08, s32(0x22), 0x8e), // 32-bit interrupt gate, DPL 0
  35: gate(0x08, s32(0x23), 0x8f), // 32-bit trap gate, DPL 0
  36: gate(0x08, s32(0x24), 0xe6), // 16-bit interrupt gate, DPL 3
  37: gate(0x08, s32(0x25), 0xe7), // 16-bit trap gate, DPL 3
  38: gate(0x18, s16(0x26), 0xee), // 32-bit interrupt gate into 16-bit code
  39: gate(0x18, s16(0x27), 0xe7), // 16-bit trap gate into 16-bit code
  40: gate(0x08, s32(0x28), 0x6e), // not present
  41: gate(0x00, s32(0x29), 0xee), // null code selector
  42: gate(0x10, s32(0x2a), 0xee), // a data segment
  43: gate(0xf0, s32(0x2b), 0xee), // code segment not present
  44: gate(0x1f8, s32(0x2c), 0xee), // selector past the GDT limit
  45: gate(0x90, s32(0x2d), 0xee), // conforming DPL-0 code (CPL 0 only: no stack switch)
  46: gate(0x60, s32(0x2e), 0xee), // DPL-3 code (CPL 0 only: DPL > CPL)
  47: gate(0x1c, s32(0x2f), 0xee), // execute-only code in the LDT (TI = 1)
  49: gate(0x08, s32(0x31), 0xec), // a call gate: not a valid IDT type
};
/** Gates the harness leaves alone: vectors 0-1Fh (exceptions) and 30h (the CPL-3 way back). */
export const SYS_IDT_LIMIT = 0x32 * 8 - 1;
