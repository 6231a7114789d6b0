import { describe, expect, it } from 'vitest';
import { buildTemplates, summaryOf, TEMPLATES } from './templates';

describe('VM templates', () => {
  it('offers every example guest, simplest first', () => {
    const ids = TEMPLATES.map((t) => t.id);
    expect(ids.slice(0, 5)).toEqual(['hello', 'echo', 'timer', 'pm-hello', 'kernel']);
    expect(ids).toContain('spin');
    for (const t of TEMPLATES) {
      expect(t.source).toMatch(/bits 16/);
      expect(t.summary.length).toBeGreaterThan(10);
    }
  });

  it('summarises a source from its first comment sentence', () => {
    expect(summaryOf('; x.asm: does a thing. More words.\n; still comment\nbits 16')).toBe(
      'does a thing.',
    );
    expect(summaryOf('; wraps over\n; two lines. Then more.\n')).toBe('wraps over two lines.');
    expect(summaryOf('bits 16\n')).toBe('');
    expect(
      buildTemplates({ '/e/zeta.asm': '; z', '/e/hello.asm': '; h' }).map((t) => t.id),
    ).toEqual(['hello', 'zeta']);
  });
});
