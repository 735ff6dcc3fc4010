import { validateSshTarget, type SshTarget } from '../platform/ssh';
import { printable } from '../platform/sshOptions';
import { CliError } from './args';

/** The flags `extract` and `verify` share for reaching a host over SSH. */
export const SSH_FLAGS = {
  ssh: { type: 'string' },
  port: { type: 'string' },
  identity: { type: 'string' },
  'ssh-option': { type: 'string', multiple: true },
} as const;

export interface SshFlagValues {
  ssh?: string | undefined;
  port?: string | undefined;
  identity?: string | undefined;
  'ssh-option'?: string[] | undefined;
}

/** Validates the SSH flags into a target; a refused value is a usage error (exit 2) with ssh's advice. */
export function sshTargetFromFlags(command: string, values: SshFlagValues): SshTarget {
  if (values.ssh === undefined) throw new CliError(`${command}: --ssh [USER@]HOST is required`);
  const checked = validateSshTarget({
    destination: values.ssh,
    ...(values.port !== undefined ? { port: values.port } : {}),
    ...(values.identity !== undefined ? { identityFile: values.identity } : {}),
    sshOptions: values['ssh-option'] ?? [],
  });
  if (!checked.ok) throw new CliError(`${command}: ${checked.error.message}`);
  return checked.target;
}

/** Flags that make sense only with --ssh. */
export function rejectSshOnlyFlags(command: string, values: SshFlagValues): void {
  for (const flag of ['port', 'identity', 'ssh-option'] as const) {
    if (values[flag] !== undefined) throw new CliError(`${command}: --${flag} needs --ssh`);
  }
}

/**
 * Refuses a flag value holding control characters (a CR would rewrite the terminal line the error is shown on),
 * showing it escaped, JSON-style: `--user "pa\rlav"`.
 */
export function rejectControlCharacters(command: string, flag: string, values: readonly string[] | undefined): void {
  for (const value of values ?? []) {
    if (/[\0-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]/.test(value)) {
      throw new CliError(`${command}: --${flag} "${printable(value)}" contains a control character (line break, escape…); give the plain value`);
    }
  }
}
