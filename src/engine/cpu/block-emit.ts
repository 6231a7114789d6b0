// JS source for the common instruction forms of a translated block: operands, ALU, MOV, LEA, stack and near branches (Intel SDM vol. 2; flags as in flags.ts).

import { pop32Source, push32Source, read32Source, write32Source } from './block-memory';
import { type DecodedInstruction, OPK_IMM, OPK_MEM, OPK_REG } from './decoded-instruction';
import { CF, LAZY_ADD, LAZY_DEC, LAZY_INC, LAZY_LOGIC, LAZY_SUB } from './flags';

/**
 * Names the generated code may use: `s` (cpu.s), `r` (s.regs), `cpu`, `e0` (the block's EIP), `csLimit`,
 * `fa`, `fb`, `fr` (operands and result of the block's last inline flag producer) and the
 * helpers of block-compiler.ts. Every form keeps the handler's order of effects: operands
 * read, result written, flags recorded last, so a faulting write leaves the flags alone.
 */
export interface Emitted {
  /** The statements. */
  code: string;
  /** Reads and writes only registers and flags, and cannot fault. */
  pure: boolean;
}

const MASKS: Record<number, string> = { 8: '0xff', 16: '0xffff', 32: '0xffffffff' };

/** What the block knows of the lazy flags: the last inline producer's kind and size, or none. */
export interface FlagState {
  op: number;
  size: number;
}

/** The effective address of `d`'s memory operand, as operands.ts effectiveAddress computes it. */
export function eaSource(d: DecodedInstruction): string {
  const parts = [String(d.disp)];
  if (d.memBase >= 0) parts.push(`r[${d.memBase}]`);
  if (d.memBase2 >= 0) parts.push(`r[${d.memBase2}]`);
  if (d.memIndex >= 0)
    parts.push(d.memScale === 0 ? `r[${d.memIndex}]` : `r[${d.memIndex}] * ${1 << d.memScale}`);
  const sum = parts.join(' + ');
  return d.adSize === 16 ? `((${sum}) & 0xffff)` : `((${sum}) >>> 0)`;
}

/** Source reading operand `k` (register, memory at local `ea`, or immediate), as readOp does. */
function readSource(d: DecodedInstruction, k: number): string | null {
  const size = d.size[k]!;
  const reg = d.reg[k]!;
  if (d.kind[k] === OPK_IMM) return String(d.imm[k]!);
  if (d.kind[k] === OPK_MEM) {
    // A destination that is read, modified and written is read as a write (Cpu.readRmw).
    const rmw = k === 0 && d.entry?.rmw === true;
    if (size === 32) return read32Source(d.memSeg, 'ea', rmw);
    if (rmw) return `(slow = 1, cpu.readRmw(${d.memSeg}, ea, ${size}))`;
    return `(slow = 1, cpu.read${size}(${d.memSeg}, ea))`;
  }
  if (d.kind[k] !== OPK_REG) return null;
  if (size === 32) return `r[${reg}]`;
  if (size === 16) return `(r[${reg}] & 0xffff)`;
  return reg < 4 ? `(r[${reg}] & 0xff)` : `((r[${reg - 4}] >>> 8) & 0xff)`;
}

/** Statement writing `value` to operand 0 (register, or memory at local `ea`), as writeOp does. */
function writeTarget(d: DecodedInstruction, value: string): string | null {
  const size = d.size[0]!;
  if (d.kind[0] === OPK_MEM) {
    if (size === 32) return write32Source(d.memSeg, 'ea', value);
    return `slow = 1; cpu.write${size}(${d.memSeg}, ea, ${value});`;
  }
  if (d.kind[0] !== OPK_REG) return null;
  const reg = d.reg[0]!;
  if (size === 32) return `r[${reg}] = ${value};`;
  if (size === 16) return `r[${reg}] = (r[${reg}] & 0xffff0000) | (${value} & 0xffff);`;
  if (reg < 4) return `r[${reg}] = (r[${reg}] & 0xffffff00) | (${value} & 0xff);`;
  return `r[${reg - 4}] = (r[${reg - 4}] & 0xffff00ff) | ((${value} & 0xff) << 8);`;
}

/** flags.ts record() from the locals, so no number crosses a call boxed. */
function record(op: number, size: number): string {
  return `s.lazyOp = ${op}; s.lazySize = ${size}; s.lazyDst = fa; s.lazySrc = fb; s.lazyRes = fr;`;
}

/** `x` (a `size`-bit unsigned local) sign-extended to a 32-bit signed number. */
function signed(x: string, size: number): string {
  return size === 32 ? `(${x} | 0)` : `((${x} << ${32 - size}) >> ${32 - size})`;
}

/**
 * Condition code `cc` (SDM 1 B.1) as an expression: straight from the locals when the block's
 * last producer is known and the condition needs no flag it leaves unknown, else condition().
 */
export function conditionSource(cc: number, f: FlagState | null): string {
  const generic = `condition(s, ${cc})`;
  if (f === null) return generic;
  const sign = `((fr >>> ${f.size - 1}) === 1)`;
  const zero = '(fr === 0)';
  let e: string | null = null;
  const kind = cc >> 1;
  if (kind === 2) e = zero;
  else if (kind === 4) e = sign;
  else if (f.op === LAZY_SUB) {
    if (kind === 1) e = '(fa < fb)';
    else if (kind === 3) e = '(fa <= fb)';
    else if (kind === 6) e = `(${signed('fa', f.size)} < ${signed('fb', f.size)})`;
    else if (kind === 7) e = `(${signed('fa', f.size)} <= ${signed('fb', f.size)})`;
  } else if (f.op === LAZY_LOGIC) {
    if (kind === 1) e = 'false';
    else if (kind === 3) e = zero;
    else if (kind === 6) e = sign;
    else if (kind === 7) e = `(${zero} || ${sign})`;
  } else if (f.op === LAZY_ADD) {
    if (kind === 1) e = '(fr < fa)';
    else if (kind === 3) e = '(fr < fa || fr === 0)';
  }
  if (e === null) return generic;
  return (cc & 1) === 1 ? `!${e}` : e;
}

/** CF (0 or 1) as an expression, from the locals when the block's last producer is known. */
function carrySource(f: FlagState | null): string {
  if (f?.op === LAZY_SUB) return '(fa < fb ? 1 : 0)';
  if (f?.op === LAZY_LOGIC) return '0';
  if (f?.op === LAZY_ADD) return '(fr < fa ? 1 : 0)';
  // After INC or DEC, CF was folded into EFLAGS (flags.ts getCF reads it there).
  if (f?.op === LAZY_INC || f?.op === LAZY_DEC) return `(s.eflags & ${CF})`;
  // Unknown here: flags.ts getCF on the state, its SUB case (CMP before a branch) written out.
  const sub =
    '(((~s.lazyDst & s.lazySrc) | ((~s.lazyDst | s.lazySrc) & s.lazyRes)) >>> (s.lazySize - 1)) & 1';
  return `(s.lazyOp === ${LAZY_SUB} ? ${sub} : getCF(s))`;
}

/** A push of `value` with operand size `size` (stack.ts push). */
function pushSource(size: number, value: string): string {
  return size === 32 ? push32Source(value) : `slow = 1; push16(cpu, ${value});`;
}

/** A pop with operand size `size` into the declared local `target` (stack.ts pop). */
function popSource(size: number, target: string): string {
  return size === 32 ? pop32Source(target) : `slow = 1; ${target} = pop16(cpu);`;
}

/** A near jump to `target` as control.ts jumpTo does: truncated, checked against the CS limit. */
function jump(d: DecodedInstruction, target: string): string {
  const t = d.opSize === 16 ? `(${target}) & 0xffff` : `(${target}) >>> 0`;
  return `{ const j = ${t}; if (j > csLimit) throw new CpuFault(GP, 0); s.eip = j; }`;
}

/**
 * Inline source for `d`, which ends at EIP offset `end` in its block, or null to call the
 * handler. `flags` is what the block knows of the lazy flags before `d`; the caller updates
 * it with `flagsAfter`.
 */
export function emit(d: DecodedInstruction, end: number, flags: FlagState | null): Emitted | null {
  const exec = d.entry?.exec;
  const next = `e0 + ${end}`;
  const mem = d.hasMem ? `const ea = ${eaSource(d)}; ` : '';
  switch (exec) {
    case 'JCC': {
      const taken = jump(d, `e0 + ${end + d.imm[0]!}`);
      const cond = conditionSource(d.opcode & 0xf, flags);
      return { code: `if (${cond}) ${taken} else s.eip = ${next};`, pure: false };
    }
    case 'JMP_REL':
      return { code: jump(d, `e0 + ${end + d.imm[0]!}`), pure: false };
    case 'LOOP': {
      if (d.opcode !== 0xe2) return null;
      const count =
        d.adSize === 16
          ? 'const n = (r[1] - 1) & 0xffff; r[1] = (r[1] & 0xffff0000) | n;'
          : 'r[1] = r[1] - 1; const n = r[1];';
      const taken = jump(d, `e0 + ${end + d.imm[0]!}`);
      return { code: `{ ${count} if (n !== 0) ${taken} else s.eip = ${next}; }`, pure: false };
    }
    case 'CALL_REL': {
      const taken = jump(d, `e0 + ${end + d.imm[0]!}`);
      return { code: `${pushSource(d.opSize, `(${next})`)} ${taken}`, pure: false };
    }
    case 'RET': {
      const release = d.count === 1 ? `adjustSp(cpu, ${d.imm[0]!});` : '';
      const t = `let t = 0; ${popSource(d.opSize, 't')}`;
      return { code: `{ ${t} ${jump(d, 't')} ${release} }`, pure: false };
    }
    case 'POP': {
      if (d.kind[0] !== OPK_REG || d.size[0] !== d.opSize) return null;
      const v = `let v = 0; ${popSource(d.opSize, 'v')}`;
      return { code: `{ ${v} ${writeTarget(d, 'v')} }`, pure: false };
    }
    case 'PUSH': {
      const a = d.kind[0] === OPK_MEM ? null : readSource(d, 0);
      return a === null ? null : { code: pushSource(d.opSize, a), pure: false };
    }
    case 'LEA': {
      if (d.kind[0] !== OPK_REG) return null;
      return { code: `{ ${writeTarget(d, eaSource(d))} }`, pure: true };
    }
    default:
      return arithmetic(d, exec, mem, flags);
  }
}

/** MOV and the ALU group on registers, immediates and one memory operand. */
function arithmetic(
  d: DecodedInstruction,
  exec: string | undefined,
  mem: string,
  flags: FlagState | null,
): Emitted | null {
  const size = d.size[0]!;
  const mask = MASKS[size];
  const pure = !d.hasMem;
  const a = readSource(d, 0);
  if (a === null) return null;
  const wrap = (body: string | null): Emitted | null =>
    body === null ? null : { code: `{ ${mem}${body} }`, pure };
  switch (exec) {
    case 'MOV': {
      const b = readSource(d, 1);
      return b === null ? null : wrap(writeTarget(d, b));
    }
    case 'ADD':
    case 'SUB':
    case 'ADC':
    case 'SBB': {
      const b = readSource(d, 1);
      const carry = exec === 'ADC' || exec === 'SBB';
      const op = exec === 'ADD' || exec === 'ADC' ? '+' : '-';
      const w = writeTarget(d, 'fr');
      if (b === null || w === null) return null;
      const c = carry ? `const c = ${carrySource(flags)}; ` : '';
      const res = `fr = ((fa ${op} fb${carry ? ` ${op} c` : ''}) & ${mask}) >>> 0;`;
      const kind = op === '+' ? LAZY_ADD : LAZY_SUB;
      return wrap(`${c}fa = ${a}; fb = ${b}; ${res} ${w} ${record(kind, size)}`);
    }
    case 'CMP': {
      const b = readSource(d, 1);
      if (b === null) return null;
      const res = `fr = ((fa - fb) & ${mask}) >>> 0;`;
      return wrap(`fa = ${a}; fb = ${b}; ${res} ${record(LAZY_SUB, size)}`);
    }
    case 'AND':
    case 'OR':
    case 'XOR':
    case 'TEST': {
      const b = readSource(d, 1);
      const op = exec === 'OR' ? '|' : exec === 'XOR' ? '^' : '&';
      const w = exec === 'TEST' ? '' : writeTarget(d, 'fr');
      if (b === null || w === null) return null;
      const res = `fr = ((${a} ${op} ${b}) & ${mask}) >>> 0; fa = 0; fb = 0;`;
      return wrap(`${res} ${w} ${record(LAZY_LOGIC, size)}`);
    }
    case 'INC':
    case 'DEC': {
      const inc = exec === 'INC';
      const w = writeTarget(d, 'fr');
      if (w === null) return null;
      const res = `fr = ((fa ${inc ? '+' : '-'} 1) & ${mask}) >>> 0;`;
      // flags.ts inc/dec: CF is folded into EFLAGS first, from the previous lazy state.
      const c = `const c = ${carrySource(flags)};`;
      const cf = `s.eflags = (s.eflags & ${~CF}) | c;`;
      const rec = record(inc ? LAZY_INC : LAZY_DEC, size);
      return wrap(`${c} fa = ${a}; fb = 1; ${res} ${w} ${cf} ${rec}`);
    }
    default:
      return null;
  }
}

/** What the block knows of the flags after `d` ran inline (`inlined`) or through its handler. */
export function flagsAfter(
  d: DecodedInstruction,
  inlined: boolean,
  before: FlagState | null,
): FlagState | null {
  if (!inlined) return null;
  const size = d.size[0]!;
  switch (d.entry?.exec) {
    case 'ADD':
      return { op: LAZY_ADD, size };
    case 'SUB':
    case 'CMP':
      return { op: LAZY_SUB, size };
    case 'AND':
    case 'OR':
    case 'XOR':
    case 'TEST':
      return { op: LAZY_LOGIC, size };
    case 'INC':
      return { op: LAZY_INC, size };
    case 'DEC':
      return { op: LAZY_DEC, size };
    case 'ADC':
    case 'SBB':
      return null; // the carry-in makes fr < fa an unreliable CF
    default:
      return before; // MOV, LEA, PUSH, POP and branches leave the flags alone
  }
}
