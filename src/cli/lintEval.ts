/**
 * `lint --eval`: evaluates each host's configuration with Nix (src/platform/nixEval.ts) before the analysis, so the
 * analysis merges the evaluated values into the static model (core/evaluation/merge.ts). The CLI is trusted by being
 * run; the editor evaluates in trusted workspaces only (src/server/evaluation.ts).
 */
import { analyseWorkspace } from '../core/analysis/pipeline';
import { evaluationTarget, failedParts, type HostEvaluation } from '../core/evaluation';
import type { FileSource } from '../core/analysis/fileSource';
import { hostKey } from '../core/analysis/nixosHosts';
import type { WorkspaceOptions } from '../core/analysis/types';
import { defaultCacheDir, evaluateHost } from '../platform/nixEval';
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
 * up to a few GB). Returns the evaluations by host key and one notice per host: evaluated (and what was left to the
 * static reading), or why not.
 */
export async function evaluateHosts(options: WorkspaceOptions, disk: FileSource, choice: EvalChoice): Promise<{ evaluations: Map<string, HostEvaluation>; notices: string[] }> {
  const analysis = analyseWorkspace(options, disk);
  const evaluations = new Map<string, HostEvaluation>();
  const notices: string[] = [];
  const cacheDir = defaultCacheDir();
  for (const [index, host] of analysis.hosts.entries()) {
    const target = evaluationTarget(host, analysis.files.flakeFiles);
    const outcome = await evaluateHost(target, { timeoutMs: choice.timeoutMs, allowFetch: choice.allowFetch, includes: choice.includes, cacheDir, extraFiles: analysis.configurations[index]?.files ?? [] });
    if (outcome.kind === 'failed') {
      notices.push(outcome.notice);
      continue;
    }
    evaluations.set(hostKey(host), outcome.evaluation);
    const failed = failedParts(outcome.evaluation.projection);
    const how = outcome.cached ? 'cached' : `${(outcome.durationMs / 1000).toFixed(1)} s`;
    const left = failed.length ? `; these failed to evaluate and were read statically: ${failed.slice(0, 8).join(', ')}${failed.length > 8 ? ` and ${failed.length - 8} more` : ''}` : '';
    notices.push(`host ${host.name}: values evaluated by Nix (${outcome.evaluation.command}, ${how})${left}`);
  }
  return { evaluations, notices };
}
