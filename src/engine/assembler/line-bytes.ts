// Bytes of one source line: instructions through the encoder, data and layout directives (NASM manual 3.2, 7.1).

import { type AddressField, encode } from './encoder';
import { AsmError, type EvalContext } from './expression';
import {
  addressOf,
  evalOperand,
  evalScalar,
  evalValue,
  type Operand,
  type Unknowns,
} from './operands';
import type { ParsedLine, ReportSpan, Span } from './syntax';

/** Largest binary the assembler produces, so that no input can exhaust memory. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** What a line's bytes depend on besides the line itself. */
export interface LineContext {
  bits: 16 | 32;
  /** The current section is nobits (.bss): reservations emit nothing and need no warning. */
  nobits: boolean;
  /** Name of the current section, for messages. */
  section: string;
  readFile?: (name: string) => Uint8Array | string | undefined;
  /** Raises the current section's alignment (ALIGN does this in NASM 2.15+). */
  sectAlign(n: number): void;
  /** Set by lineBytes to the line's address fields, for the listing (undefined: none). */
  fields?: AddressField[] | undefined;
}

const SIZE_PREFIX: Record<string, ['o' | 'a', number]> = {
  o16: ['o', 16],
  o32: ['o', 32],
  a16: ['a', 16],
  a32: ['a', 32],
};

const PREFIX_BYTES: Record<string, number> = {
  rep: 0xf3,
  repe: 0xf3,
  repz: 0xf3,
  repne: 0xf2,
  repnz: 0xf2,
  lock: 0xf0,
  es: 0x26,
  cs: 0x2e,
  ss: 0x36,
  ds: 0x3e,
  fs: 0x64,
  gs: 0x65,
};

/** The "not defined" error for the first undefined symbol, or `message` at `fallback`. */
export function undefinedError(unknowns: Unknowns, fallback: Span, message: string): AsmError {
  const u = unknowns.firstUndefined;
  if (u) return new AsmError(`symbol \`${u.name}' not defined`, u.col, u.endCol);
  return new AsmError(message, fallback.col, fallback.endCol);
}

function nobitsWarning(
  span: Span,
  report: (m: string, s: Span, sev?: 'error' | 'warning') => void,
) {
  report('attempt to initialize memory in a nobits section: ignored', span, 'warning');
}

/** UTF-8 bytes of a string. */
function utf8Bytes(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000)
      out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
      out.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 0x3f),
        0x80 | ((cp >> 6) & 0x3f),
        0x80 | (cp & 0x3f),
      );
  }
  return Uint8Array.from(out);
}

/** Bytes of one repetition of a line's body; EQU values are defined into `symbols`. */
export function lineBytes(
  l: ParsedLine,
  ctx: EvalContext,
  final: boolean,
  floor: number,
  report: (message: string, span: ReportSpan, severity?: 'error' | 'warning') => void,
  define: (name: string, value: bigint, reloc: number, base: number) => void,
  lc: LineContext,
): number[] {
  const body = l.body;
  const unknowns: Unknowns = { any: false };
  switch (body.kind) {
    case 'none':
    case 'org':
    case 'section':
    case 'absolute':
    case 'bits':
      return [];
    case 'incbin': {
      const data = lc.readFile?.(body.file);
      if (data === undefined)
        throw new AsmError(`unable to open file \`${body.file}'`, body.span.col, body.span.endCol);
      const bytes = typeof data === 'string' ? utf8Bytes(data) : data;
      const skip = body.skip ? Number(evalScalar(body.skip, ctx, unknowns)) : 0;
      const len = body.len ? Number(evalScalar(body.len, ctx, unknowns)) : bytes.length;
      if (skip < 0 || len < 0)
        throw new AsmError('invalid incbin range', body.span.col, body.span.endCol);
      return Array.from(
        bytes.subarray(Math.min(skip, bytes.length), Math.min(skip + len, bytes.length)),
      );
    }
    case 'equ': {
      const v = evalValue(body.value, ctx, unknowns);
      if (unknowns.any) {
        if (final) throw undefinedError(unknowns, body.value, 'EQU value is not constant');
      } else if (l.label) define(l.label.name, v.k, v.reloc, v.base ?? 0);
      return [];
    }
    case 'align': {
      const n = evalScalar(body.value, ctx, unknowns);
      if (unknowns.any && final)
        throw undefinedError(unknowns, body.value, 'ALIGN value is not constant');
      if (n <= 0n || (n & (n - 1n)) !== 0n)
        throw new AsmError('ALIGN value must be a power of two', body.value.col, body.value.endCol);
      if (n <= 4096n) lc.sectAlign(Number(n));
      const pad = (n - ((ctx.here - ctx.start) % n)) % n;
      if (pad > BigInt(MAX_OUTPUT_BYTES)) {
        throw new AsmError(
          `output would exceed ${MAX_OUTPUT_BYTES} bytes`,
          body.value.col,
          body.value.endCol,
        );
      }
      const fill = body.fill
        ? Number(BigInt.asUintN(8, evalScalar(body.fill, ctx, unknowns)))
        : 0x90;
      return new Array(Number(pad)).fill(body.reserve || lc.nobits ? 0 : fill);
    }
    case 'reserve': {
      const n = evalScalar(body.count, ctx, unknowns);
      if (unknowns.any) {
        if (final) throw undefinedError(unknowns, body.count, 'RESB count is not constant');
        return [];
      }
      if (n < 0n || n * BigInt(body.width) > BigInt(MAX_OUTPUT_BYTES))
        throw new AsmError(`invalid reserve count ${n}`, body.count.col, body.count.endCol);
      if (!lc.nobits)
        report(
          `uninitialized space declared in ${lc.section} section: zeroing`,
          body.span,
          'warning',
        );
      return new Array(Number(n) * body.width).fill(0);
    }
    case 'data': {
      if (lc.nobits) nobitsWarning(body.items[0] ?? { col: 1, endCol: 1 }, report);
      const out: number[] = [];
      for (const item of body.items) {
        if (item.kind === 'string') {
          out.push(...item.bytes);
          const rem = item.bytes.length % body.width;
          if (rem !== 0) for (let k = rem; k < body.width; k++) out.push(0);
          continue;
        }
        const u: Unknowns = { any: false };
        const value = evalValue(item.expr, ctx, u);
        const v = value.k;
        const addr = addressOf(value);
        if (addr !== undefined) {
          lc.fields = lc.fields ?? [];
          lc.fields.push({ at: out.length, size: body.width, relative: false, value: addr });
        }
        if (u.any && final) throw undefinedError(u, item.expr, 'expression is not constant');
        const bits = body.width * 8;
        const lim = 1n << BigInt(bits);
        if (!u.any && addr === undefined && bits < 64 && (v < -lim || v >= lim)) {
          // `at` places the warning in a listing: after the row holding the item's first byte.
          report(
            `${bits === 8 ? 'byte' : bits === 16 ? 'word' : 'dword'} data exceeds bounds`,
            { col: item.col, endCol: item.endCol, at: out.length },
            'warning',
          );
        }
        for (let k = 0; k < body.width; k++)
          out.push(Number(BigInt.asUintN(8, v >> BigInt(8 * k))));
      }
      return out;
    }
    case 'instr': {
      if (lc.nobits) nobitsWarning(body.span, report);
      const ops: Operand[] = body.operands.map((o) => evalOperand(o, ctx, unknowns));
      if (unknowns.any && final)
        throw undefinedError(unknowns, body.span, 'expression is not constant');
      const prefixes: number[] = [];
      let osize = 0;
      let asize = 0;
      for (const p of body.prefixes) {
        const sz = SIZE_PREFIX[p.name];
        if (sz) {
          if (sz[0] === 'o') osize = sz[1];
          else asize = sz[1];
        } else prefixes.push(PREFIX_BYTES[p.name]!);
      }
      const res = encode(
        body.mnemonic,
        ops,
        {
          here: ctx.here,
          bits: lc.bits,
          unknown: unknowns.any,
          prefixes,
          osize,
          asize,
          sectionBase: Number(ctx.start),
        },
        floor,
      );
      const last = body.operands[body.operands.length - 1];
      const span = { col: body.span.col, endCol: last ? last.endCol : body.span.endCol };
      if (!res.ok) {
        const jump = body.operands.find((o) => o.kind === 'imm');
        throw new AsmError(
          res.message,
          res.message.startsWith('short') && jump ? jump.col : span.col,
          res.message.startsWith('short') && jump ? jump.endCol : span.endCol,
        );
      }
      for (const o of body.operands) {
        if (o.kind === 'reg' && o.sizeIgnored) {
          report('invalid register size specification ignored', o, 'warning');
        }
      }
      for (const w of res.warnings) report(w, span, 'warning');
      if (res.fields) lc.fields = res.fields;
      return res.bytes;
    }
  }
}
