// ModRM, SIB and displacement bytes for 16- and 32-bit addressing (Intel SDM vol. 2A, tables 2-1 to 2-3).

import type { Operand } from './operands';

function pushDisp(out: number[], v: bigint, bytes: number): void {
  let n = BigInt.asUintN(64, v);
  for (let i = 0; i < bytes; i++) {
    out.push(Number(n & 0xffn));
    n >>= 8n;
  }
}

/** Displacement width NASM picks: none, 8 or full, honouring `byte`/`dword` inside brackets. */
function dispWidth(
  disp: bigint,
  forced: number,
  reloc: boolean,
  full: number,
  needsDisp: boolean,
): number {
  if (forced === 8) return 8;
  if (forced === full) return full;
  if (reloc) return full;
  const d = BigInt.asIntN(full, disp);
  if (d === 0n && !needsDisp) return 0;
  return d >= -128n && d <= 127n ? 8 : full;
}

/** ModRM (and SIB and displacement) for a register or memory operand, or null if impossible. */
export function modrmBytes(reg: number, o: Operand | undefined, asize: number): number[] | null {
  const out: number[] = [];
  if (!o || o.kind === 'reg') {
    out.push(0xc0 | (reg << 3) | (o && o.kind === 'reg' ? o.reg.num : 0));
    return out;
  }
  if (o.kind !== 'mem') return null;
  if (asize === 16) {
    if (o.asize === 32) return null;
    if (o.rm < 0) {
      out.push((reg << 3) | 6);
      pushDisp(out, o.disp, 2);
      return out;
    }
    const w = dispWidth(o.disp, o.dispSize, o.reloc, 16, o.rm === 6);
    out.push((w === 0 ? 0 : w === 8 ? 0x40 : 0x80) | (reg << 3) | o.rm);
    pushDisp(out, o.disp, w / 8);
    return out;
  }
  if (o.asize === 16) return null;
  const { base, index, scale } = o;
  if (base < 0 && index < 0) {
    out.push((reg << 3) | 5);
    pushDisp(out, o.disp, 4);
    return out;
  }
  const ss = scale === 8 ? 3 : scale === 4 ? 2 : scale === 2 ? 1 : 0;
  if (base < 0) {
    out.push((reg << 3) | 4, (ss << 6) | (index << 3) | 5);
    pushDisp(out, o.disp, 4);
    return out;
  }
  const w = dispWidth(o.disp, o.dispSize, o.reloc, 32, base === 5);
  const mod = w === 0 ? 0 : w === 8 ? 0x40 : 0x80;
  if (index < 0 && base !== 4) out.push(mod | (reg << 3) | base);
  else out.push(mod | (reg << 3) | 4, (ss << 6) | ((index < 0 ? 4 : index) << 3) | base);
  pushDisp(out, o.disp, w / 8);
  return out;
}
