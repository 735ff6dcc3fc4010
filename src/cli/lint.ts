import * as fs from 'node:fs';
import * as path from 'node:path';
import { createDiskHost } from '../core/fileHost';
import { initNixParser } from '../core/nix';
import { ruleById } from '../core/rules';
import type { Finding } from '../core/types';
import { analyseWorkspace } from '../core/workspace';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { CliError, oneOf, parseCommandArgs } from './args';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';

export const LINT_USAGE = 'nixos-homelab lint [PATH...] [--nix FILE]... [--snapshot DIR] [--release 24.11] [--format text|json|sarif] [--fix]';

export interface CliIo {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  color: boolean;
  version: string;
}

/** `lint`: analyse, print findings, exit 1 when an error-severity finding remains. */
export async function runLint(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('lint', argv, {
    nix: { type: 'string', multiple: true },
    snapshot: { type: 'string' },
    release: { type: 'string' },
    format: { type: 'string' },
    fix: { type: 'boolean' },
  });
  const format = oneOf('--format', values.format, ['text', 'json', 'sarif'] as const, 'text');
  if (values.release !== undefined && !/^\d{2}\.\d{2}$/.test(values.release)) throw new CliError(`--release must look like 24.11 (got "${values.release}")`);
  const roots = (positionals.length ? positionals : ['.']).map((p) => path.resolve(io.cwd, p));
  for (const root of roots) if (!fs.existsSync(root)) throw new CliError(`lint: ${path.relative(io.cwd, root) || root}: no such file or folder`);
  const nixFiles = (values.nix ?? []).map((file) => path.resolve(io.cwd, file));
  for (const file of nixFiles) if (!fs.existsSync(file)) throw new CliError(`--nix ${file}: no such file`);
  const snapshotDir = values.snapshot === undefined ? undefined : path.resolve(io.cwd, values.snapshot);
  if (snapshotDir && !fs.existsSync(snapshotDir)) throw new CliError(`--snapshot ${values.snapshot}: no such folder (run \`nixos-homelab extract\` first)`);
  if (values.fix) throw new CliError('lint --fix: quick fixes are not available in this build yet');

  await initNixParser();
  const host = createDiskHost();
  const analysis = analyseWorkspace({ roots, nixFiles, snapshotDir, release: values.release, settings: DEFAULT_SETTINGS }, host);
  const findings = analysis.findings;
  const isFixable = (finding: Finding): boolean => ruleById(finding.code)?.fixable?.(finding.data) ?? false;
  if (format === 'json') io.stdout(formatJson(findings, { cwd: io.cwd, isFixable }));
  else if (format === 'sarif') io.stdout(formatSarif(findings, { cwd: io.cwd, version: io.version }));
  else io.stdout(formatText(findings, { cwd: io.cwd, color: io.color, isFixable }));
  return findings.some((finding) => finding.severity === 'error') ? 1 : 0;
}
