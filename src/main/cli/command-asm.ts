// `vmlab asm FILE [-o OUT]`: NASM-syntax source to a flat binary, diagnostics on stderr.
import { writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { assemble } from '../../engine';
import { formatDiagnostic } from './diagnostics';
import { readInput } from './read-input';
import { onePositional, parse, UsageError } from './usage';

export async function commandAsm(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    output: { type: 'string', short: 'o' },
    format: { type: 'string', short: 'f' },
  });
  const file = onePositional(positionals, 'source FILE');
  if (values.format !== undefined && values.format !== 'bin') {
    throw new UsageError(`unsupported output format '${values.format}' (only bin)`);
  }
  const source = (await readInput(file)).toString('utf8');
  const result = assemble(source, { fileName: file });
  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (!result.ok) return 1;
  // nasm's default output name for -f bin: the input without its extension.
  const out =
    values.output ??
    (extname(file) ? file.slice(0, -extname(file).length) : `${basename(file)}.bin`);
  await writeFile(out, result.bytes);
  return 0;
}
