// What an opcode-table operand type (SDM appendix A notation: Eb, Gv, Iz, ...) accepts, for the encoder and the disassembler.

/** A decomposed operand type. */
export interface TypeInfo {
  /** Addressing method: E G R M S C D T I J O A Z, or '' for a fixed register or constant. */
  method: string;
  /** Size letter: b w d q v z p a s, or '' for none. */
  size: string;
  /** A fixed register ('acc' means AL/AX/EAX by size). */
  fixed?: { cls: string; num: number };
  /** Ibs: an imm8 sign-extended to the operand size. */
  signed?: boolean;
  /** The constant 1 of the shift group. */
  one?: boolean;
  /** The type's width follows the operand size (so 0x66 may apply). */
  sensitive: boolean;
}

const FIXED: Record<string, { cls: string; num: number; size: string }> = {
  AL: { cls: 'r8', num: 0, size: 'b' },
  CL: { cls: 'r8', num: 1, size: 'b' },
  DL: { cls: 'r8', num: 2, size: 'b' },
  AX: { cls: 'r16', num: 0, size: 'w' },
  CX: { cls: 'r16', num: 1, size: 'w' },
  DX: { cls: 'r16', num: 2, size: 'w' },
  EAX: { cls: 'r32', num: 0, size: 'd' },
  eAX: { cls: 'acc', num: 0, size: 'v' },
  rAX: { cls: 'acc', num: 0, size: 'v' },
  ES: { cls: 'sreg', num: 0, size: 'w' },
  CS: { cls: 'sreg', num: 1, size: 'w' },
  SS: { cls: 'sreg', num: 2, size: 'w' },
  DS: { cls: 'sreg', num: 3, size: 'w' },
  FS: { cls: 'sreg', num: 4, size: 'w' },
  GS: { cls: 'sreg', num: 5, size: 'w' },
};

const cache = new Map<string, TypeInfo>();

/** Decomposes an operand type name; unknown names get method '?' so that nothing matches. */
export function describeType(t: string): TypeInfo {
  let info = cache.get(t);
  if (info) return info;
  const fixed = FIXED[t];
  if (fixed) {
    info = {
      method: '',
      size: fixed.size,
      fixed: { cls: fixed.cls, num: fixed.num },
      sensitive: fixed.size === 'v',
    };
  } else if (t === '1') info = { method: '', size: '', one: true, sensitive: false };
  else if (t === 'Ibs') info = { method: 'I', size: 'b', signed: true, sensitive: true };
  else if (/^[EGRMSCDTIJOAZ][bwdqvzpas]?$/.test(t)) {
    const size = t.slice(1);
    info = { method: t[0]!, size, sensitive: 'vzpa'.includes(size) && size !== '' };
  } else info = { method: '?', size: '', sensitive: false };
  cache.set(t, info);
  return info;
}
