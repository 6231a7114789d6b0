// Labels, macros and words of a NASM source for the editor: definitions, references, outline, hover, completion.
// Pure functions over the text, so that they can be tested without Monaco.

import { instructionHelp, registerHelp } from './instruction-help';
import { MNEMONIC_FORMS } from './mnemonics.generated';

/** A span on one line: 1-based line, columns [col, endCol). */
export interface Span {
  line: number;
  col: number;
  endCol: number;
}

/** A symbol definition. */
export interface SymbolDef extends Span {
  /** Full name (local labels qualified with their global label). */
  name: string;
  /** What the source writes (`.loop` for a local label). */
  text: string;
  kind: 'label' | 'local' | 'constant' | 'macro' | 'define';
  /** For local labels: the global label they belong to. */
  parent?: string;
}

/** An identifier occurrence, with the full name it refers to. */
export interface SymbolRef extends Span {
  name: string;
}

/** Everything the editor needs about a source's symbols. */
export interface SymbolIndex {
  defs: SymbolDef[];
  refs: SymbolRef[];
}

export const REGISTERS = [
  ...'al cl dl bl ah ch dh bh ax cx dx bx sp bp si di eax ecx edx ebx esp ebp esi edi'.split(' '),
  ...'es cs ss ds fs gs cr0 cr2 cr3 cr4 dr0 dr1 dr2 dr3 dr6 dr7 tr3 tr4 tr5 tr6 tr7'.split(' '),
];

export const DIRECTIVES = [
  ...'bits use16 use32 org section segment align alignb db dw dd dq resb resw resd resq'.split(' '),
  ...'incbin equ times cpu default global extern byte word dword qword short near far strict'.split(
    ' ',
  ),
  ...'nosplit o16 o32 a16 a32 rep repe repz repne repnz lock'.split(' '),
  ...'struc endstruc istruc at iend absolute'.split(' '),
  ...'%define %xdefine %idefine %undef %assign %macro %imacro %endmacro %rep %endrep %exitrep'.split(
    ' ',
  ),
  ...'%if %elif %else %endif %ifdef %ifndef %ifidn %ifidni %ifnum %ifstr %ifid %ifmacro'.split(' '),
  ...'%include %error %warning %fatal'.split(' '),
];

const KEYWORDS = new Set([...Object.keys(MNEMONIC_FORMS), ...REGISTERS, ...DIRECTIVES]);
const IDENT = /[A-Za-z_.?@$%][A-Za-z0-9_.?@$#~]*/g;

/** The code part of a line: strings blanked (same length), comment removed. */
function codeOf(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ';') break;
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += c === '`' && line[j] === '\\' ? 2 : 1;
      out +=
        c + ' '.repeat(Math.max(0, Math.min(j, line.length) - i - 1)) + (j < line.length ? c : '');
      i = j;
      continue;
    }
    out += c;
  }
  return out;
}

/** Scans `text` for definitions and references of labels, constants and macros. */
export function indexSymbols(text: string): SymbolIndex {
  const defs: SymbolDef[] = [];
  const refs: SymbolRef[] = [];
  let global = '';
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    const line = i + 1;
    const code = codeOf(raw);
    const words = [...code.matchAll(IDENT)].map((m) => ({
      text: m[0],
      col: m.index + 1,
      endCol: m.index + 1 + m[0].length,
    }));
    const first = words[0];
    if (!first) return;
    const qualify = (w: string) => (w.startsWith('.') && !w.startsWith('..') ? global + w : w);
    const directive = /^\s*%(i?macro|x?i?define|assign|iassign)\s+([A-Za-z_.?@$][\w.?@$#~]*)/i.exec(
      code,
    );
    if (directive) {
      const name = directive[2]!;
      const col = code.indexOf(name, code.indexOf(directive[1]!) + directive[1]!.length) + 1;
      defs.push({
        name,
        text: name,
        kind: /macro/i.test(directive[1]!) ? 'macro' : 'define',
        line,
        col,
        endCol: col + name.length,
      });
      return;
    }
    if (first.text.startsWith('%')) return;
    const struc = words[1];
    if (first.text.toLowerCase() === 'struc' && struc) {
      // A structure's name is a label; its fields are its local labels.
      defs.push({
        name: struc.text,
        text: struc.text,
        kind: 'label',
        line,
        col: struc.col,
        endCol: struc.endCol,
      });
      global = struc.text;
      return;
    }
    const after = code.slice(first.endCol - 1).trimStart();
    const lower = first.text.toLowerCase();
    const next = words[1]?.text.toLowerCase() ?? '';
    const isLabel =
      after.startsWith(':') ||
      next === 'equ' ||
      (!KEYWORDS.has(lower) &&
        (words.length === 1 || KEYWORDS.has(next)) &&
        !/^\s*[,([]/.test(after));
    let start = 0;
    if (isLabel && !/^[0-9]/.test(first.text)) {
      const name = qualify(first.text);
      const local = first.text.startsWith('.') && !first.text.startsWith('..');
      const kind = next === 'equ' ? 'constant' : local ? 'local' : 'label';
      defs.push({
        name,
        text: first.text,
        kind,
        line,
        col: first.col,
        endCol: first.endCol,
        ...(local ? { parent: global } : {}),
      });
      if (!local && !first.text.startsWith('..@') && next !== 'equ') global = first.text;
      start = 1;
    }
    for (const w of words.slice(start)) {
      const l = w.text.toLowerCase();
      if (KEYWORDS.has(l) || w.text.startsWith('%') || w.text === '$' || w.text === '$$') continue;
      refs.push({ name: qualify(w.text), line, col: w.col, endCol: w.endCol });
    }
  });
  return { defs, refs };
}

/** The identifier at (line, col), with its span; null on blanks and punctuation. */
export function wordAt(text: string, line: number, col: number): (Span & { word: string }) | null {
  const raw = text.split(/\r\n|\n|\r/)[line - 1];
  if (raw === undefined) return null;
  for (const m of raw.matchAll(IDENT)) {
    const start = m.index + 1;
    if (col >= start && col <= start + m[0].length)
      return { word: m[0], line, col: start, endCol: start + m[0].length };
  }
  return null;
}

/** The full name the word at (line, col) refers to (a local label gets its global prefix). */
function nameAt(index: SymbolIndex, text: string, line: number, col: number): string | null {
  const w = wordAt(text, line, col);
  if (!w) return null;
  const hit = [...index.defs, ...index.refs].find((s) => s.line === line && s.col === w.col);
  return hit ? hit.name : w.word;
}

/** Where the symbol at (line, col) is defined. */
export function definitionAt(text: string, line: number, col: number): SymbolDef | null {
  const index = indexSymbols(text);
  const name = nameAt(index, text, line, col);
  if (!name) return null;
  return (
    index.defs.find((d) => d.name === name) ??
    index.defs.find((d) => d.name.toLowerCase() === name.toLowerCase() && d.kind === 'macro') ??
    null
  );
}

/** Every occurrence of the symbol at (line, col), its definition first when asked for. */
export function referencesAt(
  text: string,
  line: number,
  col: number,
  includeDefinition = true,
): Span[] {
  const index = indexSymbols(text);
  const name = nameAt(index, text, line, col);
  if (!name) return [];
  const defs = includeDefinition ? index.defs.filter((d) => d.name === name) : [];
  const refs = index.refs.filter((r) => r.name === name);
  if (defs.length === 0 && refs.length === 0) return [];
  return [...defs, ...refs].map(({ line: l, col: c, endCol }) => ({ line: l, col: c, endCol }));
}

/** The outline: labels with their local labels as children, then constants and macros. */
export function documentSymbols(text: string): (SymbolDef & { children: SymbolDef[] })[] {
  const out: (SymbolDef & { children: SymbolDef[] })[] = [];
  for (const d of indexSymbols(text).defs) {
    const parent =
      d.kind === 'local'
        ? [...out].reverse().find((o) => o.kind === 'label' && o.name === d.parent)
        : undefined;
    if (parent) parent.children.push(d);
    else out.push({ ...d, children: [] });
  }
  return out;
}

/** Markdown hover text for the word at (line, col), or null. */
export function hoverAt(
  text: string,
  line: number,
  col: number,
): { span: Span; markdown: string } | null {
  const w = wordAt(text, line, col);
  if (!w) return null;
  const span = { line, col: w.col, endCol: w.endCol };
  const lower = w.word.toLowerCase();
  const forms = MNEMONIC_FORMS[lower];
  const help = instructionHelp(lower);
  if (forms) {
    const ops = forms.filter((f) => f !== '').map((f) => `\`${lower} ${f}\``);
    const lines = [`**${lower.toUpperCase()}**: ${help?.summary ?? 'instruction'}`];
    lines.push(ops.length ? `Operands: ${ops.join(', ')}` : 'Operands: none');
    lines.push(`Flags: ${help?.flags ?? 'see the Intel SDM'}`);
    return { span, markdown: lines.join('\n\n') };
  }
  const reg = registerHelp(lower);
  if (reg) return { span, markdown: `**${lower}**: ${reg}` };
  const def = definitionAt(text, line, col);
  if (def) {
    const what = {
      label: 'label',
      local: 'local label',
      constant: 'constant (equ)',
      macro: 'macro',
      define: 'single-line macro',
    }[def.kind];
    const source = text.split(/\r\n|\n|\r/)[def.line - 1]?.trim() ?? '';
    return { span, markdown: `**${def.name}**: ${what}, line ${def.line}\n\n\`${source}\`` };
  }
  return null;
}

/** A completion candidate. */
export interface Completion {
  label: string;
  kind: 'mnemonic' | 'register' | 'directive' | 'label' | 'macro';
  detail: string;
}

/** Completions for the word being typed at (line, col): mnemonics, registers, directives, labels, macros. */
export function completionsAt(text: string, line: number, col: number): Completion[] {
  const raw = text.split(/\r\n|\n|\r/)[line - 1] ?? '';
  const prefix = /[A-Za-z_.?@$%][A-Za-z0-9_.?@$#~]*$/.exec(raw.slice(0, col - 1))?.[0] ?? '';
  const p = prefix.toLowerCase();
  const out: Completion[] = [];
  const seen = new Set<string>();
  const add = (c: Completion) => {
    if (seen.has(c.label) || !c.label.toLowerCase().startsWith(p)) return;
    seen.add(c.label);
    out.push(c);
  };
  const index = indexSymbols(text);
  for (const d of index.defs) {
    const kind = d.kind === 'macro' || d.kind === 'define' ? 'macro' : 'label';
    add({ label: d.kind === 'local' ? d.text : d.name, kind, detail: `${d.kind}, line ${d.line}` });
  }
  for (const m of Object.keys(MNEMONIC_FORMS))
    add({ label: m, kind: 'mnemonic', detail: instructionHelp(m)?.summary ?? 'instruction' });
  for (const r of REGISTERS)
    add({ label: r, kind: 'register', detail: registerHelp(r) ?? 'register' });
  for (const d of DIRECTIVES) add({ label: d, kind: 'directive', detail: 'directive' });
  return out;
}
