import * as path from 'node:path';
import { findMainComposeFile, isComposeOverrideName } from './compose';
import type { ComposeProject } from './compose/model';
import type { DiscoveredFiles } from './discovery';
import type { DiskHost } from './fileHost';
import { loadSnapshotDir } from './host';
import type { HostSnapshot } from './host/model';
import { evaluatedRelease, type HostEvaluation } from './evaluation/schema';
import type { NixConfiguration } from './nix/model';
import type { HostRef, NixosHost } from './nixosHosts';
import type { Placement } from './stackPlacement';
import { NEWEST_STABLE_RELEASE } from './nix/nixosDefaults';
import { INPUT_FINDINGS, type Rule, type RuleFinding } from './rules';
import { configuredSeverity } from './rules/ruleAliases';
import { capSeverity } from './rules/unreadableModules';
import { problemText } from './messages';
import { FILE_START, sameRange } from './text';
import type { Finding, FindingData, Severity } from './types';
import type { Settings } from './settings';

/** What to analyse and how; the CLI fills it from flags, the language server from settings and workspace folders. */
export interface WorkspaceOptions {
  /** Folders (or files) searched for compose and Nix files. */
  roots: string[];
  /** Explicit entry modules (`--nix`); otherwise `settings.nixosConfiguration`, `configuration.nix` files, flake modules. */
  nixFiles?: string[];
  /** Snapshot folder; relative paths resolve against the first root. */
  snapshotDir?: string;
  /** Release override (`--release`); otherwise settings, flake.lock, newest known. */
  release?: string;
  /** The host every stack is checked against (`--host NAME`); otherwise `settings.host`, then stackPlacement.ts. */
  host?: string;
  /** What Nix evaluated, by host (nixosHosts.ts `hostKey`): merged into the static model (`lint --eval`). */
  evaluations?: ReadonlyMap<string, HostEvaluation>;
  settings: Settings;
}

export interface WorkspaceAnalysis {
  projects: ComposeProject[];
  configurations: NixConfiguration[];
  /** For each compose file: the entry module it was checked against. */
  entryForProject: Map<string, string>;
  /** The hosts found (nixosHosts.ts), each with a configuration in `configurations`. */
  hosts: NixosHost[];
  /** Each stack's host, or why it has none, by its main compose file (stackPlacement.ts). */
  placements: Map<string, Placement>;
  snapshot: HostSnapshot | undefined;
  release: string;
  releaseSource: string;
  findings: Finding[];
  files: DiscoveredFiles;
}

/**
 * When the analysis found nothing to check — no compose file and no NixOS configuration — says so, naming what it
 * looked for and what it did find (a flake whose modules it could not list); undefined when there is something.
 */
export function nothingToCheck(analysis: Pick<WorkspaceAnalysis, 'files' | 'configurations'>, roots: readonly string[]): string | undefined {
  if (analysis.files.composeFiles.length > 0 || analysis.configurations.length > 0) return undefined;
  const where = roots.join(', ');
  const flakes = analysis.files.flakeFiles.length;
  const flakeNote = flakes > 0 ? `; ${flakes === 1 ? 'a flake.nix was found, but it lists' : `${flakes} flake.nix files were found, but they list`} no module by path (name the host's entry module with --nix FILE)` : '';
  return `found no compose file (compose.yaml, docker-compose.yml…) and no NixOS configuration (configuration.nix, or a module a flake.nix lists) in ${where}${flakeNote}`;
}

/**
 * When there are stacks but no NixOS configuration at all, the one notice for the workspace: the stacks were
 * checked on their own (variables, published ports), nothing was compared with a host. Undefined otherwise — also
 * when there is nothing to check at all (`nothingToCheck` says that).
 */
export function noConfigurationNotice(analysis: Pick<WorkspaceAnalysis, 'files' | 'configurations'>, roots: readonly string[]): string | undefined {
  if (analysis.configurations.length > 0 || analysis.files.composeFiles.length === 0) return undefined;
  const flakes = analysis.files.flakeFiles.length;
  const flakeNote = flakes > 0 ? ` (${flakes === 1 ? 'a flake.nix was found, but it lists' : `${flakes} flake.nix files were found, but they list`} no module by path)` : '';
  return (
    `no NixOS configuration found in ${roots.join(', ')}${flakeNote}: the compose files were checked on their own (variables, published ports); ` +
    'Docker, users and groups, mounts and GPUs were not compared with a NixOS host. Name the host\'s entry module with --nix FILE (in the editor: nixosHomelab.nixosConfiguration)'
  );
}

/** The NixOS release: flag/setting, else the nixpkgs branch pinned in flake.lock, else the newest known. */
export function detectRelease(files: DiscoveredFiles, options: WorkspaceOptions, host: DiskHost): { release: string; source: string } {
  const given = options.release || options.settings.nixosRelease;
  if (given) return { release: normalizeRelease(given), source: options.release ? '--release' : 'nixosHomelab.nixosRelease' };
  const evaluated = evaluatedRelease(options.evaluations?.values() ?? []);
  if (evaluated) return { release: normalizeRelease(evaluated), source: `system.nixos.release, evaluated (${evaluated})` };
  for (const lock of files.flakeLocks) {
    const branch = nixpkgsBranch(host.readText(lock));
    if (branch) return { release: normalizeRelease(branch), source: `${path.basename(path.dirname(lock))}/flake.lock (${branch})` };
  }
  return { release: NEWEST_STABLE_RELEASE, source: `newest stable release known (${NEWEST_STABLE_RELEASE})` };
}

function normalizeRelease(text: string): string {
  const match = /(\d{2}\.\d{2})/.exec(text);
  return match?.[1] ?? NEWEST_STABLE_RELEASE;
}

/** The `ref` of the nixpkgs input in a flake.lock, e.g. `nixos-25.05`. */
export function nixpkgsBranch(lockText: string | undefined): string | undefined {
  if (!lockText) return undefined;
  try {
    const lock = JSON.parse(lockText) as { nodes?: Record<string, { original?: { ref?: string }; inputs?: Record<string, unknown> }>; root?: string };
    const nodes = lock.nodes ?? {};
    const rootInputs = nodes[lock.root ?? 'root']?.inputs ?? {};
    const nixpkgsNode = typeof rootInputs['nixpkgs'] === 'string' ? rootInputs['nixpkgs'] : 'nixpkgs';
    return nodes[nixpkgsNode]?.original?.ref;
  } catch {
    return undefined;
  }
}

/** Effective severity of a rule, or undefined when the user turned it off. A former id of the rule counts too. */
export function severityOf(id: string, defaultSeverity: Severity, settings: Settings): Severity | undefined {
  const configured = configuredSeverity(settings.rules, id);
  if (configured === 'off') return undefined;
  return configured ?? defaultSeverity;
}

export function toFinding(rule: Pick<Rule, 'id' | 'defaultSeverity'>, found: RuleFinding, settings: Settings, severity?: Severity): Finding | undefined {
  const configured = severityOf(rule.id, severity ?? found.severity ?? rule.defaultSeverity, settings);
  if (!configured) return undefined;
  // A finding a module we did not read may answer is information at most, whatever the setting (unreadableModules.ts).
  const effective = capSeverity(configured, found.data);
  const finding: Finding = { code: rule.id, severity: effective, file: found.file, range: found.range, message: found.message, related: found.related, data: found.data };
  if (found.explanation !== undefined) finding.explanation = found.explanation;
  return finding;
}

/** Runs one rule, turning a crash into a single finding so one broken rule never hides the others. */
export function runRule<T>(rule: { id: string; check(ctx: T): RuleFinding[] }, ctx: T, fallbackFile: string): RuleFinding[] {
  try {
    return rule.check(ctx);
  } catch (error) {
    return [{ file: fallbackFile, range: FILE_START, message: `Internal error in rule ${rule.id}: ${(error as Error).message}`, explanation: 'Please report it; other rules still ran.', related: [] }];
  }
}

/** Loads the snapshot folder; a missing folder is no snapshot, a broken one a finding. */
export function loadWorkspaceSnapshot(options: WorkspaceOptions, host: DiskHost): { snapshot?: HostSnapshot; findings: Finding[] } {
  const base = path.resolve(options.roots[0] ?? '.');
  const dir = path.resolve(base, options.snapshotDir ?? options.settings.snapshotPath);
  const loaded = loadSnapshotDir(dir, host);
  const findings = loaded.problems
    .map((problem) => toFinding(INPUT_FINDINGS.snapshotError, { file: problem.file, range: problem.range, ...problemText(problem), related: [] }, options.settings))
    .filter((finding): finding is Finding => finding !== undefined);
  return { snapshot: loaded.snapshot, findings };
}

/**
 * One stack per folder, as `docker compose` run there sees it: the first main file in Compose's order of
 * preference (overrides are merged into it by the loader, never stacks of their own).
 */
export function stackMainFiles(composeFiles: string[], host: DiskHost): string[] {
  const mains = new Set<string>();
  for (const file of composeFiles) {
    if (isComposeOverrideName(path.basename(file))) continue;
    mains.add(findMainComposeFile(path.dirname(file), host) ?? file);
  }
  return [...mains];
}

/** With several hosts in one repository, say which host (and entry module) a stack was checked against. */
export function withEntryNote(found: RuleFinding, nix: NixConfiguration | undefined, entryCount: number, host?: HostRef): RuleFinding {
  if (!nix || entryCount < 2 || found.related.some((r) => r.location.file === nix.entry)) return found;
  const module = `${path.basename(path.dirname(nix.entry))}/${path.basename(nix.entry)}`;
  return { ...found, related: [...found.related, { location: { file: nix.entry, range: FILE_START }, message: host ? `checked against host ${host.name} (${module})` : `checked against ${module}` }] };
}

export function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = dedupeKey(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What makes two findings the same one; kept per finding object (the language server merges the same ones often). */
const dedupeKeys = new WeakMap<Finding, string>();
function dedupeKey(f: Finding): string {
  let key = dedupeKeys.get(f);
  if (key === undefined) {
    key = `${f.code}|${f.file}|${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}|${f.message}`;
    dedupeKeys.set(f, key);
  }
  return key;
}

/** Equal in everything a finding says (its data is JSON: numbers, strings, booleans, null, arrays of them). */
export function sameFinding(a: Finding, b: Finding): boolean {
  return (
    a.code === b.code &&
    a.severity === b.severity &&
    a.file === b.file &&
    sameRange(a.range, b.range) &&
    a.message === b.message &&
    a.explanation === b.explanation &&
    a.host?.name === b.host?.name &&
    a.host?.entry === b.host?.entry &&
    a.related.length === b.related.length &&
    a.related.every((r, i) => {
      const other = b.related[i];
      return other !== undefined && r.message === other.message && r.location.file === other.location.file && sameRange(r.location.range, other.location.range);
    }) &&
    sameData(a.data, b.data)
  );
}

function sameData(a: FindingData | undefined, b: FindingData | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  let count = 0;
  for (const key in a) {
    count++;
    const left = a[key];
    const right = b[key];
    if (left === right) continue;
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    for (let i = 0; i < left.length; i++) if (left[i] !== right[i]) return false;
  }
  for (const _key in b) count--;
  return count === 0;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
