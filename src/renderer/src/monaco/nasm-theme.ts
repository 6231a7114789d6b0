// The editor's dark theme: VS Code's Dark+ colours, with token rules for the NASM language.

import type { editor } from 'monaco-editor/editor';

export const THEME_ID = 'vmlab-dark';

export const vmlabDarkTheme: editor.IStandaloneThemeData = {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'comment.nasm', foreground: '6a9955', fontStyle: 'italic' },
    { token: 'keyword.nasm', foreground: '569cd6' },
    { token: 'keyword.directive.nasm', foreground: 'c586c0' },
    { token: 'meta.preprocessor.nasm', foreground: 'd16969' },
    { token: 'variable.parameter.nasm', foreground: 'd16969' },
    { token: 'variable.predefined.nasm', foreground: '9cdcfe' },
    { token: 'type.nasm', foreground: '4ec9b0' },
    { token: 'type.identifier.nasm', foreground: 'dcdcaa' },
    { token: 'identifier.nasm', foreground: 'd4d4d4' },
    { token: 'number', foreground: 'b5cea8' },
    { token: 'string.nasm', foreground: 'ce9178' },
    { token: 'string.escape.nasm', foreground: 'd7ba7d' },
    { token: 'string.invalid.nasm', foreground: 'f44747' },
    { token: 'operator.nasm', foreground: 'd4d4d4' },
    { token: 'delimiter.nasm', foreground: '808080' },
  ],
  colors: {
    'editor.background': '#1e1e1e',
    'editorGutter.background': '#1e1e1e',
  },
};
