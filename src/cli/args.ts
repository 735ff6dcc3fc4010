import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage or I/O problem: printed as one line on stderr, exit status 2. */
export class CliError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict parsing: unknown flags and missing values are usage errors with a one-line message. */
export function parseCommandArgs<T extends Options>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's messages run over several lines (advice on `--`); the contract is one line on stderr.
    const message = (error as Error).message.split('\n').map((line) => line.trim()).filter(Boolean).join(' ').replace(/\. To specify a positional argument.*$/s, '');
    throw new CliError(`${command}: ${message}`);
  }
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CliError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}
