/**
 * Static and evaluated together: one function turns the static model of a host (read without evaluation) and what
 * Nix evaluated for it into the model the rules read. Where the evaluation has a value, it is the truth: a user made
 * by `genAttrs`, Docker enabled in a module the static reader could not follow, a group a service module creates,
 * a file system under a `mkIf` that is off. Everything the projection does not cover (unit scripts, what is written
 * where, parse errors) stays as read.
 *
 * - **Views** the compose rules read (`users`, `groups`, `findUserByUid`, `findGroupByGid`) are rebuilt from the
 *   evaluated users and groups; each keeps the static definitions that agree with it, for positions and fixes.
 * - **Definitions** of the projected options (`virtualisation.docker.enable`, `services.xserver.videoDrivers`,
 *   `fileSystems`, `systemd.mounts`…) are replaced where the evaluation disagrees with the static reading: the
 *   static definition stays when its value is the evaluated one; otherwise an evaluated definition takes its place,
 *   at the static definition when there is one, else at the first line of the workspace file that defines the
 *   option (`definitionsWithLocations`), else at the entry module's first line.
 * - **Units that run Compose** (`systemd.services.<name>` whose script or ExecStart runs `docker compose`) are given
 *   to nix/composeUnits.ts as evaluated texts (`evaluatedComposeUnits`), so a unit made by a function places its
 *   stack and gives its variables; their `after`/`requires`/`wants`/`RequiresMountsFor` are added to the static
 *   reading of the same service.
 * - A part that failed to evaluate (its `tryEval` caught a throw) leaves the static reading of that part alone.
 */
import * as path from 'node:path';
import type { EvaluatedComposeUnit, NixConfiguration, NixDefinition, NixGroup, NixSystemdService, NixUser, NixValue, Priority } from '../nix/model';
import { winningDefinition } from '../nix/views';
import { attrsWithFields } from '../nix/values';
import { definitionQueries } from '../nix/configuration';
import { FILE_START, type SourceLocation } from '../text';
import { failedParts, okOf, type HostEvaluation, type JsonValue } from './schema';

/** The module system's priority of an option's own default (`mkOptionDefault`): nothing defines the option. */
const OPTION_DEFAULT_PRIORITY = 1500;

const evaluationOfConfiguration = new WeakMap<NixConfiguration, HostEvaluation>();
/** Definitions whose value the evaluation gave or confirmed. */
const evaluatedDefinitions = new WeakSet<NixDefinition>();

/** Whether the configuration is the evaluation alone (a host the static reader did not find): see findings.ts `ruleRunsOn`. */
export function isEvaluatedOnly(nix: NixConfiguration | undefined): boolean {
  return nix?.evaluatedOnly === true;
}

/** The evaluation merged into a configuration by mergeEvaluation, if any. */
export function evaluationOf(nix: NixConfiguration | undefined): HostEvaluation | undefined {
  return nix ? evaluationOfConfiguration.get(nix) : undefined;
}

/** Whether Nix evaluated (or confirmed) this definition's value. */
export function isEvaluatedDefinition(definition: NixDefinition): boolean {
  return evaluatedDefinitions.has(definition);
}

/** The static model with the evaluated values in place of the static guesses (see the file comment). */
export function mergeEvaluation(nix: NixConfiguration, evaluation: HostEvaluation, how: { nixOnly?: boolean } = {}): NixConfiguration {
  const { projection } = evaluation;
  const located = new Locator(nix, evaluation);
  const removed = new Set<NixDefinition>();
  const added: NixDefinition[] = [];

  const cover = (prefix: string[], leaves: Leaf[], onlyDefault: boolean): void => {
    const kept = new Set<NixDefinition>();
    for (const leaf of leaves) {
      const own = nix.definitionsOf(leaf.path);
      const winner = winningDefinition(own);
      if (winner && sameValue(winner.value, leaf.value)) {
        for (const definition of own) {
          kept.add(definition);
          evaluatedDefinitions.add(definition);
        }
        continue;
      }
      // The option's NixOS default and nothing written: the static reading (nothing) already means the default.
      if (onlyDefault && own.length === 0) continue;
      added.push(located.definition(leaf, winner));
    }
    for (const definition of nix.definitionsUnder(prefix)) if (!kept.has(definition)) removed.add(definition);
  };

  for (const option of projection.options) {
    if (!('ok' in option.value)) continue;
    const prio = okOf(option.highestPrio) ?? undefined;
    const files = okOf(option.files) ?? [];
    cover(option.path, flatten(option.path, option.value.ok, files, prio ?? undefined), prio !== undefined && prio !== null && prio >= OPTION_DEFAULT_PRIORITY);
  }
  const fileSystems = okOf(projection.fileSystems);
  if (fileSystems && Object.values(fileSystems).every((entry) => 'ok' in entry)) {
    const files = okOf(projection.fileSystemFiles) ?? {};
    const leaves: Leaf[] = [];
    for (const [name, entry] of Object.entries(fileSystems)) {
      if (!('ok' in entry)) continue;
      const { mountPoint, fsType, options, device } = entry.ok;
      const fields: Record<string, JsonValue> = { options };
      if (mountPoint !== name) fields['mountPoint'] = mountPoint;
      if (fsType !== null) fields['fsType'] = fsType;
      if (device !== null) fields['device'] = device;
      leaves.push(...flatten(['fileSystems', name], fields, files[name] ?? []));
    }
    cover(['fileSystems'], leaves, false);
  }
  for (const [kind, part] of [['mounts', projection.systemdMounts], ['automounts', projection.systemdAutomounts]] as const) {
    const units = okOf(part);
    if (!units) continue;
    const value = units.map((unit) => withoutNulls({ where: unit.where, what: unit.what, type: unit.type, options: unit.options }));
    const optionPath = ['systemd', kind];
    const own = nix.definitionsOf(optionPath);
    if (own.length === 0 && units.length === 0) continue;
    for (const definition of own) removed.add(definition);
    added.push(located.definition({ path: optionPath, value, nixValue: toNixValue(value), files: [] }, own[0]));
  }

  const definitions = [...nix.definitions.filter((definition) => !removed.has(definition)), ...added];
  const users = mergedUsers(nix, evaluation, located);
  const groups = mergedGroups(nix, evaluation, located);
  const complete = failedParts(projection).length === 0;
  const units = evaluatedUnits(nix, evaluation, located);
  const merged: NixConfiguration = {
    ...nix,
    definitions,
    // Nix read every module, those the static reader could not (a flake input's, hardware-configuration.nix): a
    // finding no longer depends on them — unless a part of the evaluation failed and the static reading stands in.
    unreadableImports: complete ? [] : nix.unreadableImports,
    ...definitionQueries(definitions),
    users,
    groups,
    findUserByUid: (uid) => [...users.values()].find((user) => user.uid === uid),
    findGroupByGid: (gid) => [...groups.values()].find((group) => group.gid === gid),
    ...(units ? { evaluatedComposeUnits: units.units, systemdServices: units.services } : {}),
    ...(how.nixOnly ? { evaluatedOnly: true as const } : {}),
  };
  evaluationOfConfiguration.set(merged, evaluation);
  return merged;
}

interface Leaf {
  path: string[];
  value: JsonValue;
  /** The files Nix says define the option (as Nix reports them). */
  files: string[];
  highestPrio?: number;
}

/** An evaluated value as leaves: sets are walked into (the static reader flattens `a.b = { c = 1; }` the same way). */
function flatten(prefix: string[], value: JsonValue, files: string[], highestPrio?: number): Leaf[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, inner]) => flatten([...prefix, key], inner, files, highestPrio));
  }
  return [{ path: prefix, value, files, ...(highestPrio !== undefined ? { highestPrio } : {}) }];
}

function withoutNulls(fields: Record<string, JsonValue>): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}

/** A JSON value as the static model's NixValue. */
export function toNixValue(value: JsonValue): NixValue {
  if (value === null) return { kind: 'null' };
  if (typeof value === 'boolean') return { kind: 'bool', value };
  if (typeof value === 'number') return Number.isInteger(value) ? { kind: 'int', value } : { kind: 'float', value };
  if (typeof value === 'string') return { kind: 'string', value, interpolated: false };
  if (Array.isArray(value)) return { kind: 'list', items: value.map(toNixValue) };
  return attrsWithFields(new Map(Object.entries(value).map(([key, inner]) => [key, toNixValue(inner)])));
}

/** Whether the static value is the evaluated one (a value the static reader could not read never is). */
function sameValue(value: NixValue, evaluated: JsonValue): boolean {
  switch (value.kind) {
    case 'int':
    case 'float':
      return value.value === evaluated;
    case 'bool':
      return value.value === evaluated;
    case 'null':
      return evaluated === null;
    case 'string':
      return !value.interpolated && value.value === evaluated;
    case 'path':
      return false;
    case 'list':
      return Array.isArray(evaluated) && evaluated.length === value.items.length && value.items.every((item, index) => sameValue(item, evaluated[index] as JsonValue));
    default:
      return false;
  }
}

function priorityOf(highestPrio: number | undefined): { priority: Priority; numericPriority: number } {
  if (highestPrio === undefined || highestPrio === 100) return { priority: 'plain', numericPriority: 100 };
  if (highestPrio === 50) return { priority: 'force', numericPriority: 50 };
  if (highestPrio === 1000) return { priority: 'default', numericPriority: 1000 };
  return { priority: 'override', numericPriority: highestPrio };
}

/** Where an evaluated value is shown: see the file comment. */
class Locator {
  constructor(
    private readonly nix: NixConfiguration,
    private readonly evaluation: HostEvaluation,
  ) {}

  /** The first workspace file among those Nix names, at its first line. */
  fileLocation(files: readonly string[]): SourceLocation | undefined {
    for (const reported of files) {
      const file = this.evaluation.workspaceFile(reported);
      if (file) return { file, range: FILE_START };
    }
    return undefined;
  }

  location(files: readonly string[], anchor: NixDefinition | undefined): SourceLocation {
    if (anchor) return anchor.loc;
    return this.fileLocation(files) ?? { file: this.nix.entry, range: FILE_START };
  }

  /** An evaluated definition, at `anchor` (a static definition of the same thing) when given. */
  definition(leaf: { path: string[]; value: JsonValue; nixValue?: NixValue; files: readonly string[]; highestPrio?: number }, anchor: NixDefinition | undefined, minDepth = 2): NixDefinition {
    const loc = this.location(leaf.files, anchor ?? this.nearestStatic(leaf.path, minDepth));
    const value = leaf.nixValue ?? toNixValue(leaf.value);
    const definition: NixDefinition = {
      path: leaf.path,
      value,
      ...priorityOf(leaf.highestPrio),
      conditional: false,
      file: loc.file,
      loc,
      valueLoc: anchor?.valueLoc ?? loc,
      exprLoc: anchor?.exprLoc ?? loc,
    };
    evaluatedDefinitions.add(definition);
    return definition;
  }

  /** A static definition of the path or of the set that holds it (`fileSystems."/mnt/x" = { … }`), for its position. */
  private nearestStatic(optionPath: string[], minDepth: number): NixDefinition | undefined {
    for (let length = optionPath.length; length >= minDepth; length--) {
      const [found] = this.nix.definitionsOf(optionPath.slice(0, length));
      if (found) return found;
    }
    return undefined;
  }
}

function mergedUsers(nix: NixConfiguration, evaluation: HostEvaluation, located: Locator): Map<string, NixUser> {
  const evaluated = okOf(evaluation.projection.users);
  if (!evaluated) return nix.users;
  const files = okOf(evaluation.projection.userFiles) ?? {};
  const users = new Map<string, NixUser>();
  for (const [name, entry] of Object.entries(evaluated)) {
    const known = nix.users.get(name);
    if (!('ok' in entry)) {
      if (known) users.set(name, known);
      continue;
    }
    const { uid, group, extraGroups, isNormalUser } = entry.ok;
    const at = (attribute: string, value: JsonValue, anchor: NixDefinition | undefined): NixDefinition =>
      // Not at `users.users = …` (a genAttrs for some users says nothing of root): the user's own definition, or its file.
      located.definition({ path: ['users', 'users', name, attribute], value, files: files[name] ?? [] }, anchor ?? known?.declaredAt, 3);
    const user: NixUser = { name, extraGroups: [...extraGroups], isNormalUser };
    if (group !== '') user.group = group;
    if (uid !== null) {
      user.uid = uid;
      user.uidDef = known?.uidDef && known.uid === uid ? confirmed(known.uidDef) : at('uid', uid, known?.uidDef);
    }
    if (known?.extraGroupsDef) user.extraGroupsDef = confirmed(known.extraGroupsDef);
    else if (extraGroups.length > 0) user.extraGroupsDef = at('extraGroups', extraGroups, undefined);
    user.declaredAt = known?.declaredAt ?? at('uid', uid, undefined);
    users.set(name, user);
  }
  return users;
}

function mergedGroups(nix: NixConfiguration, evaluation: HostEvaluation, located: Locator): Map<string, NixGroup> {
  const evaluated = okOf(evaluation.projection.groups);
  if (!evaluated) return nix.groups;
  const files = okOf(evaluation.projection.groupFiles) ?? {};
  const groups = new Map<string, NixGroup>();
  for (const [name, entry] of Object.entries(evaluated)) {
    const known = nix.groups.get(name);
    if (!('ok' in entry)) {
      if (known) groups.set(name, known);
      continue;
    }
    const { gid } = entry.ok;
    const group: NixGroup = { name, priority: known?.priority ?? 'plain' };
    if (known?.nixosDefaultGid !== undefined) group.nixosDefaultGid = known.nixosDefaultGid;
    if (known?.nixosDeclaredBy !== undefined) group.nixosDeclaredBy = known.nixosDeclaredBy;
    if (gid !== null) {
      group.gid = gid;
      if (known?.gidDef && known.gid === gid) group.gidDef = confirmed(known.gidDef);
      else if (known?.gidDef || known?.declaredAt || (files[name] ?? []).some((file) => evaluation.workspaceFile(file))) {
        group.gidDef = located.definition({ path: ['users', 'groups', name, 'gid'], value: gid, files: files[name] ?? [] }, known?.gidDef ?? known?.declaredAt, 3);
      }
    }
    const declaredAt = known?.declaredAt ?? group.gidDef;
    if (declaredAt) group.declaredAt = declaredAt;
    groups.set(name, group);
  }
  return groups;
}

/**
 * The evaluated units that run Compose, and the services with their evaluated dependencies added (a union: what the
 * static reader read of them stays). Undefined when the part failed or is absent.
 */
function evaluatedUnits(nix: NixConfiguration, evaluation: HostEvaluation, located: Locator): { units: EvaluatedComposeUnit[]; services: Map<string, NixSystemdService> } | undefined {
  const evaluated = okOf(evaluation.projection.composeUnits);
  if (!evaluated) return undefined;
  const workspacePath = workspacePathOf(nix, evaluation);
  const units: EvaluatedComposeUnit[] = [];
  const services = new Map(nix.systemdServices);
  for (const [service, entry] of Object.entries(evaluated)) {
    if (!('ok' in entry)) continue;
    const value = entry.ok;
    const known = nix.systemdServices.get(service);
    const loc = known?.declaredAt?.loc ?? located.fileLocation(value.files) ?? { file: nix.entry, range: FILE_START };
    const unit: EvaluatedComposeUnit = { service, scripts: [value.script, ...value.execStartPre, ...value.execStart].filter((text) => text !== ''), environmentFiles: value.environmentFile, environment: value.environment, loc, workspacePath };
    if (value.workingDirectory !== null) unit.workingDirectory = value.workingDirectory;
    units.push(unit);
    if (known) {
      const union = (have: readonly string[], add: readonly string[]): string[] => [...new Set([...have, ...add])];
      services.set(service, {
        ...known,
        after: union(known.after, value.after),
        wants: union(known.wants, value.wants),
        requires: union(known.requires, value.requires),
        requiresMountsFor: union(known.requiresMountsFor, value.requiresMountsFor.flatMap((entry) => entry.split(/\s+/)).filter((entry) => entry !== '')),
      });
    }
  }
  return { units, services };
}

/**
 * The repository path a path Nix reported stands for: a file of the flake's store copy, or (a classic configuration,
 * not copied) a path under the folder that holds the configuration's modules. A host path is not one.
 */
function workspacePathOf(nix: NixConfiguration, evaluation: HostEvaluation): (reported: string) => string | undefined {
  const root = commonFolder(nix.files.length > 0 ? nix.files : [nix.entry]);
  return (reported) => {
    if (/\/[0-9a-z]{32}-source\//.test(reported)) return evaluation.workspaceFile(reported);
    const normal = path.normalize(reported);
    return root !== undefined && root !== path.parse(root).root && normal.startsWith(`${root}${path.sep}`) ? evaluation.workspaceFile(normal) : undefined;
  };
}

function commonFolder(files: readonly string[]): string | undefined {
  let common: string | undefined;
  for (const file of files) {
    let dir = path.dirname(file);
    if (common === undefined) common = dir;
    while (common !== dir && !dir.startsWith(`${common}${path.sep}`)) {
      const up: string = path.dirname(common);
      if (up === common) return common;
      common = up;
    }
  }
  return common;
}

function confirmed(definition: NixDefinition): NixDefinition {
  evaluatedDefinitions.add(definition);
  return definition;
}

/** The workspace file for a file Nix reports: a flake's store copy is mapped back to the flake's folder. */
export function workspaceFileMapper(flakeDir: string | undefined, exists: (file: string) => boolean): (reported: string) => string | undefined {
  return (reported) => {
    // flake-parts and others append where a module came from: "/nix/store/…-source/hosts/nas.nix, via option flake.nixosModules.nas".
    const file = reported.replace(/, via option .*$/s, '');
    const inStore = /^\/[^\0]*?\/[0-9a-z]{32}-source\/(.+)$/.exec(file);
    if (inStore?.[1] && flakeDir) {
      // The store copy is of the flake's folder, or of the Git repository holding it: try each ancestor.
      for (let dir = flakeDir; ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, inStore[1]);
        if (exists(candidate)) return candidate;
        if (path.dirname(dir) === dir) break;
      }
      return undefined;
    }
    return path.isAbsolute(file) && exists(file) ? file : undefined;
  };
}
