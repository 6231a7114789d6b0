// Command-line parsing helpers: a bad flag or value is a UsageError with a clear message.
import { type ParseArgsConfig, parseArgs } from 'node:util';

export class UsageError extends Error {}

/** node:util parseArgs, with its errors turned into UsageError. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
): ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

/** Parses a whole non-negative number flag, refusing junk like '12abc' or '-3'. */
export function numberFlag(
  name: string,
  value: string | undefined,
  { min = 0, max = Number.MAX_SAFE_INTEGER, integer = true } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (
    value.trim() === '' ||
    !Number.isFinite(n) ||
    (integer && !Number.isInteger(n)) ||
    n < min ||
    n > max
  ) {
    throw new UsageError(
      `--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not '${value}'`,
    );
  }
  return n;
}

/** Exactly one positional FILE argument. */
export function onePositional(positionals: string[], what: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(
      `expected one ${what}, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`,
    );
  }
  return positionals[0]!;
}
