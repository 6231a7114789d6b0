// Bytes of one source line: instructions through the encoder, data and layout directives (NASM manual 3.2, 7.1).

import { encode } from './encoder';
import { AsmError, type EvalContext } from './expression';
import { evalOperand, evalScalar, type Operand, type Unknowns } from './operands';
import type { ParsedLine, Span } from './syntax';

/** Largest binary the assembler produces, so that no input can exhaust memory. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

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
  if (u) return new AsmError(`symbol '${u.name}' not defined`, u.col, u.endCol);
  return new AsmError(message, fallback.col, fallback.endCol);
}

/** Bytes of one repetition of a line's body; EQU values are defined into `symbols`. */
export function lineBytes(
  l: ParsedLine,
  ctx: EvalContext,
  final: boolean,
  floor: number,
  report: (message: string, span: Span, severity?: 'error' | 'warning') => void,
  symbols: Map<string, bigint>,
  order: string[],
): number[] {
  const body = l.body;
  const unknowns: Unknowns = { any: false };
  switch (body.kind) {
    case 'none':
    case 'org':
      return [];
    case 'equ': {
      const v = evalScalar(body.value, ctx, unknowns);
      if (unknowns.any) {
        if (final) throw undefinedError(unknowns, body.value, 'EQU value is not constant');
      } else if (l.label) {
        symbols.set(l.label.name, v);
        order.push(l.label.name);
      }
      return [];
    }
    case 'bits': {
      const v = evalScalar(body.value, ctx, unknowns);
      if (v === 16n) return [];
      if (v === 32n || v === 64n)
        throw new AsmError(
          `BITS ${v} is not supported yet: only 16-bit code`,
          body.span.col,
          body.value.endCol,
        );
      throw new AsmError(
        `\`${v}' is not a valid segment size; must be 16, 32 or 64`,
        body.value.col,
        body.value.endCol,
      );
    }
    case 'align': {
      const n = evalScalar(body.value, ctx, unknowns);
      if (unknowns.any && final)
        throw undefinedError(unknowns, body.value, 'ALIGN value is not constant');
      if (n <= 0n || (n & (n - 1n)) !== 0n)
        throw new AsmError('ALIGN value must be a power of two', body.value.col, body.value.endCol);
      const pad = (n - ((ctx.here - ctx.start) % n)) % n;
      if (pad > BigInt(MAX_OUTPUT_BYTES)) {
        throw new AsmError(
          `output would exceed ${MAX_OUTPUT_BYTES} bytes`,
          body.value.col,
          body.value.endCol,
        );
      }
      return new Array(Number(pad)).fill(0x90);
    }
    case 'reserve': {
      const n = evalScalar(body.count, ctx, unknowns);
      if (unknowns.any) {
        if (final) throw undefinedError(unknowns, body.count, 'RESB count is not constant');
        return [];
      }
      if (n < 0n || n * BigInt(body.width) > BigInt(MAX_OUTPUT_BYTES))
        throw new AsmError(`invalid reserve count ${n}`, body.count.col, body.count.endCol);
      report('uninitialized space declared in .text section: zeroing', body.span, 'warning');
      return new Array(Number(n) * body.width).fill(0);
    }
    case 'data': {
      const out: number[] = [];
      for (const item of body.items) {
        if (item.kind === 'string') {
          out.push(...item.bytes);
          const rem = item.bytes.length % body.width;
          if (rem !== 0) for (let k = rem; k < body.width; k++) out.push(0);
          continue;
        }
        const u: Unknowns = { any: false };
        const v = evalScalar(item.expr, ctx, u);
        if (u.any && final) throw undefinedError(u, item.expr, 'expression is not constant');
        const bits = body.width * 8;
        const lim = 1n << BigInt(bits);
        if (!u.any && bits < 64 && (v < -lim || v >= lim)) {
          report(
            `${bits === 8 ? 'byte' : bits === 16 ? 'word' : 'dword'} data exceeds bounds`,
            item,
            'warning',
          );
        }
        for (let k = 0; k < body.width; k++)
          out.push(Number(BigInt.asUintN(8, v >> BigInt(8 * k))));
      }
      return out;
    }
    case 'instr': {
      const ops: Operand[] = body.operands.map((o) => evalOperand(o, ctx, unknowns));
      if (unknowns.any && final)
        throw undefinedError(unknowns, body.span, 'expression is not constant');
      const prefixes = body.prefixes.map((p) => PREFIX_BYTES[p.name]!);
      const res = encode(
        body.mnemonic,
        ops,
        { here: ctx.here, bits: 16, unknown: unknowns.any, prefixes },
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
      for (const w of res.warnings) report(w, span, 'warning');
      return res.bytes;
    }
  }
}
