// `vmlab disasm FILE [-b 16|32] [-o ORIGIN]`: a flat binary as ndisasm prints it.
import { disassemble, formatNdisasm } from '../../engine';
import { readInput } from './read-input';
import { onePositional, parse, UsageError } from './usage';

/** Parses an origin the way ndisasm accepts it: decimal, 0x hex or h-suffixed hex. */
function parseOrigin(text: string | undefined): number {
  if (text === undefined) return 0;
  const t = text.trim().toLowerCase();
  let n = Number.NaN;
  if (/^0x[0-9a-f]+$/.test(t)) n = Number.parseInt(t.slice(2), 16);
  else if (/^[0-9][0-9a-f]*h$/.test(t)) n = Number.parseInt(t.slice(0, -1), 16);
  else if (/^[0-9]+$/.test(t)) n = Number(t);
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff)
    throw new UsageError(`-o must be an address from 0 to 0xFFFFFFFF, not '${text}'`);
  return n;
}

export async function commandDisasm(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    bits: { type: 'string', short: 'b' },
    origin: { type: 'string', short: 'o' },
  });
  const file = onePositional(positionals, 'binary FILE');
  const bits = values.bits === undefined ? 16 : Number(values.bits);
  if (bits !== 16 && bits !== 32) throw new UsageError(`-b must be 16 or 32, not '${values.bits}'`);
  const origin = parseOrigin(values.origin);
  const bytes = new Uint8Array(await readInput(file));
  process.stdout.write(formatNdisasm(disassemble(bytes, { bits, origin })));
  return 0;
}
