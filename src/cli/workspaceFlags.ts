import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from './args';

/** The flags `lint`, `generate` and `verify` share for what to analyse (with the PATH arguments). */
export const WORKSPACE_FLAGS = {
  nix: { type: 'string', multiple: true },
  snapshot: { type: 'string' },
} as const;

export interface WorkspaceFlagValues {
  nix?: string[] | undefined;
  snapshot?: string | undefined;
  release?: string | undefined;
}

/** What to analyse, resolved against the current folder and checked to exist. */
export interface WorkspaceInputs {
  roots: string[];
  nixFiles: string[];
  snapshotDir: string | undefined;
  release: string | undefined;
}

/**
 * The PATH arguments (default: the current folder), `--nix FILE`, `--snapshot DIR` and `--release R` of `command`:
 * a release that is not `24.11`-shaped or a path that does not exist is a usage error (exit 2) naming the flag.
 */
export function workspaceInputs(command: string, values: WorkspaceFlagValues, positionals: readonly string[], cwd: string): WorkspaceInputs {
  if (values.release !== undefined && !/^\d{2}\.\d{2}$/.test(values.release)) throw new CliError(`${command}: --release must look like 24.11 (got "${values.release}")`);
  const roots = (positionals.length ? positionals : ['.']).map((p) => path.resolve(cwd, p));
  for (const root of roots) if (!fs.existsSync(root)) throw new CliError(`${command}: ${path.relative(cwd, root) || root}: no such file or folder`);
  const nixFiles = (values.nix ?? []).map((file) => path.resolve(cwd, file));
  for (const file of nixFiles) if (!fs.existsSync(file)) throw new CliError(`${command}: --nix ${file}: no such file`);
  const snapshotDir = values.snapshot === undefined ? undefined : path.resolve(cwd, values.snapshot);
  if (snapshotDir && !fs.existsSync(snapshotDir)) throw new CliError(`${command}: --snapshot ${values.snapshot}: no such folder (run \`nixos-homelab extract\` first)`);
  return { roots, nixFiles, snapshotDir, release: values.release };
}

/**
 * `--stacks-root DIR` of `generate` and `verify`: where the stacks live on the NixOS host, so an absolute path
 * there (it names the host's folders, not this machine's), without trailing slashes; undefined when not given.
 */
export function stacksRootFlag(command: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!value.startsWith('/') || /[\0-\x1f]/.test(value)) {
    throw new CliError(`${command}: --stacks-root must be an absolute path on the NixOS host, e.g. /home/palav/homelab (got "${value}")`);
  }
  return value.replace(/\/+$/, '') || '/';
}
