/**
 * `lint --eval`: evaluates each host's configuration with Nix (src/platform/nixEval.ts) before the analysis, so the
 * analysis merges the evaluated values into the static model (core/evaluation/merge.ts). The CLI is trusted by being
 * run; the editor evaluates in trusted workspaces only (src/server/evaluation.ts).
 */
import { analyseWorkspace } from '../core/analysis/pipeline';
import * as path from 'node:path';
import { evaluationTarget, failedParts, type HostEvaluation } from '../core/evaluation';
import { hostsOnlyNixFinds, isNixOnlyHost, nixOnlyHost } from '../core/analysis/nixOnlyHosts';
import type { FileSource } from '../core/analysis/fileSource';
import { hostKey } from '../core/analysis/nixosHosts';
import type { NixosHost, WorkspaceOptions } from '../core/analysis/types';
import { defaultCacheDir, evaluateHost, listFlakeHosts } from '../platform/nixEval';
import { CliError } from './args';

export const EVAL_FLAGS = {
  eval: { type: 'boolean' },
  'no-eval': { type: 'boolean' },
  'eval-timeout': { type: 'string' },
  'eval-fetch': { type: 'boolean' },
  'eval-include': { type: 'string', multiple: true },
} as const;

export interface EvalChoice {
  enabled: boolean;
  timeoutMs: number;
  allowFetch: boolean;
  includes: string[];
}

const DEFAULT_TIMEOUT_SECONDS = 60;

/** Reads and checks the `--eval*` flags (off unless `--eval`; `--no-eval` wins, for scripts that append flags). */
export function evalChoice(values: { eval?: boolean; 'no-eval'?: boolean; 'eval-timeout'?: string; 'eval-fetch'?: boolean; 'eval-include'?: string[] }): EvalChoice {
  const timeout = values['eval-timeout'];
  if (timeout !== undefined && !/^\d+(\.\d+)?$/.test(timeout)) throw new CliError(`--eval-timeout takes a number of seconds (got "${timeout}")`);
  const seconds = timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(timeout);
  if (seconds <= 0) throw new CliError('--eval-timeout must be more than 0 seconds');
  for (const include of values['eval-include'] ?? []) if (include.trim() === '') throw new CliError('--eval-include needs a search path entry (nixpkgs=/path/to/nixpkgs)');
  return { enabled: Boolean(values.eval) && !values['no-eval'], timeoutMs: Math.round(seconds * 1000), allowFetch: Boolean(values['eval-fetch']), includes: values['eval-include'] ?? [] };
}

/**
 * Evaluates every host the static analysis finds, one child process at a time (a NixOS evaluation takes a core and
 * up to a few GB), then the hosts Nix lists for each flake that the static reader did not find (`mapAttrs mkHost`
 * over something it cannot read, flake-parts): those are checked against their evaluated values only. Returns the
 * evaluations by host key, the hosts known only from Nix, and the notices: each host evaluated (and what was left
 * to the static reading), or why not.
 */
export async function evaluateHosts(options: WorkspaceOptions, disk: FileSource, choice: EvalChoice): Promise<{ evaluations: Map<string, HostEvaluation>; nixOnlyHosts: NixosHost[]; notices: string[] }> {
  const analysis = analyseWorkspace(options, disk);
  const evaluations = new Map<string, HostEvaluation>();
  const notices: string[] = [];
  const cacheDir = defaultCacheDir();
  const evaluate = async (host: NixosHost, extraFiles: readonly string[], label: string): Promise<HostEvaluation | undefined> => {
    const target = evaluationTarget(host, analysis.files.flakeFiles);
    const outcome = await evaluateHost(target, { timeoutMs: choice.timeoutMs, allowFetch: choice.allowFetch, includes: choice.includes, cacheDir, extraFiles });
    if (outcome.kind === 'failed') {
      notices.push(outcome.notice);
      return undefined;
    }
    evaluations.set(hostKey(host), outcome.evaluation);
    const failed = failedParts(outcome.evaluation.projection);
    const how = outcome.cached ? 'cached' : `${(outcome.durationMs / 1000).toFixed(1)} s`;
    const listed = `${failed.slice(0, 8).join(', ')}${failed.length > 8 ? ` and ${failed.length - 8} more` : ''}`;
    const left = failed.length === 0 ? '' : isNixOnlyHost(host) ? `; not checked, since these failed to evaluate and no module of it was read: ${listed}` : `; these failed to evaluate and were read statically: ${listed}`;
    notices.push(`host ${label}: values evaluated by Nix (${outcome.evaluation.command}, ${how})${left}`);
    return outcome.evaluation;
  };
  for (const [index, host] of analysis.hosts.entries()) await evaluate(host, analysis.configurations[index]?.files ?? [], host.name);

  // Hosts from Nix: names only (cheap), for each flake; those the static reader missed are evaluated too.
  const nixOnlyHosts: NixosHost[] = [];
  if (options.nixFiles?.length) return { evaluations, nixOnlyHosts, notices };
  for (const flake of analysis.files.flakeFiles) {
    const flakeDir = path.dirname(flake);
    const listed = await listFlakeHosts(flakeDir, { timeoutMs: choice.timeoutMs, allowFetch: choice.allowFetch, cacheDir });
    if ('notice' in listed) {
      // A host of this flake that failed to evaluate has said why already (a missing input, a syntax error).
      const ofFlake = analysis.hosts.filter((host) => host.entry.startsWith(`${flakeDir}${path.sep}`));
      if (ofFlake.every((host) => evaluations.has(hostKey(host)))) notices.push(listed.notice);
      continue;
    }
    const found = hostsOnlyNixFinds(listed.names, analysis.hosts, flakeDir);
    notices.push(...found.notices);
    for (const name of found.hosts) {
      const host = nixOnlyHost(name, flakeDir);
      if (await evaluate(host, [], `${name} (found by Nix)`)) nixOnlyHosts.push(host);
    }
  }
  return { evaluations, nixOnlyHosts, notices };
}
