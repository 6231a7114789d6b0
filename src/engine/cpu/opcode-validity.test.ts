import { describe, expect, it } from 'vitest';
import { UnimplementedError } from '../bus/errors';
import { HANDLERS } from './exec/index';
import { TestCpu } from './exec/testing';
import { OPCODE_TABLE } from './opcode-table';

describe('undefined and unimplemented opcodes', () => {
  const t = new TestCpu();
  it('raises #UD for opcode-map holes, group holes and invalid ModRM forms', () => {
    for (const code of [
      '0f ff',
      '0f 0b',
      '0f 04',
      '0f 30',
      '0f 32',
      '0f a6',
      '0f 18 00',
      'fe d0',
      'ff f8',
      'ff d8',
      '8f c8',
      'c6 c8 00',
      'c7 c8 00 00',
      '8d c0',
      'c4 c0',
      'c5 c0',
      '8e c8',
      '8e f0',
      '8c f8',
      '0f c7 c8',
      '0f b2 c0',
    ]) {
      expect(t.reset().run(code), code).toBe(6);
    }
  });

  it('has a handler for every table entry outside the system instructions', () => {
    const system =
      /^(lgdt|lidt|sgdt|sidt|lldt|sldt|ltr|str|lmsw|smsw|verr|verw|lar|lsl|clts|invd|wbinvd|invlpg|arpl|mov)$/;
    const missing = OPCODE_TABLE.filter((e) => !HANDLERS[e.exec] && !system.test(e.mnemonic));
    expect(missing.map((e) => `${e.mnemonic} ${e.operands.join(',')}`)).toEqual([]);
  });

  it('names an UnimplementedError for the x87 only', () => {
    expect(() => t.reset().run('de c1')).toThrow(UnimplementedError);
  });
});
