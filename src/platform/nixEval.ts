/**
 * Runs Nix to evaluate one host's configuration (one child process per host) and returns the projection
 * (core/evaluation/projection.ts) or one notice saying why there is none. Never builds: import from derivation is
 * off, `--impure` is never passed, and `nix-instantiate --eval` stays read-only. Without `allowFetch`, flake inputs
 * that are not in the store are not fetched: `--offline`, and every download goes to a proxy that refuses it (Nix
 * 2.8's `--offline` alone still downloads a locked input that is missing), so Nix stops at once with its own
 * "unable to download" message, which becomes the notice that says how to fetch.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECTION } from '../core/evaluation/projection';
import { parseProjection, type HostEvaluation, type Projection } from '../core/evaluation/schema';
import { workspaceFileMapper } from '../core/evaluation/merge';
import { evaluationCacheKey, type EvaluationTarget } from '../core/evaluation/target';
import { runProcess } from './processRunner';

export interface NixEvalOptions {
  timeoutMs: number;
  /** Let Nix fetch flake inputs that are not in the store (`--eval-fetch`). */
  allowFetch: boolean;
  /** `-I` entries for a classic configuration (`nixpkgs=/path`), on top of NIX_PATH. */
  includes: readonly string[];
  /** The folder results are cached in (`evaluations/` under it); undefined: no cache. */
  cacheDir: string | undefined;
  signal?: AbortSignal;
  /** Modules the static reader followed (outside the target's folder too): part of the cache key. */
  extraFiles?: readonly string[];
  /** Whose knobs the notices name: the CLI's flags (default) or the editor's settings. */
  wording?: keyof typeof ADVICE;
}

/** What a notice tells the user to change, in the words of the CLI or of the editor. */
const ADVICE = {
  cli: { timeout: 'raise it with --eval-timeout SECONDS', fetch: 'or run again with --eval-fetch', include: ', or --eval-include nixpkgs=/path/to/nixpkgs', missing: 'install Nix or leave out --eval' },
  editor: { timeout: 'raise the setting nixosHomelab.evaluation.timeout', fetch: 'or allow it with the setting nixosHomelab.evaluation.allowFetch', include: ' in the environment the editor was started from', missing: 'install Nix or set nixosHomelab.evaluation.mode to off' },
} as const;

export type EvaluationOutcome =
  | { kind: 'evaluated'; evaluation: HostEvaluation; cached: boolean; durationMs: number }
  | { kind: 'failed'; host: string; notice: string };

/** Nix 2.4 brought `nix eval --apply` and flakes. */
const MINIMUM_NIX = [2, 4] as const;
/** Nix's messages are long (traces); the notice keeps the first lines of the error. */
const MESSAGE_LINES = 6;
/** Where downloads go when fetching is off: nothing listens on the discard port of this machine. */
const REFUSING_PROXY = 'http://127.0.0.1:9';

/** The cache folder the language server uses too: `$NIXOS_HOMELAB_CACHE_DIR`, else `$XDG_CACHE_HOME/nixos-homelab` (`~/.cache/…`). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['NIXOS_HOMELAB_CACHE_DIR'] ?? path.join(env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'nixos-homelab');
}

/** The command line that evaluates a target (also shown in messages). */
export function evaluationCommand(target: Exclude<EvaluationTarget, { kind: 'unsupported' }>, options: Pick<NixEvalOptions, 'allowFetch' | 'includes'>): { command: string; args: string[] } {
  const safety = ['--option', 'allow-import-from-derivation', 'false'];
  if (target.kind === 'flake') {
    const fetch = options.allowFetch ? [] : ['--offline', '--option', 'download-attempts', '1'];
    return {
      command: 'nix',
      args: ['--extra-experimental-features', 'nix-command flakes', 'eval', '--json', '--no-write-lock-file', ...fetch, ...safety, `${target.flakeDir}#nixosConfigurations.${attributeName(target.host)}`, '--apply', PROJECTION],
    };
  }
  const includes = options.includes.flatMap((include) => ['-I', include]);
  const expression = `(${PROJECTION}) (import <nixpkgs/nixos> { configuration = ${nixPath(target.entry)}; })`;
  return { command: 'nix-instantiate', args: ['--eval', '--strict', '--json', ...safety, ...includes, '--expr', expression] };
}

/** `nix eval /homelab#nixosConfigurations.nas` — the command as a person would type it, without the projection. */
export function describeCommand(target: Exclude<EvaluationTarget, { kind: 'unsupported' }>): string {
  return target.kind === 'flake' ? `nix eval ${target.flakeDir}#nixosConfigurations.${attributeName(target.host)}` : `nix-instantiate --eval '<nixpkgs/nixos>' --arg configuration ${target.entry}`;
}

/** The host names Nix lists for a flake: `nixosConfigurations`, and Colmena's nodes (`colmenaHive.nodes`, else `colmena` but `meta`/`defaults`). */
export interface FlakeHostNames {
  nixosConfigurations: string[];
  colmena: string[];
}

/** What each listing evaluates: names only, no configuration is evaluated. */
const HOST_LISTINGS = [
  { output: 'nixosConfigurations', apply: 'builtins.attrNames', kind: 'nixosConfigurations' },
  { output: 'colmenaHive', apply: 'hive: builtins.attrNames (hive.nodes or { })', kind: 'colmena' },
  { output: 'colmena', apply: 'hive: builtins.filter (name: name != "meta" && name != "defaults") (builtins.attrNames hive)', kind: 'colmena' },
] as const;

/**
 * Lists a flake's hosts with Nix (`nix eval --json <flake>#nixosConfigurations --apply builtins.attrNames`, and the
 * Colmena outputs when flake.nix mentions Colmena), with the safety flags of an evaluation (no import from
 * derivation, no fetching unless allowed, the time limit). An output the flake does not have lists nothing; any other
 * failure is a notice (Nix's message); without a Nix that can (absent, older than 2.4) nothing is listed and nothing
 * said — the evaluation of the hosts says it. Never rejects.
 *
 * A listing is cached as an evaluation is (`cacheDir`), under the same key with no host: the flake's `.nix` files
 * and `flake.lock` and Nix's version; a failed listing is not kept.
 */
export async function listFlakeHosts(
  flakeDir: string,
  options: Pick<NixEvalOptions, 'timeoutMs' | 'allowFetch' | 'signal' | 'wording'> & { cacheDir?: string | undefined },
): Promise<{ names: FlakeHostNames; cached: boolean } | { notice: string }> {
  const names: FlakeHostNames = { nixosConfigurations: [], colmena: [] };
  let flakeText = '';
  try {
    flakeText = fs.readFileSync(path.join(flakeDir, 'flake.nix'), 'utf8');
  } catch {
    /* Nix says why */
  }
  const version = await nixVersion('nix', options.signal);
  // Said already by the evaluation of the hosts (the one notice when Nix is absent).
  if ('missing' in version || olderThan(version.parts, MINIMUM_NIX)) return { names, cached: false };
  const target = { kind: 'flake' as const, host: '', flakeDir };
  const cacheFileNow = (): string | undefined =>
    options.cacheDir
      ? path.join(options.cacheDir, 'evaluations', `${evaluationCacheKey(target, { nixPath: process.env['NIX_PATH'] ?? '', includes: [], extraFiles: [], nixVersion: version.text })}.hosts.json`)
      : undefined;
  const cacheFile = cacheFileNow();
  const cached = cacheFile ? readCachedHostNames(cacheFile) : undefined;
  if (cached) return { names: cached, cached: true };
  for (const listing of HOST_LISTINGS) {
    if (listing.kind === 'colmena' && (!/colmena/i.test(flakeText) || names.colmena.length > 0)) continue;
    const fetch = options.allowFetch ? [] : ['--offline', '--option', 'download-attempts', '1'];
    const args = ['--extra-experimental-features', 'nix-command flakes', 'eval', '--json', '--no-write-lock-file', ...fetch, '--option', 'allow-import-from-derivation', 'false', `${flakeDir}#${listing.output}`, '--apply', listing.apply];
    const outcome = await runProcess({ command: 'nix', args, stdin: '', timeoutMs: options.timeoutMs, env: options.allowFetch ? {} : refusingProxy(), ...(options.signal ? { signal: options.signal } : {}) });
    const describe = `nix eval ${flakeDir}#${listing.output}`;
    if (outcome.kind !== 'exited') return { notice: `the hosts of ${flakeDir} were not listed by Nix (${describe}: ${outcome.kind === 'timeout' ? `it took longer than ${Math.round(options.timeoutMs / 1000)} s` : outcome.kind === 'spawn-error' ? outcome.message : outcome.kind})` };
    // The flake has no such output: nothing to list (Nix 2.8: "flake '…' does not provide attribute '…'").
    if (outcome.exitCode !== 0 && /does not provide attribute/.test(outcome.stderr)) continue;
    if (outcome.exitCode !== 0) return { notice: `the hosts of ${flakeDir} were not listed by Nix (${describe}): ${explainFailure(outcome.stderr, target, options)}` };
    let listed: unknown;
    try {
      listed = JSON.parse(outcome.stdout);
    } catch {
      listed = undefined;
    }
    if (!Array.isArray(listed) || !listed.every((name) => typeof name === 'string')) return { notice: `the hosts of ${flakeDir} were not listed by Nix (${describe} printed no list of names)` };
    names[listing.kind].push(...(listed as string[]));
  }
  // A file saved while Nix listed may or may not have been read by it: such a listing is not kept.
  if (cacheFile && cacheFileNow() === cacheFile) writeCached(cacheFile, names);
  return { names, cached: false };
}

function readCachedHostNames(file: string): FlakeHostNames | undefined {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    const names = parsed as Partial<Record<keyof FlakeHostNames, unknown>>;
    const isNames = (value: unknown): value is string[] => Array.isArray(value) && value.every((name) => typeof name === 'string');
    return typeof parsed === 'object' && parsed !== null && isNames(names.nixosConfigurations) && isNames(names.colmena) ? { nixosConfigurations: names.nixosConfigurations, colmena: names.colmena } : undefined;
  } catch {
    return undefined;
  }
}

function refusingProxy(): Record<string, string> {
  return { http_proxy: REFUSING_PROXY, https_proxy: REFUSING_PROXY, all_proxy: REFUSING_PROXY, HTTP_PROXY: REFUSING_PROXY, HTTPS_PROXY: REFUSING_PROXY, ALL_PROXY: REFUSING_PROXY, no_proxy: '', NO_PROXY: '' };
}

/** Evaluates one host; never rejects. */
export async function evaluateHost(target: EvaluationTarget, options: NixEvalOptions): Promise<EvaluationOutcome> {
  if (target.kind === 'unsupported') return { kind: 'failed', host: target.host, notice: `host ${target.host}: not evaluated — ${target.reason}; the static checks ran` };
  const started = Date.now();
  const described = describeCommand(target);
  const fail = (why: string): EvaluationOutcome => ({ kind: 'failed', host: target.host, notice: `host ${target.host}: evaluation failed (${described}): ${why}; the static checks ran` });
  const program = target.kind === 'flake' ? 'nix' : 'nix-instantiate';
  const advice = ADVICE[options.wording ?? 'cli'];

  const version = await nixVersion(program, options.signal);
  if ('missing' in version) return { kind: 'failed', host: target.host, notice: `host ${target.host}: not evaluated — \`${program}\` is not on PATH (${version.missing}); ${advice.missing}. The static checks ran` };
  if (target.kind === 'flake' && olderThan(version.parts, MINIMUM_NIX)) return fail(`Nix ${version.text} is too old: evaluating a flake needs Nix ${MINIMUM_NIX.join('.')} or newer`);

  const mapper = workspaceFileMapper(target.kind === 'flake' ? target.flakeDir : undefined, (file) => fs.existsSync(file));
  const toEvaluation = (projection: Projection): HostEvaluation => ({ host: target.host, projection, command: described, workspaceFile: mapper });
  const cacheFileNow = (): string | undefined =>
    options.cacheDir
      ? path.join(options.cacheDir, 'evaluations', `${evaluationCacheKey(target, { nixPath: process.env['NIX_PATH'] ?? '', includes: options.includes, extraFiles: options.extraFiles ?? [], nixVersion: version.text })}.json`)
      : undefined;
  const cacheFile = cacheFileNow();
  const cached = cacheFile ? readCached(cacheFile) : undefined;
  if (cached) return { kind: 'evaluated', evaluation: toEvaluation(cached), cached: true, durationMs: Date.now() - started };

  const { command, args } = evaluationCommand(target, options);
  const env: Record<string, string> = options.allowFetch ? {} : refusingProxy();
  const outcome = await runProcess({ command, args, stdin: '', timeoutMs: options.timeoutMs, env, ...(options.signal ? { signal: options.signal } : {}) });
  switch (outcome.kind) {
    case 'spawn-error':
      return { kind: 'failed', host: target.host, notice: `host ${target.host}: not evaluated — \`${command}\` could not be started (${outcome.message}); the static checks ran` };
    case 'timeout':
      return fail(`it took longer than ${Math.round(options.timeoutMs / 1000)} s and was stopped (${advice.timeout})`);
    case 'cancelled':
      return fail('cancelled');
    case 'output-too-large':
      return fail('Nix printed more than expected');
    case 'exited':
      break;
  }
  if (outcome.exitCode !== 0) return fail(explainFailure(outcome.stderr, target, options));
  const parsed = parseProjection(outcome.stdout);
  if ('error' in parsed) return fail(parsed.error);
  // A file saved while Nix ran may or may not have been read by it: such a result is not kept under either key.
  if (cacheFile && cacheFileNow() === cacheFile) writeCached(cacheFile, parsed.projection);
  return { kind: 'evaluated', evaluation: toEvaluation(parsed.projection), cached: false, durationMs: Date.now() - started };
}

/** Nix's own error (its first lines, without the warnings before it), and what to do when we can tell. */
export function explainFailure(stderr: string, target: Exclude<EvaluationTarget, { kind: 'unsupported' }>, options: Pick<NixEvalOptions, 'allowFetch' | 'wording'>): string {
  const advice = ADVICE[options.wording ?? 'cli'];
  const lines = stderr.split('\n').map((line) => line.replace(/\s+$/, ''));
  const start = lines.findIndex((line) => /^error\b/.test(line));
  const kept = (start >= 0 ? lines.slice(start) : lines.filter((line) => !/^warning:/.test(line)))
    .filter((line) => line.trim() !== '' && !/use '--show-trace'/.test(line))
    .slice(0, MESSAGE_LINES)
    .map((line) => line.trim());
  const message = kept.length ? `\`${kept.join(' ⏎ ')}\`` : 'Nix gave no message';
  if (!options.allowFetch && /unable to download|cannot download|Couldn't connect to server|Could not resolve host|not valid in offline mode|offline mode/i.test(stderr)) {
    const where = target.kind === 'flake' ? target.flakeDir : path.dirname(target.entry);
    return `${message} — an input is not in the Nix store and fetching is off: fetch the inputs once with \`nix flake archive ${where}\` (or build the host once), ${advice.fetch}`;
  }
  if (/was not found in the Nix search path/.test(stderr)) return `${message} — put nixpkgs on the search path: NIX_PATH=nixpkgs=/path/to/nixpkgs${advice.include}`;
  if (/allow-import-from-derivation|import from derivation/i.test(stderr)) return `${message} — the configuration imports from a derivation, which needs a build; evaluation never builds`;
  if (target.kind === 'flake' && insideGitRepository(target.flakeDir) && /-source\/.*(No such file|does not exist)/.test(stderr)) return `${message} — a flake in a Git repository sees only the files Git tracks: \`git add\` new modules`;
  return message;
}

/** Whether a folder lies in a Git work tree: Nix then copies only the files Git tracks. */
function insideGitRepository(dir: string): boolean {
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return true;
    if (path.dirname(current) === current) return false;
  }
}

/** `nas` or `"my host"` as a Nix attribute name in an installable. */
function attributeName(name: string): string {
  return /^[A-Za-z_][\w'-]*$/.test(name) ? name : JSON.stringify(name);
}

/** An absolute path as a Nix expression that survives spaces and quotes: `/. + "/home/me/configuration.nix"`. */
function nixPath(file: string): string {
  return `(/. + ${JSON.stringify(file).replace(/\$\{/g, '\\${')})`;
}

async function nixVersion(program: string, signal: AbortSignal | undefined): Promise<{ text: string; parts: number[] } | { missing: string }> {
  const outcome = await runProcess({ command: program, args: ['--version'], stdin: '', timeoutMs: 10_000, ...(signal ? { signal } : {}) });
  if (outcome.kind === 'spawn-error') return { missing: outcome.code === 'ENOENT' ? 'not found' : outcome.message };
  if (outcome.kind !== 'exited' || outcome.exitCode !== 0) return { missing: 'it did not answer `--version`' };
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(outcome.stdout);
  if (!match) return { text: outcome.stdout.trim(), parts: [] };
  return { text: match[0], parts: match.slice(1).filter((part) => part !== undefined).map(Number) };
}

function olderThan(parts: number[], minimum: readonly number[]): boolean {
  for (let i = 0; i < minimum.length; i++) {
    const have = parts[i] ?? 0;
    const need = minimum[i] ?? 0;
    if (have !== need) return have < need;
  }
  return false;
}

function readCached(file: string): Projection | undefined {
  try {
    const parsed = parseProjection(fs.readFileSync(file, 'utf8'));
    return 'projection' in parsed ? parsed.projection : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort, atomic (another run may read it meanwhile); a failed write only costs the next run an evaluation. */
function writeCached(file: string, value: Projection | FlakeHostNames): void {
  const temporary = `${file}.${process.pid}.${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 8)}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, JSON.stringify(value));
    fs.renameSync(temporary, file);
  } catch {
    fs.rmSync(temporary, { force: true });
  }
}
