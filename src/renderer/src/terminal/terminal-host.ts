// The one place that touches xterm.js: a terminal fitted to its element, behind a small handle
// so components can be tested with this module mocked.

import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';

/** A serial terminal: write guest output, get typed keys. */
export interface TerminalHost {
  write(text: string): void;
  /** Clears the screen and scrollback. */
  reset(): void;
  focus(): void;
  dispose(): void;
}

export interface TerminalOptions {
  /** Keys typed by the user, as the terminal encodes them (Enter is "\r"). */
  onInput(data: string): void;
}

/** Creates a terminal inside `el` and keeps it fitted to the element's size. */
export function createTerminal(el: HTMLElement, options: TerminalOptions): TerminalHost {
  const term = new Terminal({
    fontFamily: "Consolas, 'DejaVu Sans Mono', 'Liberation Mono', Menlo, monospace",
    fontSize: 13,
    scrollback: 5000,
    cursorBlink: true,
    allowProposedApi: false,
    theme: {
      background: '#181818',
      foreground: '#cccccc',
      cursor: '#aeafad',
      selectionBackground: '#264f78',
    },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(el);
  const input = term.onData((data) => options.onInput(data));

  const refit = () => {
    // Fitting a hidden or zero-sized element throws or yields 0 columns; skip those.
    if (el.clientWidth > 0 && el.clientHeight > 0) fit.fit();
  };
  const observer = new ResizeObserver(() => refit());
  observer.observe(el);
  refit();

  return {
    write: (text) => term.write(text),
    reset: () => term.reset(),
    focus: () => term.focus(),
    dispose() {
      observer.disconnect();
      input.dispose();
      term.dispose();
    },
  };
}
