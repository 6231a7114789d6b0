// ndisasm's text for a decoded instruction: names, size keywords, prefixes (NASM's disasm.c conventions, observed).

import type { DisasmInstruction, DisasmOperand, DisasmSyntax } from './disassembler';
import { describeType } from './operand-types';

/** Condition-code names as ndisasm prints them, by the opcode's low four bits. */
const CC = [
  'o',
  'no',
  'c',
  'nc',
  'z',
  'nz',
  'na',
  'a',
  's',
  'ns',
  'pe',
  'po',
  'l',
  'nl',
  'ng',
  'g',
];
const CC_EXEC = new Set(['JCC', 'SETCC', 'CMOVCC']);
const SIZE_WORD: Record<number, string> = { 8: 'byte', 16: 'word', 32: 'dword', 64: 'qword' };
/** Memory operands of these are printed without a size keyword. */
const NO_SIZE = new Set(['sldt', 'str', 'lldt', 'ltr', 'verr', 'verw', 'smsw', 'lmsw']);
/** Immediates of these carry a size keyword. */
const SIZED_IMM = new Set(['imul', 'push']);

/** Instructions ndisasm names after BITS, with a d or w suffix only when 66 changes the size. */
const FOLLOW_BITS: Record<string, string> = {
  iret: 'iret',
  iretd: 'iret',
  pushf: 'pushf',
  pushfd: 'pushf',
  popf: 'popf',
  popfd: 'popf',
  pusha: 'pusha',
  pushad: 'pusha',
  popa: 'popa',
  popad: 'popa',
};

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

function mnemonicOf(ins: DisasmInstruction, bits: number): string {
  const e = ins.entry;
  if (CC_EXEC.has(e.exec)) {
    const prefix = e.exec === 'JCC' ? 'j' : e.exec === 'SETCC' ? 'set' : 'cmov';
    return prefix + CC[e.opcode & 0xf];
  }
  if (e.mnemonic === 'jcxz' && ins.asize === 32) return 'jecxz';
  if ((e.mnemonic === 'ret' || e.mnemonic === 'retf') && ins.prefixes.includes(0x66))
    return `${e.mnemonic}${ins.opsize === 32 ? 'd' : 'w'}`;
  const base = FOLLOW_BITS[e.mnemonic];
  if (base) return ins.opsize === bits ? base : `${base}${ins.opsize === 32 ? 'd' : 'w'}`;
  if (e.mnemonic === 'loopnz') return 'loopne';
  if (e.mnemonic === 'loopz') return 'loope';
  if (e.mnemonic === 'nop' && ins.prefixes.includes(0x66)) return 'xchg';
  return e.mnemonic;
}

/** Formats one decoded instruction as ndisasm would. */
export function formatInstruction(
  ins: DisasmInstruction,
  bits: number,
  syntax: DisasmSyntax = 'ndisasm',
): string {
  const e = ins.entry;
  const name = mnemonicOf(ins, bits);
  const types = e.operands.map((t) => describeType(t));
  const revealing = types.some(
    (t, i) =>
      ('GZSCDT'.includes(t.method) && t.method !== '' && ins.operands[i]?.kind === 'reg') ||
      (t.fixed &&
        t.fixed.cls !== 'sreg' &&
        !(t.fixed.cls === 'r8' && t.fixed.num === 1) &&
        !(t.fixed.cls === 'r16' && t.fixed.num === 2)),
  );
  let sizeShown = e.osize !== undefined || /^ret/.test(name);
  if (name === 'xchg' && e.mnemonic === 'nop') {
    const r = ins.opsize === 32 ? 'eax' : 'ax';
    return `xchg ${r},${r}`;
  }
  const texts = ins.operands.map((o, i) => {
    const t = types[i]!;
    const text = operandText(o, ins, bits, name, revealing, e.opcode, syntax);
    if (o.kind === 'reg' && (t.size === 'v' || t.size === 'z' || t.fixed?.cls === 'acc' || o.sized))
      sizeShown = true;
    if (o.kind === 'reg' && t.method === 'E' && (t.size === 'v' || t.size === 'z'))
      sizeShown = true;
    if (text.startsWith('word') || text.startsWith('dword')) sizeShown = true;
    if (o.kind === 'far' && text.startsWith('d')) sizeShown = true;
    return text;
  });
  const pre: string[] = [];
  const p = ins.prefixes;
  if (p.includes(0xf0)) pre.push('lock');
  const rep = p.filter((x) => x === 0xf2 || x === 0xf3).pop();
  if (rep === 0xf2) pre.push('repne');
  else if (rep === 0xf3) pre.push(/^(cmps|scas)/.test(name) ? 'repe' : 'rep');
  const seg = p.filter((x) => [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65].includes(x)).pop();
  if (seg !== undefined && !ins.segUsed)
    pre.push({ 38: 'es', 46: 'cs', 54: 'ss', 62: 'ds', 100: 'fs', 101: 'gs' }[seg]!);
  if (p.includes(0x66) && !sizeShown) pre.push(ins.opsize === 32 ? 'o32' : 'o16');
  const hasMem = ins.operands.some((o) => o.kind === 'mem');
  if (p.includes(0x67) && !hasMem && name !== 'jecxz' && name !== 'jcxz')
    pre.push(ins.asize === 32 ? 'a32' : 'a16');
  // ndisasm names the register first in xchg r, r/m.
  if (name === 'xchg' && ins.operands[0]?.kind === 'mem') texts.reverse();
  const body = texts.length ? `${name} ${texts.join(',')}` : name;
  return pre.length ? `${pre.join(' ')} ${body}` : body;
}

function operandText(
  o: DisasmOperand,
  ins: DisasmInstruction,
  bits: number,
  name: string,
  revealing: boolean,
  opcode: number,
  syntax: DisasmSyntax,
): string {
  switch (o.kind) {
    case 'reg':
      return o.name;

    case 'one':
      return '1';
    case 'far':
      return `${ins.opsize !== bits ? `${SIZE_WORD[ins.opsize]} ` : ''}${hex(o.seg)}:${hex(o.off)}`;
    case 'rel': {
      // nasm takes the near form for a jump to a plain address, so its syntax says SHORT
      // wherever a near form exists (LOOP and JCXZ have none).
      const hasNear = name.startsWith('j') && name !== 'jcxz' && name !== 'jecxz';
      if (o.short)
        return name === 'jmp' || (syntax === 'nasm' && hasNear)
          ? `short ${hex(o.target)}`
          : hex(o.target);
      const sized = ins.opsize !== bits ? `${SIZE_WORD[ins.opsize]} ` : '';
      if (name === 'jmp' && syntax === 'nasm') return `near ${sized}${hex(o.target)}`;
      if (name === 'jmp' || name === 'call') return `${sized}${hex(o.target)}`;
      return `near ${sized}${hex(o.target)}`;
    }
    case 'imm': {
      if (o.signed) {
        const v = o.value;
        return `byte ${v < 0 ? '-' : '+'}${hex(Math.abs(v))}`;
      }
      const group = opcode === 0xc0 || opcode === 0xc1 || opcode === 0x1ba;
      if (group && o.size === 8) return `byte ${hex(o.value)}`;
      if (SIZED_IMM.has(name) && o.size >= 16) return `${SIZE_WORD[o.size]} ${hex(o.value)}`;
      return hex(o.value);
    }
    case 'mem': {
      const inner = `[${o.seg ? `${o.seg}:` : ''}${o.ea}]`;
      let size = '';
      if (name === 'jmp' || name === 'call') {
        if (ins.opsize !== bits) size = `${SIZE_WORD[ins.opsize]} `;
        return `${size}${o.far ? 'far ' : ''}${inner}`;
      }
      if (name === 'cmpxchg8b') return `qword ${inner}`;
      if (name === 'movzx' || name === 'movsx') {
        const dest = ins.opsize;
        return dest === 16 && o.size === 8 ? inner : `${SIZE_WORD[o.size]} ${inner}`;
      }
      if (o.size === 0 || revealing || NO_SIZE.has(name) || name.startsWith('set')) return inner;
      return `${SIZE_WORD[o.size]} ${inner}`;
    }
  }
}
