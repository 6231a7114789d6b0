import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../assembler/assembler';
import {
  ArrayCodeSource,
  DecodedInstruction,
  formatBytes,
  OPK_IMM,
  OPK_MEM,
  OPK_REG,
  OPK_SREG,
} from './decoded-instruction';
import { decode } from './decoder';
import { CpuFault } from './faults';
import { OPCODE_TABLE } from './opcode-table';
import { DS, ES, SS } from './state';

function dec(bytes: number[], size: 16 | 32 = 16): DecodedInstruction {
  const d = new DecodedInstruction();
  decode(new ArrayCodeSource(bytes), d, size);
  return d;
}

describe('decoder', () => {
  it('decodes prefixes, ModRM and displacement: 26 66 8B 47 05 = mov eax, [es:bx+5]', () => {
    const d = dec([0x26, 0x66, 0x8b, 0x47, 0x05]);
    expect(d.entry?.mnemonic).toBe('mov');
    expect(d.length).toBe(5);
    expect([d.opSize, d.adSize, d.segOverride]).toEqual([32, 16, ES]);
    expect([d.kind[0], d.size[0], d.reg[0]]).toEqual([OPK_REG, 32, 0]);
    expect([d.kind[1], d.memBase, d.memBase2, d.disp, d.memSeg]).toEqual([OPK_MEM, 3, -1, 5, ES]);
  });

  it('uses SS for BP-based forms and a bare disp16 for mod 00 r/m 110', () => {
    const bp = dec([0x8b, 0x46, 0xfe]);
    expect([bp.memBase, bp.memSeg, bp.disp]).toEqual([5, SS, 0xfffe]);
    const direct = dec([0x8b, 0x1e, 0x34, 0x12]);
    expect([direct.memBase, direct.memSeg, direct.disp, direct.reg[0]]).toEqual([
      -1,
      DS,
      0x1234,
      3,
    ]);
  });

  it('sign-extends Ibs to the operand size and decodes relative jumps', () => {
    const d = dec([0x83, 0xc3, 0xff]);
    expect([d.entry?.mnemonic, d.kind[1], d.imm[1]]).toEqual(['add', OPK_IMM, 0xffff]);
    expect(dec([0x66, 0x83, 0xc3, 0xff]).imm[1]).toBe(0xffffffff);
    expect(dec([0xeb, 0xfe]).imm[0]).toBe(-2);
    expect(dec([0x0f, 0x84, 0x00, 0x80]).imm[0]).toBe(-0x8000);
  });

  it('picks entries by operand size and by ModRM extension', () => {
    expect(dec([0xa5]).entry?.mnemonic).toBe('movsw');
    expect(dec([0x66, 0xa5]).entry?.mnemonic).toBe('movsd');
    expect(dec([0xf7, 0xd8]).entry?.mnemonic).toBe('neg');
    expect(dec([0x90]).entry?.mnemonic).toBe('nop');
    expect(dec([0x93]).entry?.mnemonic).toBe('xchg');
    const push = dec([0x0f, 0xa0]);
    expect([push.entry?.mnemonic, push.kind[0], push.reg[0], push.length]).toEqual([
      'push',
      OPK_SREG,
      4,
      2,
    ]);
  });

  it('leaves unknown opcodes and invalid forms without an entry', () => {
    const d = dec([0x0f, 0xff]);
    expect(d.entry).toBeNull();
    expect(formatBytes(d)).toBe('0F FF');
    expect(dec([0x8d, 0xc0]).entry).toBeNull(); // LEA with a register operand
    expect(dec([0x8e, 0xf0]).entry).toBeNull(); // segment register 6
  });

  it('raises #GP(0) past 15 bytes', () => {
    expect(() => dec(new Array(16).fill(0x26))).toThrow(CpuFault);
  });

  it('decodes every instruction of the golden slice to the length the assembler gave it', () => {
    const dir = join(import.meta.dirname, '../assembler/golden');
    const source = readFileSync(join(dir, 'slice16.asm'), 'utf8');
    const out = assemble(source);
    const lines = source.split('\n');
    const map = out.sourceMap;
    let checked = 0;
    for (let i = 0; i + 1 < map.length; i++) {
      const text = lines[map[i]!.line - 1]!.trim().toLowerCase();
      if (/^(d[bwdq]|times|res|align)\b/.test(text) || /^\S+\s+d[bwdq]\b/.test(text)) continue;
      const d = new DecodedInstruction();
      decode(new ArrayCodeSource(out.bytes, map[i]!.address - out.origin), d, 16);
      expect([text, d.length]).toEqual([text, map[i + 1]!.address - map[i]!.address]);
      expect([text, d.entry !== null]).toEqual([text, true]);
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('has one decodable entry per opcode key, extension and operand size', () => {
    const seen = new Set<string>();
    for (const e of OPCODE_TABLE) {
      if (e.encodeOnly) continue;
      for (let r = 0; r < (e.plusReg ? 8 : 1); r++) {
        for (let ext = 0; ext < 8; ext++) {
          if (e.ext >= 0 && e.ext !== ext) continue;
          for (const size of e.osize ? [e.osize] : [16, 32]) {
            const key = `${e.opcode + r}/${ext}/${size}`;
            if (seen.has(key) && e.mnemonic !== 'xchg')
              expect(`${key} ${e.mnemonic}`).toBe('unique');
            seen.add(key);
          }
        }
      }
    }
  });
});
