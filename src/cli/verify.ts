import { DiskFileSource } from '../core/analysis/fileSource';
import { collectNeeds, expectationFromNeeds } from '../core/generate';
import { allPassed, formatVerifyText } from '../core/verify';
import { analyseWorkspace } from '../core/analysis/pipeline';
import { verifyHost } from '../platform/hostVerify';
import { DEFAULT_SETTINGS } from '../core/settings';
import { CliError, oneOf, parseCommandArgs } from './args';
import type { CliIo } from './lint';
import { SSH_FLAGS, sshTargetFromFlags } from './sshFlags';
import { stacksRootFlag, WORKSPACE_FLAGS, workspaceInputs } from './workspaceFlags';

export const VERIFY_USAGE =
  'nixos-homelab verify --ssh [USER@]HOST [--port N] [--identity FILE] [--ssh-option KEY=VALUE]... [--snapshot DIR] [--nix FILE]... [--release R] [--stacks-root DIR] [PATH...] [--format text|json]';

/**
 * `verify`: checks a NixOS host for what the stacks need (the same needs `generate` writes) with one read-only
 * script over one ssh connection. Exit 0 when every check passes, 1 otherwise, 2 when the host cannot be asked.
 */
export async function runVerify(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('verify', argv, {
    ...SSH_FLAGS,
    ...WORKSPACE_FLAGS,
    'stacks-root': { type: 'string' },
    format: { type: 'string' },
  });
  const format = oneOf('--format', values.format, ['text', 'json'] as const, 'text');
  const target = sshTargetFromFlags('verify', values);
  const { roots, nixFiles, snapshotDir, release } = workspaceInputs('verify', values, positionals, io.cwd);
  const stacksRoot = stacksRootFlag('verify', values['stacks-root']);

  const analysis = analyseWorkspace({ roots, nixFiles, snapshotDir, ...(release ? { release } : {}), settings: DEFAULT_SETTINGS }, new DiskFileSource());
  const needs = collectNeeds(analysis, { workspaceRoot: roots[0] ?? io.cwd, ...(stacksRoot ? { stacksRoot } : {}), mountRoots: DEFAULT_SETTINGS.mountRoots });
  const expectation = expectationFromNeeds(needs);
  const verified = await verifyHost(target, expectation);
  if (!verified.ok) throw new CliError(`verify: ${verified.error.message}`);
  const { report } = verified;
  io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatVerifyText(report));
  return allPassed(report) ? 0 : 1;
}
