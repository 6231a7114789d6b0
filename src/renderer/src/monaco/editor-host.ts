// The one place that touches Monaco: setup (NASM language, theme, worker) and a small editor
// handle that components use, so they can be tested with this module mocked.

import * as monaco from 'monaco-editor/editor';
// Only the contributions an assembly editor needs, to keep the bundle lean.
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/suggest/register';
// Monaco 0.57's feature entries (features/suggest, even register.all) leave out the suggest
// controller itself, so the completion popup never opens; editor.main imports these two.
import 'monaco-editor/editor/contrib/snippet/browser/snippetController2.js';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/features/gotoSymbol/register';
import 'monaco-editor/features/documentSymbols/register';
import 'monaco-editor/features/referenceSearch/register';
import 'monaco-editor/features/quickOutline/register';
import 'monaco-editor/features/cursorUndo/register';
// Inline: the worker comes from a blob: URL, which works from file:// under a strict CSP.
import EditorWorker from 'monaco-editor/editor/editor.worker?worker&inline';
import type { Diagnostic } from '../../../shared/api';
import { diagnosticsToMarkers, MARKER_OWNER } from './markers';
import { NASM_LANGUAGE_ID, nasmConfiguration, nasmMonarch } from './nasm-language';
import { registerNasmProviders } from './nasm-providers';
import { THEME_ID, vmlabDarkTheme } from './nasm-theme';

let ready = false;

/** Registers the worker, the NASM language and the theme once per page. */
function setup(): void {
  if (ready) return;
  ready = true;
  self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
  monaco.languages.register({
    id: NASM_LANGUAGE_ID,
    extensions: ['.asm', '.nasm', '.inc'],
    aliases: ['NASM', 'nasm'],
  });
  monaco.languages.setMonarchTokensProvider(NASM_LANGUAGE_ID, nasmMonarch);
  monaco.languages.setLanguageConfiguration(NASM_LANGUAGE_ID, nasmConfiguration);
  monaco.editor.defineTheme(THEME_ID, vmlabDarkTheme);
  registerNasmProviders(monaco);
}

/** A Monaco editor showing one document at a time, each with its own undo history. */
export interface SourceEditorHost {
  /**
   * Shows document `key` with `text` (replacing its content if it differs), highlighted as
   * NASM, or as plain text when `plain` (a file that is not assembly, such as notes).
   */
  open(key: string, text: string, plain?: boolean): void;
  /** Closes the editor's document (no VM selected). */
  close(): void;
  /** Sets the markers of document `key` ("vmId/file") from the diagnostics that concern it. */
  setMarkers(key: string, diagnostics: readonly Diagnostic[]): void;
  /** Moves the cursor to a line and column of the shown document and scrolls it into view. */
  reveal(line: number, column: number): void;
  /** Drops a document that will not come back (its VM or file was deleted). */
  forget(key: string): void;
  focus(): void;
  dispose(): void;
}

export interface SourceEditorOptions {
  /** Called after every edit by the user with the document's whole text. */
  onChange(key: string, text: string): void;
  /**
   * Called when the user follows a link to another document (a macro body line in the
   * related information of a marker); the component opens it, then reveals the place.
   */
  onOpen?(key: string, line: number, column: number): void;
}

const uriOf = (key: string) => monaco.Uri.from({ scheme: 'vmlab', path: `/${key}` });
const keyOf = (uri: monaco.Uri) => (uri.scheme === 'vmlab' ? uri.path.slice(1) : null);

/** Creates the editor inside `el`. */
export function createSourceEditor(
  el: HTMLElement,
  options: SourceEditorOptions,
): SourceEditorHost {
  setup();
  const models = new Map<string, monaco.editor.ITextModel>();
  let applying = false;

  const editor = monaco.editor.create(el, {
    language: NASM_LANGUAGE_ID,
    theme: THEME_ID,
    model: null,
    automaticLayout: true,
    fontFamily: "Consolas, 'DejaVu Sans Mono', 'Liberation Mono', Menlo, monospace",
    fontSize: 14,
    tabSize: 8,
    insertSpaces: false,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    glyphMargin: true,
    renderLineHighlight: 'all',
    fixedOverflowWidgets: true,
    wordBasedSuggestions: 'off',
    quickSuggestions: { other: true, comments: false, strings: false },
  });

  // Monaco alone opens only the shown model; links to other files go to the component.
  const opener = monaco.editor.registerEditorOpener({
    openCodeEditor(_source, resource, selection) {
      const key = keyOf(resource);
      if (key === null || !options.onOpen) return false;
      const at =
        selection && 'startLineNumber' in selection
          ? { line: selection.startLineNumber, column: selection.startColumn }
          : { line: selection?.lineNumber ?? 1, column: selection?.column ?? 1 };
      options.onOpen(key, at.line, at.column);
      return true;
    },
  });

  function modelFor(key: string, text: string, plain: boolean): monaco.editor.ITextModel {
    let model = models.get(key);
    if (!model || model.isDisposed()) {
      model = monaco.editor.createModel(text, plain ? 'plaintext' : NASM_LANGUAGE_ID, uriOf(key));
      model.onDidChangeContent(() => {
        if (!applying) options.onChange(key, model?.getValue() ?? '');
      });
      models.set(key, model);
    } else if (model.getValue() !== text) {
      applying = true;
      try {
        // An edit rather than setValue keeps the change undoable.
        model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
      } finally {
        applying = false;
      }
    }
    return model;
  }

  return {
    open(key, text, plain = false) {
      const model = modelFor(key, text, plain);
      if (editor.getModel() !== model) editor.setModel(model);
    },
    close() {
      editor.setModel(null);
    },
    setMarkers(key, diagnostics) {
      const model = models.get(key);
      if (!model || model.isDisposed()) return;
      const slash = key.indexOf('/');
      const vmId = key.slice(0, slash);
      const place = { file: key.slice(slash + 1), resource: (f: string) => uriOf(`${vmId}/${f}`) };
      monaco.editor.setModelMarkers(model, MARKER_OWNER, diagnosticsToMarkers(diagnostics, place));
    },
    reveal(line, column) {
      editor.setPosition({ lineNumber: line, column });
      editor.revealLineInCenterIfOutsideViewport(line);
      editor.focus();
    },
    forget(key) {
      const model = models.get(key);
      models.delete(key);
      if (model && editor.getModel() === model) editor.setModel(null);
      model?.dispose();
    },
    focus() {
      editor.focus();
    },
    dispose() {
      opener.dispose();
      editor.dispose();
      for (const model of models.values()) model.dispose();
      models.clear();
    },
  };
}
