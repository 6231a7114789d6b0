// `vmlab asm FILE [-o OUT] [-l LISTING] [-f bin]`: NASM-syntax source to a flat binary, as nasm does it.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { assemble, formatListing } from '../../engine';
import { formatDiagnostic } from './diagnostics';
import { readInput } from './read-input';
import { onePositional, parse, UsageError } from './usage';

/** Reads %include and incbin files relative to the source's folder, as nasm does; undefined if missing. */
export function projectReader(source: string): (name: string) => Uint8Array | undefined {
  const base = dirname(source);
  return (name) => {
    for (const path of isAbsolute(name) ? [name] : [join(base, name), name]) {
      try {
        return new Uint8Array(readFileSync(path));
      } catch {
        // try the next place
      }
    }
    return undefined;
  };
}

export async function commandAsm(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    output: { type: 'string', short: 'o' },
    format: { type: 'string', short: 'f' },
    listing: { type: 'string', short: 'l' },
  });
  const file = onePositional(positionals, 'source FILE');
  if (values.format !== undefined && values.format !== 'bin') {
    throw new UsageError(`unsupported output format '${values.format}' (only bin)`);
  }
  const source = (await readInput(file)).toString('utf8');
  const result = assemble(source, { fileName: file, readFile: projectReader(file) });
  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  // nasm's exit status: 1 when there are errors, and then it writes no output.
  if (!result.ok) return 1;
  // nasm's default output name for -f bin: the input without its extension.
  const out =
    values.output ??
    (extname(file) ? file.slice(0, -extname(file).length) : `${basename(file)}.bin`);
  await writeFile(out, result.bytes);
  if (values.listing !== undefined) await writeFile(values.listing, formatListing(result));
  return 0;
}
