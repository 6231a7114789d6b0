// The fast tier's translation of hot basic blocks to JS functions (DESIGN.md 2.1 "Speed").

import type { Cpu, Handler } from './cpu';
import { type DecodedInstruction, OPK_IMM, OPK_MEM, OPK_REG } from './decoded-instruction';
import { CpuFault, Vector } from './faults';
import { CF, condition, getCF, LAZY_ADD, LAZY_DEC, LAZY_INC, LAZY_LOGIC, LAZY_SUB } from './flags';
import { lockViolation } from './opcode-validity';
import { effectiveAddress } from './operands';
import { adjustSp, pop, push } from './stack';

/**
 * A translated block: runs at most `limit` instructions from EIP `e0` (the block, again while it
 * loops to its own start) and returns how many retired; stops after one that wrote the block's
 * frame (generation `gen` moved) or touched MMIO. On a fault it stores the faulting
 * instruction's position in cpu.blockFault and the count retired before it in
 * cpu.blockRetired, and rethrows, so the caller delivers it as step() would.
 */
export type BlockFn = (cpu: Cpu, e0: number, limit: number, gen: number, mmio: number) => number;

/**
 * Translates `insns` (laid out from EIP offset 0 in physical frame `frame`) to one function:
 * common register, immediate and memory forms inline (see `inline`), every other instruction a
 * call site naming its one handler, so V8 can inline it. The bookkeeping is step()'s: LOCK
 * checked, EIP set past the instruction before its body, effective address computed, icount
 * counted after it retires.
 */
export function compileBlock(insns: readonly DecodedInstruction[], frame: number): BlockFn {
  const names: string[] = [];
  const values: unknown[] = [];
  const lines: string[] = [];
  let offset = 0;
  const n = insns.length;
  // Register-only arithmetic cannot fault nor be observed before the block ends, so its EIP
  // and icount updates are deferred: `pending` of them are stored before anything else runs.
  let pending = 0;
  const flush = (eip: number) =>
    pending > 0 ? `s.icount += ${pending}; s.eip = e0 + ${eip};` : '';
  insns.forEach((d, i) => {
    names.push(`H${i}`, `D${i}`);
    values.push(d.handler as Handler, d);
    const start = offset;
    offset += d.length;
    if (i > 0) lines.push(`if (limit <= base + ${i}) { ${flush(start)} return base + ${i}; }`);
    const code = inline(d, i);
    const exec = d.entry?.exec ?? '';
    if (code !== null && PURE_EXECS.has(exec) && !d.hasMem && !d.lock) {
      lines.push(code);
      pending++;
      return;
    }
    if (pending > 0) lines.push(`s.icount += ${pending};`);
    pending = 0;
    lines.push(`i = ${i};`);
    if (d.lock) lines.push(`if (lockViolation(D${i})) throw new CpuFault(UD);`);
    lines.push(`s.eip = e0 + ${offset};`);
    if (d.hasMem) lines.push(`cpu.ea = effectiveAddress(s, D${i});`);
    lines.push(code ?? `H${i}(cpu, D${i});`, 's.icount++;');
    // A handler may write memory without a ModRM operand (PUSH, CALL): check after each.
    if (d.hasMem || code === null || STACK_EXECS.has(exec)) {
      lines.push(
        `if (mem.frameGen[${frame}] !== gen || mem.mmioAccesses !== mmio) return base + ${i + 1};`,
      );
    }
  });
  lines.push(flush(offset));
  // A block that jumps back to its own start (a loop) goes round again here: nothing in a block
  // can raise an event, change IF, TF or the mapping of its code, and `limit` bounds the count.
  lines.push(`base += ${n};`, 'if (s.eip !== e0 || base >= limit) return base;');
  const body = `return function block(cpu, e0, limit, gen, mmio) {
  const s = cpu.s;
  const mem = cpu.mem;
  let base = 0;
  let i = 0;
  try {
    for (;;) {
      ${lines.join('\n      ')}
    }
  } catch (e) {
    cpu.blockFault = i;
    cpu.blockRetired = base + i;
    throw e;
  }
};`;
  // Translation to JS is the point of this tier; the source holds only numbers and names.
  const factory = new Function(...names, ...Object.keys(HELPERS), body);
  return factory(...values, ...Object.values(HELPERS)) as BlockFn;
}

/** What translated code may call besides the handlers. */
const HELPERS = {
  CpuFault,
  UD: Vector.UD,
  GP: Vector.GP,
  lockViolation,
  effectiveAddress,
  getCF,
  condition,
  push,
  pop,
  adjustSp,
};

/** Inline forms that, on registers and immediates, neither fault nor read EIP or icount. */
const PURE_EXECS = new Set([
  'MOV',
  'ADD',
  'SUB',
  'ADC',
  'SBB',
  'CMP',
  'AND',
  'OR',
  'XOR',
  'TEST',
  'INC',
  'DEC',
]);

/** Inline forms that reach memory without a ModRM operand: the stack ones. */
const STACK_EXECS = new Set(['PUSH', 'POP', 'CALL_REL', 'RET']);

const MASKS: Record<number, string> = { 8: '0xff', 16: '0xffff', 32: '0xffffffff' };

/** flags.ts record() inline: the lazy-flags fields, so no number crosses a call boxed. */
function record(op: number, size: number, dst: string, src: string, res: string): string {
  return `s.lazyOp = ${op}; s.lazySize = ${size}; s.lazyDst = ${dst}; s.lazySrc = ${src}; s.lazyRes = ${res};`;
}

/** Source reading operand `k` of `d` (register, memory or immediate), as operands.ts readOp does. */
function readSource(d: DecodedInstruction, k: number): string | null {
  const size = d.size[k]!;
  const r = d.reg[k]!;
  if (d.kind[k] === OPK_IMM) return String(d.imm[k]!);
  if (d.kind[k] === OPK_MEM) return `cpu.read${size}(${d.memSeg}, cpu.ea)`;
  if (d.kind[k] !== OPK_REG) return null;
  if (size === 32) return `s.regs[${r}]`;
  if (size === 16) return `(s.regs[${r}] & 0xffff)`;
  return r < 4 ? `(s.regs[${r}] & 0xff)` : `((s.regs[${r - 4}] >>> 8) & 0xff)`;
}

/** Source writing `value` to operand 0 of `d` (register or memory), as operands.ts writeOp does. */
function writeTarget(d: DecodedInstruction, value: string): string | null {
  const size = d.size[0]!;
  if (d.kind[0] === OPK_MEM) return `cpu.write${size}(${d.memSeg}, cpu.ea, ${value});`;
  if (d.kind[0] !== OPK_REG) return null;
  const r = d.reg[0]!;
  if (size === 32) return `s.regs[${r}] = ${value};`;
  if (size === 16) return `s.regs[${r}] = (s.regs[${r}] & 0xffff0000) | (${value} & 0xffff);`;
  if (r < 4) return `s.regs[${r}] = (s.regs[${r}] & 0xffffff00) | (${value} & 0xff);`;
  return `s.regs[${r - 4}] = (s.regs[${r - 4}] & 0xffff00ff) | ((${value} & 0xff) << 8);`;
}

/** A near jump to `target` as control.ts jumpTo does: truncated, checked against the CS limit. */
function jump(d: DecodedInstruction, target: string): string {
  const t = d.opSize === 16 ? `(${target}) & 0xffff` : `(${target}) >>> 0`;
  return `{ const j = ${t}; if (j > s.segLimit[1]) throw new CpuFault(GP, 0); s.eip = j; }`;
}

/**
 * The body of `d` as inline source for the common register and immediate forms of the
 * arithmetic, logic, MOV, Jcc, JMP and LOOP handlers (same order of effects, same flag
 * recording), or null to call the handler.
 */
function inline(d: DecodedInstruction, _i: number): string | null {
  const exec = d.entry?.exec;
  if (exec === 'JCC')
    return `if (condition(s, ${d.opcode & 0xf})) ${jump(d, `s.eip + ${d.imm[0]}`)}`;
  if (exec === 'JMP_REL') return jump(d, `s.eip + ${d.imm[0]}`);
  if (exec === 'LOOP' && d.opcode === 0xe2) {
    const dec16 =
      '{ const cx = (s.regs[1] - 1) & 0xffff; s.regs[1] = (s.regs[1] & 0xffff0000) | cx; n = cx; }';
    const count = d.adSize === 16 ? dec16 : '{ s.regs[1] = s.regs[1] - 1; n = s.regs[1]; }';
    return `{ let n; ${count} if (n !== 0) ${jump(d, `s.eip + ${d.imm[0]}`)} }`;
  }
  if (exec === 'CALL_REL') {
    return `{ const t = s.eip + ${d.imm[0]}; push(cpu, ${d.opSize}, s.eip); ${jump(d, 't')} }`;
  }
  if (exec === 'RET') {
    const release = d.count === 1 ? `adjustSp(cpu, ${d.imm[0]});` : '';
    return `{ const t = pop(cpu, ${d.opSize}); ${jump(d, 't')} ${release} }`;
  }
  if (exec === 'POP') {
    return d.kind[0] === OPK_REG
      ? `{ const v = pop(cpu, ${d.opSize}); ${writeTarget(d, 'v')} }`
      : null;
  }
  const size = d.size[0]!;
  const a = readSource(d, 0);
  if (a === null) return null;
  if (exec === 'PUSH') return `push(cpu, ${d.opSize}, ${a});`;
  const mask = MASKS[size];
  switch (exec) {
    case 'MOV': {
      const b = readSource(d, 1);
      return b === null ? null : writeTarget(d, b);
    }
    case 'ADD':
    case 'SUB':
    case 'ADC':
    case 'SBB': {
      const b = readSource(d, 1);
      const carry = exec === 'ADC' || exec === 'SBB';
      const sign = exec === 'ADD' || exec === 'ADC' ? '+' : '-';
      const flags = sign === '+' ? 'add' : 'sub';
      const w = writeTarget(d, `(((a ${sign} b ${carry ? `${sign} c` : ''}) & ${mask}) >>> 0)`);
      if (b === null || w === null) return null;
      const c = carry ? 'const c = getCF(s); ' : '';
      // flags.ts add/sub: the result truncated again, then recorded.
      const res = `const res = ((a ${sign} b ${carry ? `${sign} c` : ''}) & ${mask}) >>> 0;`;
      const op = flags === 'add' ? LAZY_ADD : LAZY_SUB;
      return `{ ${c}const a = ${a}; const b = ${b}; ${w} ${res} ${record(op, size, 'a', 'b', 'res')} }`;
    }
    case 'CMP': {
      const b = readSource(d, 1);
      if (b === null) return null;
      const res = `((a - b) & ${mask}) >>> 0`;
      return `{ const a = ${a}; const b = ${b}; ${record(LAZY_SUB, size, 'a', 'b', res)} }`;
    }
    case 'AND':
    case 'OR':
    case 'XOR': {
      const b = readSource(d, 1);
      const op = exec === 'AND' ? '&' : exec === 'OR' ? '|' : '^';
      const w = writeTarget(d, 'r');
      if (b === null || w === null) return null;
      const rec = record(LAZY_LOGIC, size, '0', '0', `(r & ${mask}) >>> 0`);
      return `{ const r = (${a} ${op} ${b}) >>> 0; ${w} ${rec} }`;
    }
    case 'TEST': {
      const b = readSource(d, 1);
      if (b === null) return null;
      const rec = record(LAZY_LOGIC, size, '0', '0', `(r & ${mask}) >>> 0`);
      return `{ const r = ${a} & ${b}; ${rec} }`;
    }
    case 'INC':
    case 'DEC': {
      const w = writeTarget(d, `(((a ${exec === 'INC' ? '+' : '-'} 1) & ${mask}) >>> 0)`);
      if (w === null) return null;
      const inc = exec === 'INC';
      const res = `((a ${inc ? '+' : '-'} 1) & ${mask}) >>> 0`;
      // flags.ts inc/dec: CF is folded into EFLAGS first, from the previous lazy state.
      const cf = `s.eflags = (s.eflags & ${~CF}) | getCF(s);`;
      return `{ const a = ${a}; ${w} ${cf} ${record(inc ? LAZY_INC : LAZY_DEC, size, 'a', '1', res)} }`;
    }
    default:
      return null;
  }
}
