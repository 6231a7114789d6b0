// Where an assembler diagnostic lies: its own line and, inside macros, the macro body lines
// NASM lists as "... from macro `m' defined here" (src/shared/api.ts Diagnostic.related).

import type { Diagnostic } from '../../shared/api';

/** True when the diagnostic concerns `file`: raised there, or a macro body on the way is there. */
export function concernsFile(d: Diagnostic, file: string | null): boolean {
  return d.file === file || (d.related?.some((r) => r.file === file) ?? false);
}

/**
 * The files to blame: the one holding the call, and the one holding the macro body line at
 * fault (an included file of macros), each once.
 */
export function faultFiles(d: Diagnostic): string[] {
  const innermost = d.related?.at(-1);
  return innermost && innermost.file !== d.file ? [d.file, innermost.file] : [d.file];
}

/** The macro a related entry's message names ("... from macro `inner' defined here"). */
export function macroName(message: string): string | undefined {
  return /`([^']*)'/.exec(message)?.[1];
}

/** Where the fault really is, for one-line summaries: "in macro `m' at defs.inc:3". */
export function faultPlace(d: Diagnostic): string | undefined {
  const innermost = d.related?.at(-1);
  if (!innermost) return undefined;
  const name = macroName(innermost.message);
  return `in macro ${name === undefined ? '' : `\`${name}' `}at ${innermost.file}:${innermost.line}`;
}
