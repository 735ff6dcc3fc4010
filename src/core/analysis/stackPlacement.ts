/**
 * Which host each stack is checked against, in this order:
 *
 * 1. the host the user named: `--host NAME` / `nixosHomelab.host` (NAME: a host's name — its flake or hive
 *    attribute, else its folder — or the path of its entry module), or the folder mapping `nixosHomelab.hosts`;
 * 2. the host whose configuration references the stack: a unit that runs Compose there (`WorkingDirectory`, `cd`,
 *    `-f`, `--project-directory`), or a path into the stack's folder anywhere in its modules (`imports` of the
 *    stack's .nix file, `${./compose.yaml}` in `ExecStart`, `environment.etc."…".source = ./stack`). A reference in
 *    a module several hosts import names none of them;
 * 3. the layout: the stack lies inside one host's folder (the deepest), or the repository has one host and deploys
 *    no stack through its configuration.
 *
 * Otherwise the stack has no host: "not deployed" when the configuration deploys other stacks (so this one is
 * deployed by none), "host unknown" when it deploys none (stacks are started by hand, on a host we cannot tell).
 */
import * as path from 'node:path';
import { composeUnits } from '../nix/composeUnits';
import type { NixConfiguration } from '../nix/model';
import { blankComments, pathLiterals } from '../nix/sourceScan';
import { LineIndex, type SourceLocation } from '../text';
import type { HostRef, NixosHost, Placement } from './types';

export interface PlacementOptions {
  /** The host named by `--host` or the setting, and where the name came from. */
  chosen?: { name: string; via: '--host' | 'nixosHomelab.host' };
  /** `nixosHomelab.hosts`: stack folder → entry module, relative to `base`. */
  folderMap: Record<string, string>;
  base: string;
}

/** A host as a finding names it. */
export function hostRef(host: NixosHost): HostRef {
  return { name: host.name, entry: host.entry };
}

/** The host a `--host`/setting value names: a host name, or a path to its entry module (relative to `base`). */
export function matchHost(name: string, hosts: readonly NixosHost[], base: string): NixosHost | undefined {
  const asPath = path.resolve(base, name);
  return hosts.find((host) => host.name === name) ?? hosts.find((host) => host.entry === asPath || host.folder === asPath);
}

interface Reference {
  host: NixosHost;
  /** The stack folder the reference points into (a local path), or the trailing folder names of a host path. */
  local?: string;
  tail?: string[];
  loc: SourceLocation;
  /** The module it is written in, as hosts share it (file, or file and span). */
  module: string;
  kind: 'unit' | 'reference';
  evaluated?: true;
}

/** Places every stack (by its main compose file); hosts must come with their loaded configurations. */
export function placeStacks(stackFiles: readonly string[], hosts: readonly NixosHost[], configurationOf: (host: NixosHost) => NixConfiguration | undefined, options: PlacementOptions): Map<string, Placement> {
  const placements = new Map<string, Placement>();
  const references = hosts.flatMap((host) => {
    const nix = configurationOf(host);
    return nix ? referencesOf(host, nix) : [];
  });
  const hostsOfModule = new Map<string, Set<NixosHost>>();
  for (const reference of references) {
    const set = hostsOfModule.get(reference.module) ?? new Set();
    set.add(reference.host);
    hostsOfModule.set(reference.module, set);
  }
  const decisive = (reference: Reference): boolean => (hostsOfModule.get(reference.module)?.size ?? 0) <= 1;
  // Asked for every stack twice (whether any is deployed, then its own placement): each folder's answer once.
  const referencingOf = new Map<string, Reference[]>();
  const referencing = (dir: string): Reference[] => {
    let found = referencingOf.get(dir);
    if (!found) {
      const inside = `${dir}${path.sep}`;
      found = references.filter((reference) => (reference.local !== undefined ? reference.local === dir || reference.local.startsWith(inside) : tailMatches(reference.tail ?? [], dir)));
      referencingOf.set(dir, found);
    }
    return found;
  };
  const deploysStacks = stackFiles.some((file) => referencing(path.dirname(file)).length > 0);

  const chosen = options.chosen ? matchHost(options.chosen.name, hosts, options.base) : undefined;
  for (const file of stackFiles) {
    const dir = path.dirname(file);
    if (chosen && options.chosen) {
      placements.set(file, { kind: 'host', host: chosen, via: options.chosen.via });
      continue;
    }
    const mapped = mappedHost(file, hosts, options);
    if (mapped) {
      placements.set(file, { kind: 'host', host: mapped, via: 'nixosHomelab.hosts' });
      continue;
    }
    if (hosts.length === 0) {
      placements.set(file, { kind: 'no-configuration' });
      continue;
    }
    const found = referencing(dir);
    const strong = found.filter(decisive);
    const byHost = new Map<NixosHost, Reference>();
    // A repository path is a stronger reference than a folder name on the host that happens to match.
    const best = strong.some((reference) => reference.local !== undefined) ? strong.filter((reference) => reference.local !== undefined) : strong;
    for (const reference of best) if (!byHost.has(reference.host)) byHost.set(reference.host, reference);
    if (byHost.size === 1) {
      const [reference] = [...byHost.values()] as [Reference];
      placements.set(file, { kind: 'host', host: reference.host, via: reference.kind, evidence: reference.loc, ...(reference.evaluated ? { evaluated: true as const } : {}) });
      continue;
    }
    if (byHost.size > 1) {
      placements.set(file, { kind: 'unknown', reason: `it is deployed by several hosts (${[...byHost.keys()].map((host) => host.name).join(', ')})` });
      continue;
    }
    const layout = layoutHost(dir, hosts);
    if (layout) {
      placements.set(file, { kind: 'host', host: layout, via: 'layout' });
      continue;
    }
    if (found.length > 0) {
      const hostNames = [...new Set(found.map((reference) => reference.host.name))].sort();
      placements.set(file, { kind: 'unknown', reason: `it is referenced by a module that several hosts import (${hostNames.join(', ')})` });
      continue;
    }
    if (hosts.length === 1 && !deploysStacks) {
      placements.set(file, { kind: 'host', host: hosts[0] as NixosHost, via: 'only host' });
      continue;
    }
    placements.set(file, deploysStacks ? { kind: 'not-deployed' } : { kind: 'unknown', reason: `no unit of the ${hosts.length} hosts (${hosts.map((host) => host.name).join(', ')}) starts it, none imports it and it lies in no host's folder` });
  }
  return placements;
}

/** The `nixosHomelab.hosts` entry for the stack's folder (the longest folder that contains it). */
function mappedHost(file: string, hosts: readonly NixosHost[], options: PlacementOptions): NixosHost | undefined {
  const mapped = Object.entries(options.folderMap)
    .map(([folder, entry]) => [path.resolve(options.base, folder), path.resolve(options.base, entry)] as const)
    .filter(([folder]) => file.startsWith(`${folder}${path.sep}`))
    .sort((a, b) => b[0].length - a[0].length)[0];
  return mapped ? hosts.find((host) => host.entry === mapped[1]) : undefined;
}

/** The host whose folder is the deepest one holding the stack, when exactly one is. */
function layoutHost(dir: string, hosts: readonly NixosHost[]): NixosHost | undefined {
  const holding = hosts.filter((host) => dir === host.folder || dir.startsWith(`${host.folder}${path.sep}`));
  const deepest = Math.max(-1, ...holding.map((host) => host.folder.length));
  const candidates = holding.filter((host) => host.folder.length === deepest);
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** Whether a host path's trailing folders (`/srv/stacks/immich`) name the stack folder (`…/docker/immich`). */
function tailMatches(tail: readonly string[], dir: string): boolean {
  const last = tail[tail.length - 1];
  return last !== undefined && last === path.basename(dir);
}

/** The places a host's modules point at a folder: units that run Compose, and path literals anywhere. */
function referencesOf(host: NixosHost, nix: NixConfiguration): Reference[] {
  const spanOf = new Map(host.modules.filter((module) => module.span).map((module) => [module.file, `${module.file}@${module.span?.start}`] as const));
  const moduleId = (file: string): string => spanOf.get(file) ?? file;
  const references: Reference[] = [];
  for (const unit of composeUnits(nix)) {
    for (const folder of unit.folders) {
      // An evaluated unit is this host's own (a module shared by hosts may make different units on each).
      const module = unit.evaluated ? `evaluated ${host.name} ${unit.service}` : moduleId(unit.loc.file);
      const reference: Reference = { host, loc: unit.loc, module, kind: 'unit', ...(unit.evaluated ? { evaluated: true as const } : {}) };
      if (folder.local !== undefined) reference.local = folder.local;
      else if (folder.tail.length > 0) reference.tail = folder.tail;
      else continue;
      references.push(reference);
    }
  }
  for (const file of nix.files) {
    const text = nix.sourceText?.(file);
    if (text === undefined) continue;
    const lines = new LineIndex(text);
    for (const literal of pathLiterals(blankComments(text))) {
      if (literal.written.includes('${')) continue;
      const local = path.resolve(path.dirname(file), literal.written);
      references.push({ host, local, loc: { file, range: lines.rangeOf(literal.offset, literal.offset + literal.written.length) }, module: moduleId(file), kind: 'reference' });
    }
  }
  return references;
}
