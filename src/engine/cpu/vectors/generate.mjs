#!/usr/bin/env node
// Makes random single-instruction CPU test cases, runs them in harness.asm (real mode) or harness-pm.asm (protected mode) under Bochs or QEMU and writes the vectors as JSON (see README.md).
//
// usage: node generate.mjs [--mode real|pm] [--suite base|sys|user] [--emulator bochs|qemu] [--seed N]
//        [--per-form N] [--out DIR]

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hex, runRom } from './gen-emulator.mjs';
import './gen-forms-integer.mjs';
import './gen-forms-data.mjs';
import { ctx, forms, SP0 } from './gen-operands.mjs';
import {
  EXPAND_DOWN_BASES,
  EXPAND_DOWN_DS,
  GATE_FIRST,
  GDT,
  GDT_BASE,
  HSTACK,
  IDT_BASE,
  IDT_LIMIT,
  LDT,
  LDT_BASE,
  PAGE_DIRECTORY,
  PAGE_TABLE,
  PM_BASES,
  STUB_STRIDE,
  STUB16,
  STUB32,
  SYS_GATES,
  SYS_GDT,
  SYS_IDT_LIMIT,
  SYS_LDTR,
  SYS_TSS_LIMIT,
  startSelectors,
  TSS_BASE,
} from './gen-pm-layout.mjs';
import { dword, pick, reseed, rnd, word } from './gen-random.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const MODE = opt('mode', 'real');
const EMULATOR = opt('emulator', 'bochs');
const SEED = Number(opt('seed', '486'));
const PER_FORM = Number(opt('per-form', '12'));
const OUT = opt('out', HERE);
const PM = MODE === 'pm';
// The system-table suite (protected mode): I/O bitmap, IDT gates, LDT, table registers.
const SUITE = PM ? opt('suite', 'base') : 'base';
const SYS = SUITE === 'sys';
// The user suite keeps the integer and data forms. Protected-mode QEMU recordings leave out
// what QEMU's TCG does not check: segment limits and types (no limit probes, no expand-down or
// null data segments, no CS overrides) and the #PF details where vmlab follows Bochs (no paging).
const USER = SUITE === 'user';
const PLAIN = USER || (PM && EMULATOR === 'qemu');
ctx.noLimits = PLAIN;
/** Prefix bytes an instruction starts with. */
const PREFIXES = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3];
const prefixes = (code) =>
  code.slice(
    0,
    code.findIndex((b) => !PREFIXES.includes(b)),
  );
const gdt = SYS ? SYS_GDT : GDT;

reseed(SEED);
if (PM) {
  ctx.pm = true;
  ctx.base = PM_BASES;
  if (SYS) {
    forms.length = 0; // the integer forms are the base suite's
    await import('./gen-forms-tables.mjs');
  } else if (SUITE !== 'user') {
    // The user suite keeps the integer and data forms only (the QEMU recording).
    await import('./gen-forms-system.mjs');
    await import('./gen-forms-control.mjs');
  }
}

// ---- the cases ------------------------------------------------------------------------------

const cases = [];
for (const f of forms) {
  for (const size of f.sizes) {
    let made = 0;
    for (let tries = 0; made < PER_FORM && tries < PER_FORM * 4; tries++) {
      if (PM) {
        // Alternate 16- and 32-bit code segments, and CPL 0 and 3 in pairs.
        ctx.d32 = (tries & 1) === 1;
        ctx.cpl = (tries & 2) !== 0 ? 3 : 0;
        ctx.ssBig = ctx.d32;
        ctx.expandDown = !PLAIN && rnd() < 0.08;
        ctx.base = ctx.expandDown ? EXPAND_DOWN_BASES : PM_BASES;
      }
      const c = f.make(size);
      if (!c) continue;
      if (c.code.length > 15) continue;
      // In protected mode ESP stays at the top of the stack window: the exception frames of
      // CPL-0 cases go there, and past the stack limit they would escalate to a triple fault.
      if (PM && c.regs[4] !== SP0) continue;
      if (PLAIN && prefixes(c.code).includes(0x2e)) continue;
      c.form = f.name + (f.sizes.length > 1 ? `/${size}` : '');
      if (c.zeroMem) c.win.fill(0, 0, 16);
      if (PM) {
        c.d32 = ctx.d32;
        c.cpl = ctx.cpl;
        c.sels = startSelectors(ctx.d32, ctx.cpl);
        if (ctx.expandDown) c.sels[3] = EXPAND_DOWN_DS | ctx.cpl;
        for (const [i, sel] of Object.entries(c.dataSels ?? {})) c.sels[i] = sel;
        // Now and then a null data segment register: any use of it is #GP(0). (Selector 0:
        // the harness's IRET to CPL 3 would clear one with RPL 3 anyway, SDM 2A "IRET".)
        if (!PLAIN && rnd() < 0.04) c.sels[pick([0, 3, 4, 5])] = 0;
        // Some cases run with paging, the window's page present or not, read-only or not,
        // supervisor or user, accessed and dirty or not, and CR0.WP on or off.
        if (!PLAIN && c.pte === undefined && rnd() < 0.15) {
          const bit = (p, v) => (rnd() < p ? v : 0);
          const flags = () =>
            bit(0.8, 1) | bit(0.5, 2) | bit(0.5, 4) | bit(0.5, 0x20) | bit(0.5, 0x40);
          c.pte = flags();
          c.wp = rnd() < 0.5;
          // The stack's lower page too, at CPL 3 only: a CPL-0 exception frame goes there.
          c.pteStack = ctx.cpl === 3 && rnd() < 0.5 ? flags() : 0x67;
        }
      }
      cases.push(c);
      made++;
    }
  }
}

// ---- records for the harness and its output --------------------------------------------------

const pad = (c) => [c.code.length, ...c.code, ...Array(15 - c.code.length).fill(0x90)];
const realRecord = (c) => [
  ...pad(c),
  ...c.regs.flatMap(dword),
  ...dword(c.eflags),
  ...c.win,
  ...c.stk,
];
const pmRecord = (c) => [
  ...pad(c),
  ...c.regs.flatMap(dword),
  ...dword(c.eflags),
  ...c.sels.flatMap(word),
  (c.d32 ? 1 : 0) |
    (c.cpl === 3 ? 2 : 0) |
    (c.pte !== undefined ? 4 : 0) |
    (c.wp ? 8 : 0) |
    (c.landing ? 0x10 : 0),
  c.pte ?? 0,
  c.pteStack ?? 0x67,
  0,
  ...c.win,
  ...c.stk,
  ...(SYS ? [...word(c.ioBase ?? 0x68), 0, 0, ...(c.tssMap ?? Array(48).fill(0xff))] : []),
];

/** Real mode: "V" regs EFLAGS, selectors ES DS FS GS SS and the vector as one token, windows. */
function parseReal(line) {
  const p = line.trim().split(/\s+/);
  const tail = p[10];
  const vec = Number.parseInt(tail.slice(20, 22), 16);
  return {
    regs: p.slice(1, 9).map((h) => Number.parseInt(h, 16)),
    eflags: Number.parseInt(p[9], 16),
    sregs: [0, 1, 2, 3, 4].map((i) => Number.parseInt(tail.slice(i * 4, i * 4 + 4), 16)),
    vector: vec === 0xff ? -1 : vec,
    win: p[11].toLowerCase(),
    stk: p[12].toLowerCase(),
  };
}

/** Protected mode: "V" regs EFLAGS ES CS SS DS FS GS vector error EIP CR2 PTEs windows. */
function parsePm(line) {
  const p = line.trim().split(/\s+/);
  const n = p.map((h) => Number.parseInt(h, 16));
  const vec = n[16];
  const r = {
    regs: n.slice(1, 9),
    eflags: n[9],
    sregs: n.slice(10, 16),
    vector: vec === 0xff ? -1 : vec,
    win: p[22].toLowerCase(),
    stk: p[23].toLowerCase(),
  };
  if (r.vector >= 0) Object.assign(r, { error: n[17], eip: n[18] });
  if (n[20] !== 0) Object.assign(r, { cr2: n[19], pte: n[20], pteStack: n[21] });
  if (SYS) {
    const [gl, gb, il, ib, ldtr, tr, trAccess, hflags] = n.slice(24, 32);
    r.sys = { gdtr: [gl, gb], idtr: [il, ib], ldtr, tr, trAccess, hflags };
  }
  return r;
}

// ---- running and writing ----------------------------------------------------------------------

/** The GDT as the harness assembles it: the TSS is still available until its LTR. */
function gdtInclude() {
  const rows = gdt.map((d, i) => (i === 14 ? d.map((b, k) => (k === 5 ? 0x89 : b)) : d));
  return `gdt_rom:\n${rows.map((d) => `    db ${d.join(',')}`).join('\n')}\ngdt_end:\n`;
}

/** The system suite's LDT and extra IDT gates (20h-2Fh, 31h) for harness-pm.asm. */
function sysInclude() {
  const gates = [...Array(16).keys()].map((i) => SYS_GATES[GATE_FIRST + i]);
  gates.push(SYS_GATES[0x31]);
  const rows = (a) => a.map((d) => `    db ${d.join(',')}`).join('\n');
  return `ldt_rom:\n${rows(LDT)}\nldt_end:\nsys_gates:\n${rows(gates)}\n`;
}

const perRom = SYS ? 240 : PM ? 360 : 400;
const dir = mkdtempSync(join(tmpdir(), 'vmlab-vectors-'));
const out = [];
for (let i = 0; i < cases.length; i += perRom) {
  const batch = cases.slice(i, i + perRom);
  const lines = [
    'cases:',
    ...batch.map((c) => `    db ${(PM ? pmRecord : realRecord)(c).join(',')}`),
  ];
  const includes = { 'cases.inc': `${lines.join('\n')}\n` };
  if (PM) includes['gdt.inc'] = gdtInclude();
  includes['suite.inc'] = SYS ? '%define SYS\n' : '';
  if (SYS) includes['sys.inc'] = sysInclude();
  const harness = join(HERE, PM ? 'harness-pm.asm' : 'harness.asm');
  const results = runRom(dir, harness, includes, batch.length, EMULATOR);
  batch.forEach((c, k) => {
    const r = (PM ? parsePm : parseReal)(results[k]);
    const v = { form: c.form, code: hex(c.code) };
    if (PM) Object.assign(v, { d32: c.d32, cpl: c.cpl, sregs: c.sels });
    if (c.landing) v.landing = true;
    if (c.pte !== undefined) v.paging = { pte: c.pte, pteStack: c.pteStack, wp: c.wp };
    if (SYS) v.io = { base: c.ioBase ?? 0x68, map: hex(c.tssMap ?? Array(48).fill(0xff)) };
    Object.assign(v, {
      regs: c.regs,
      eflags: c.eflags,
      win: hex(c.win),
      stk: hex(c.stk),
      undef: c.undef,
    });
    const { win, stk, ...rest } = r;
    v.out = rest;
    if (win !== v.win) v.out.win = win;
    if (stk !== v.stk) v.out.stk = stk;
    out.push(v);
  });
  process.stderr.write(`${Math.min(i + perRom, cases.length)} / ${cases.length}\n`);
}
mkdirSync(OUT, { recursive: true });
const version =
  EMULATOR === 'bochs' ? 'Bochs 2.7 (Debian bochs 2.7)' : 'QEMU (Debian qemu-system-x86)';
const head = { emulator: version, seed: SEED, perForm: PER_FORM };
if (PM) {
  head.mode = 'protected';
  head.layout = {
    gdtBase: GDT_BASE,
    gdt: hex(gdt.flat()),
    idtBase: IDT_BASE,
    idtLimit: SYS ? SYS_IDT_LIMIT : IDT_LIMIT,
    tssBase: TSS_BASE,
    tr: 0x70,
    ring0Stack: HSTACK,
    pageDirectory: PAGE_DIRECTORY,
    pageTable: PAGE_TABLE,
  };
  if (SYS) {
    head.layout.sys = {
      tssLimit: SYS_TSS_LIMIT,
      ldt: { base: LDT_BASE, bytes: hex(LDT.flat()), selector: SYS_LDTR },
      gates: Object.fromEntries(Object.entries(SYS_GATES).map(([n, g]) => [n, hex(g)])),
      stubs: { stub32: STUB32, stub16: STUB16, stride: STUB_STRIDE, first: GATE_FIRST },
    };
  }
}
// Biome checks files up to 1 MiB, and formatted JSON is about 1.3 times as large.
const MAX_BYTES = PM ? 650 * 1024 : Number.POSITIVE_INFINITY;
const PER_FILE = PM ? Number.POSITIVE_INFINITY : 1500; // real mode: as the committed files
const prefix = PM ? (SUITE === 'base' ? 'protected' : `protected-${SUITE}`) : 'integer';
let part = 0;
for (let at = 0; at < out.length; ) {
  const rows = [];
  let size = 0;
  while (at < out.length && size < MAX_BYTES && rows.length < PER_FILE) {
    const row = JSON.stringify(out[at++]);
    rows.push(row);
    size += row.length + 2;
  }
  const file = join(OUT, `${prefix}-${EMULATOR}-${++part}.json`);
  const h = JSON.stringify(head);
  writeFileSync(file, `${h.slice(0, -1)},"cases":[\n${rows.join(',\n')}\n]}\n`);
  process.stderr.write(`wrote ${rows.length} vectors to ${file}\n`);
}
