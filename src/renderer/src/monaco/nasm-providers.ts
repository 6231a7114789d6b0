// Monaco providers for NASM sources: hover, go to definition, references, outline, completion.
// Thin adapters over the pure functions of nasm-symbols.ts, which the tests exercise.

import type * as Monaco from 'monaco-editor/editor';
import { NASM_LANGUAGE_ID } from './nasm-language';
import {
  completionsAt,
  definitionAt,
  documentSymbols,
  hoverAt,
  referencesAt,
  type Span,
  type SymbolDef,
} from './nasm-symbols';

type MonacoApi = typeof Monaco;

const range = (m: MonacoApi, s: Span) => new m.Range(s.line, s.col, s.line, s.endCol);

/** Registers the NASM language features with Monaco (once per page). */
export function registerNasmProviders(m: MonacoApi): void {
  const L = NASM_LANGUAGE_ID;
  m.languages.registerHoverProvider(L, {
    provideHover(model, pos) {
      const h = hoverAt(model.getValue(), pos.lineNumber, pos.column);
      return h ? { range: range(m, h.span), contents: [{ value: h.markdown }] } : null;
    },
  });
  m.languages.registerDefinitionProvider(L, {
    provideDefinition(model, pos) {
      const d = definitionAt(model.getValue(), pos.lineNumber, pos.column);
      return d ? { uri: model.uri, range: range(m, d) } : null;
    },
  });
  m.languages.registerReferenceProvider(L, {
    provideReferences(model, pos, ctx) {
      return referencesAt(model.getValue(), pos.lineNumber, pos.column, ctx.includeDeclaration).map(
        (s) => ({ uri: model.uri, range: range(m, s) }),
      );
    },
  });
  const kindOf = (d: SymbolDef) =>
    d.kind === 'macro' || d.kind === 'define'
      ? m.languages.SymbolKind.Function
      : d.kind === 'constant'
        ? m.languages.SymbolKind.Constant
        : m.languages.SymbolKind.Field;
  m.languages.registerDocumentSymbolProvider(L, {
    provideDocumentSymbols(model) {
      const toSymbol = (d: SymbolDef, children: Monaco.languages.DocumentSymbol[]) => ({
        name: d.text,
        detail: d.kind,
        kind: kindOf(d),
        tags: [],
        range: range(m, d),
        selectionRange: range(m, d),
        children,
      });
      return documentSymbols(model.getValue()).map((d) =>
        toSymbol(
          d,
          d.children.map((c) => toSymbol(c, [])),
        ),
      );
    },
  });
  const kinds = {
    mnemonic: m.languages.CompletionItemKind.Keyword,
    register: m.languages.CompletionItemKind.Variable,
    directive: m.languages.CompletionItemKind.Module,
    label: m.languages.CompletionItemKind.Reference,
    macro: m.languages.CompletionItemKind.Function,
  };
  m.languages.registerCompletionItemProvider(L, {
    triggerCharacters: ['.', '%'],
    provideCompletionItems(model, pos) {
      const word = model.getWordUntilPosition(pos);
      const r = new m.Range(pos.lineNumber, word.startColumn, pos.lineNumber, pos.column);
      const suggestions = completionsAt(model.getValue(), pos.lineNumber, pos.column).map((c) => ({
        label: c.label,
        kind: kinds[c.kind],
        detail: c.detail,
        insertText: c.label,
        range: r,
      }));
      return { suggestions };
    },
  });
}
