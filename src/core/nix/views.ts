/**
 * The views the rules need on top of the flat definitions: users, groups (NixOS built-ins included), systemd
 * services with their scripts, the state version.
 */
import type { NixDefinition, NixGroup, NixScript, NixSystemdService, NixUser } from './model';
import { builtinGroups, PRIORITY } from './nixosDefaults';
import type { OptionReader } from './staticIds';
import { decodeString } from './strings';
import type { NixStringExpression } from './syntaxTree';
import { expandInterpolations } from './interpolation';
import { stringItems, type Scope } from './values';

/**
 * The definition that wins for a single-valued option: the lowest numeric priority (mkForce before plain before
 * mkDefault), unconditional before conditional, then the first written. Attribute-set definitions are skipped.
 */
export function winningDefinition(definitions: NixDefinition[]): NixDefinition | undefined {
  let best: NixDefinition | undefined;
  for (const definition of definitions) {
    if (definition.value.kind === 'attrs') continue;
    if (!best || rank(definition) < rank(best)) best = definition;
  }
  return best;
}

function rank(definition: NixDefinition): number {
  return (definition.numericPriority ?? PRIORITY.plain) * 2 + (definition.conditional ? 1 : 0);
}

/** Groups definitions by the attribute name at `nameIndex` for paths under one of the prefixes. */
function byName(definitions: NixDefinition[], prefixes: string[][]): Map<string, NixDefinition[]> {
  const result = new Map<string, NixDefinition[]>();
  for (const definition of definitions) {
    const prefix = prefixes.find((candidate) => startsWith(definition.path, candidate));
    if (!prefix) continue;
    const name = definition.path[prefix.length];
    if (name === undefined) continue;
    let list = result.get(name);
    if (!list) result.set(name, (list = []));
    list.push(definition);
  }
  return result;
}

export function startsWith(path: string[], prefix: string[]): boolean {
  if (path.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/** The definitions of `<prefix>.<name>.<attribute>` among one entity's definitions (prefix length given). */
function attribute(definitions: NixDefinition[], depth: number, attributePath: string[]): NixDefinition[] {
  return definitions.filter((definition) => definition.path.length === depth + attributePath.length && startsWith(definition.path.slice(depth), attributePath));
}

/** `users.users.<n>` and `users.extraUsers.<n>`, merged by name. */
export function buildUsers(definitions: NixDefinition[]): Map<string, NixUser> {
  const users = new Map<string, NixUser>();
  for (const [name, defs] of byName(definitions, [['users', 'users'], ['users', 'extraUsers']])) {
    const user: NixUser = { name, extraGroups: [] };
    const [first] = defs;
    if (first) user.declaredAt = first;
    const uidDef = winningDefinition(attribute(defs, 3, ['uid']));
    if (uidDef?.value.kind === 'int') { user.uid = uidDef.value.value; user.uidDef = uidDef; }
    const groupDef = winningDefinition(attribute(defs, 3, ['group']));
    if (groupDef?.value.kind === 'string') user.group = groupDef.value.value;
    const normalDef = winningDefinition(attribute(defs, 3, ['isNormalUser']));
    if (normalDef?.value.kind === 'bool') user.isNormalUser = normalDef.value.value;
    const extraGroupsDefs = attribute(defs, 3, ['extraGroups']);
    // Lists from several definitions are concatenated by the module system.
    for (const definition of extraGroupsDefs) for (const group of stringItems(definition.value)) if (!user.extraGroups.includes(group)) user.extraGroups.push(group);
    const [firstExtraGroups] = extraGroupsDefs;
    if (firstExtraGroups) user.extraGroupsDef = firstExtraGroups;
    users.set(name, user);
  }
  return users;
}

/**
 * `users.groups.<n>` and `users.extraGroups.<n>`, plus the groups NixOS declares itself. The gid is the one NixOS
 * ends up with: a mkDefault user value loses to NixOS's own declaration; a plain one is kept (it conflicts, which
 * the reserved-gid-conflict rule reports) and so is a forced one. `priority` is that of the user's gid definition.
 */
export function buildGroups(definitions: NixDefinition[], read: OptionReader): Map<string, NixGroup> {
  const groups = new Map<string, NixGroup>();
  const declared = builtinGroups(read);
  const builtins = new Map(declared.map((group) => [group.name, group.gid]));
  const enabledBy = new Map(declared.flatMap((group) => (group.enabledBy ? [[group.name, group.enabledBy] as const] : [])));
  for (const [name, defs] of byName(definitions, [['users', 'groups'], ['users', 'extraGroups']])) {
    const nixosDefaultGid = builtins.get(name);
    const group: NixGroup = { name, priority: 'plain' };
    const [first] = defs;
    if (first) group.declaredAt = first;
    if (nixosDefaultGid !== undefined) group.nixosDefaultGid = nixosDefaultGid;
    const because = enabledBy.get(name);
    if (because) group.nixosDeclaredBy = because;
    const gidDef = winningDefinition(attribute(defs, 3, ['gid']));
    if (gidDef) {
      group.gidDef = gidDef;
      group.priority = gidDef.priority;
      const userGid = gidDef.value.kind === 'int' ? gidDef.value.value : undefined;
      const losesToNixos = nixosDefaultGid !== undefined && (gidDef.numericPriority ?? PRIORITY.plain) > PRIORITY.plain;
      const gid = losesToNixos ? nixosDefaultGid : userGid;
      if (gid !== undefined) group.gid = gid;
    } else if (nixosDefaultGid !== undefined) {
      group.gid = nixosDefaultGid;
    }
    groups.set(name, group);
  }
  for (const [name, gid] of builtins) {
    if (groups.has(name)) continue;
    const because = enabledBy.get(name);
    groups.set(name, { name, gid, priority: 'plain', nixosDefaultGid: gid, ...(because ? { nixosDeclaredBy: because } : {}) });
  }
  return groups;
}

/** Reads an option's winning literal (bool or string) without evaluating, for the static-id declarations. */
export function optionReader(definitions: NixDefinition[]): OptionReader {
  return (optionPath) => {
    const winner = winningDefinition(definitions.filter((definition) => definition.path.length === optionPath.length && startsWith(definition.path, optionPath)));
    if (winner?.value.kind === 'bool') return { bool: winner.value.value };
    if (winner?.value.kind === 'string' && !winner.value.interpolated) return { string: winner.value.value };
    return undefined;
  };
}

/** True when the winning `virtualisation.docker.enable` is `true`. */
export function isEnabled(definitions: NixDefinition[], optionPath: string[]): boolean {
  const winner = winningDefinition(definitions.filter((definition) => definition.path.length === optionPath.length && startsWith(definition.path, optionPath)));
  return winner?.value.kind === 'bool' && winner.value.value;
}

const SCRIPT_ATTRIBUTES: string[][] = [['script'], ['preStart'], ['postStart'], ['serviceConfig', 'ExecStart']];

/** `systemd.services.<n>`: ordering lists, mount dependencies and scripts. */
export function buildServices(
  definitions: NixDefinition[],
  stringLiterals: ReadonlyMap<NixDefinition, NixStringExpression>,
  sources: ReadonlyMap<string, string>,
  stringScopes: ReadonlyMap<NixDefinition, Scope> = new Map(),
): Map<string, NixSystemdService> {
  const services = new Map<string, NixSystemdService>();
  for (const [name, defs] of byName(definitions, [['systemd', 'services']])) {
    const strings = (attributePath: string[]): string[] => unique(attribute(defs, 3, attributePath).flatMap((definition) => stringItems(definition.value)));
    const service: NixSystemdService = {
      name,
      after: strings(['after']),
      wants: strings(['wants']),
      requires: strings(['requires']),
      // systemd reads RequiresMountsFor= as a space-separated list.
      requiresMountsFor: unique(strings(['unitConfig', 'RequiresMountsFor']).flatMap((value) => value.split(/\s+/).filter((item) => item !== ''))),
      scripts: [],
    };
    const [first] = defs;
    if (first) service.declaredAt = first;
    for (const attributePath of SCRIPT_ATTRIBUTES) {
      for (const definition of attribute(defs, 3, attributePath)) {
        const literal = stringLiterals.get(definition);
        const source = sources.get(definition.file);
        if (literal && source !== undefined) service.scripts.push(scriptOf(attributePath.join('.'), definition, literal, source, stringScopes.get(definition)));
      }
    }
    services.set(name, service);
  }
  return services;
}

function scriptOf(attributeName: string, definition: NixDefinition, literal: NixStringExpression, source: string, scope: Scope | undefined): NixScript {
  const decoded = decodeString(source, literal, 'keep');
  const { offsets } = decoded;
  let expanded: string | undefined;
  return {
    attribute: attributeName,
    text: decoded.text,
    get expanded(): string {
      expanded ??= expandInterpolations(decoded.text, scope, source, definition.file);
      return expanded;
    },
    file: definition.file,
    sourceOffset: (textOffset: number) => offsets[Math.max(0, Math.min(textOffset, offsets.length - 1))] ?? literal.content.end,
    definition,
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
