import * as path from 'node:path';
import { DiskFileSource } from '../core/analysis/fileSource';
import type { Finding } from '../core/types';
import { isFixable as isFindingFixable } from '../core/rules';
import { analyseWorkspace } from '../core/analysis/pipeline';
import { matchHost } from '../core/analysis/stackPlacement';
import { noConfigurationNotice, nothingToCheck } from '../core/analysis/notices';
import type { WorkspaceOptions } from '../core/analysis/types';
import { DEFAULT_SETTINGS } from '../core/settings';
import { CliError, oneOf, parseCommandArgs } from './args';
import { runLintFix } from './lintFix';
import { EVAL_FLAGS, evalChoice, evaluateHosts } from './lintEval';
import { WORKSPACE_FLAGS, workspaceInputs } from './workspaceFlags';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';

export const LINT_USAGE = 'nixos-homelab lint [PATH...] [--nix FILE]... [--host NAME] [--snapshot DIR] [--release 24.11] [--format text|json|sarif] [--fix [--fix-outside]] [--eval [--eval-timeout SECONDS] [--eval-fetch] [--eval-include NAME=PATH]... | --no-eval]';

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
    ...WORKSPACE_FLAGS,
    host: { type: 'string' },
    release: { type: 'string' },
    format: { type: 'string' },
    fix: { type: 'boolean' },
    'fix-outside': { type: 'boolean' },
    ...EVAL_FLAGS,
  });
  const evaluation = evalChoice(values);
  if (values['fix-outside'] && !values.fix) throw new CliError('lint: --fix-outside needs --fix');
  const format = oneOf('--format', values.format, ['text', 'json', 'sarif'] as const, 'text');
  const { roots, nixFiles, snapshotDir } = workspaceInputs('lint', values, positionals, io.cwd);

  if (values.host !== undefined && values.host.trim() === '') throw new CliError('--host needs a host name (e.g. nas) or the path of its entry module');
  // A host named by its entry module's path is relative to the current folder, like every other path argument.
  const hostName = values.host !== undefined && /[/\\]|\.nix$/.test(values.host) ? path.resolve(io.cwd, values.host) : values.host;
  const options: WorkspaceOptions = { roots, nixFiles, snapshotDir, release: values.release, host: hostName, settings: DEFAULT_SETTINGS };
  // `--eval`: what Nix evaluates for each host replaces the static guesses; a failure is one notice, never a stop.
  const evaluated = evaluation.enabled ? await evaluateHosts(options, new DiskFileSource(), evaluation) : undefined;
  if (evaluated) {
    options.evaluations = evaluated.evaluations;
    if (evaluated.nixOnlyHosts.length > 0) options.nixOnlyHosts = evaluated.nixOnlyHosts;
  }
  // An unknown --host is a usage error before anything is written, not after `--fix` has run.
  if (hostName !== undefined) assertKnownHost(hostName, values.host ?? '', analyseWorkspace(options, new DiskFileSource()).hosts, roots[0] ?? io.cwd, io.cwd);
  if (values.fix) {
    const run = runLintFix(options, new DiskFileSource(), io.cwd, { fixOutside: Boolean(values['fix-outside']) });
    // With json/sarif, stdout carries exactly one document: the fix report goes to stderr.
    const report = format === 'text' ? io.stdout : io.stderr;
    const lines = [...run.summary, ...run.outside, ...run.hints];
    report(lines.length ? `${lines.join('\n')}\n${format === 'text' ? '\n' : ''}` : `nothing to fix\n${format === 'text' ? '\n' : ''}`);
  }
  const host = new DiskFileSource();
  const analysis = analyseWorkspace(options, host);
  const findings = analysis.findings;
  const shownRoots = roots.map((root) => path.relative(io.cwd, root) || '.');
  // Nothing to check is an input error, not a clean bill: the user pointed us at the wrong folder.
  const notice = nothingToCheck(analysis, shownRoots);
  if (notice !== undefined) {
    io.stderr(`nixos-homelab: lint: ${notice}\n`);
    if (format === 'json') io.stdout(formatJson([], { cwd: io.cwd, isFixable: () => false, notices: [notice] }));
    else if (format === 'sarif') io.stdout(formatSarif([], { cwd: io.cwd, version: io.version, notices: [notice], checkedNothing: true }));
    return 2;
  }
  // Fixable = `--fix` would fix it (a preferred fix exists; the editor may offer more, such as binding a port to
  // 127.0.0.1). The rules answer from the finding's data — planning every edit made listing 1,000 findings take
  // a minute — and a test keeps their answer equal to what computeFixes returns.
  const fixContext = { hasConfiguration: analysis.configurations.length > 0 };
  const isFixable = (finding: Finding): boolean => isFindingFixable(finding, fixContext);
  // About the run as a whole, printed once (never a finding per stack): no configuration to compare the stacks with.
  const noConfiguration = noConfigurationNotice(analysis, shownRoots);
  const notices = [...(evaluated?.notices ?? []), ...(noConfiguration === undefined ? [] : [noConfiguration])];
  if (format === 'json') io.stdout(formatJson(findings, { cwd: io.cwd, isFixable, notices }));
  else if (format === 'sarif') io.stdout(formatSarif(findings, { cwd: io.cwd, version: io.version, notices }));
  else io.stdout(formatText(findings, { cwd: io.cwd, color: io.color, isFixable, notices }));
  return findings.some((finding) => finding.severity === 'error') ? 1 : 0;
}

function assertKnownHost(hostName: string, written: string, hosts: Parameters<typeof matchHost>[1], base: string, cwd: string): void {
  if (matchHost(hostName, hosts, base)) return;
  const known = hosts.map((host) => `${host.name} (${path.relative(cwd, host.entry)})`).join(', ');
  throw new CliError(`--host ${written}: no such host; ${known ? `the hosts found are ${known}` : 'no NixOS host was found'} — give a host's name or the path of its entry module`);
}
