// The example guests in examples/ as templates for new VMs: their source, bundled at build
// time, with a title and the one-line summary from each file's first comment.

const SOURCES = import.meta.glob('../../../examples/*.asm', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

export interface Template {
  id: string;
  title: string;
  summary: string;
  source: string;
}

/** The order a person meets them in: simplest first, the runaway guest last. */
const ORDER = ['hello', 'echo', 'timer', 'pm-hello', 'kernel', 'spin'];

/** The summary after "name.asm:" on the first comment line(s), up to the first period. */
export function summaryOf(source: string): string {
  const comment: string[] = [];
  for (const line of source.split('\n')) {
    const m = /^\s*;\s?(.*)$/.exec(line);
    if (!m) break;
    comment.push(m[1]!.trim());
  }
  const text = comment.join(' ').replace(/^[\w.-]+\.asm:\s*/, '');
  const sentence = /^(.*?\.)(\s|$)/.exec(text);
  return (sentence ? sentence[1]! : text).trim();
}

export function buildTemplates(sources: Record<string, string>): Template[] {
  const list = Object.entries(sources).map(([path, source]) => {
    const id = path.replace(/^.*\//, '').replace(/\.asm$/, '');
    return { id, title: `${id}.asm`, summary: summaryOf(source), source };
  });
  const rank = (id: string) => (ORDER.includes(id) ? ORDER.indexOf(id) : ORDER.length);
  return list.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
}

export const TEMPLATES: readonly Template[] = buildTemplates(SOURCES);
