import type { NixConfiguration, NixDefinition } from '../../nix/model';
import type { RelatedInformation } from '../../types';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';

/** A user or group holding an id: where the id is written (undefined: NixOS's own default). */
interface IdHolder {
  kind: 'user' | 'group';
  name: string;
  id: number;
  def: NixDefinition | undefined;
}

/** Users whose uid is fixed (dynamic uids cannot clash: NixOS allocates free ones). Disabled users do not exist. */
function userHolders(nix: NixConfiguration): IdHolder[] {
  const holders: IdHolder[] = [];
  for (const user of nix.users.values()) {
    if (user.uid === undefined) continue;
    const enable = nix.definitionsOf(['users', 'users', user.name, 'enable']);
    if (enable.some((def) => def.value.kind === 'bool' && !def.value.value && !def.conditional)) continue;
    holders.push({ kind: 'user', name: user.name, id: user.uid, def: user.uidDef });
  }
  return holders;
}

/** Groups with their effective gid; the definition only when it is the one that gives that gid. */
function groupHolders(nix: NixConfiguration): IdHolder[] {
  const holders: IdHolder[] = [];
  for (const group of nix.groups.values()) {
    if (group.gid === undefined) continue;
    const written = group.gidDef?.value.kind === 'int' && group.gidDef.value.value === group.gid ? group.gidDef : undefined;
    holders.push({ kind: 'group', name: group.name, id: group.gid, def: written });
  }
  return holders;
}

function describe(holder: IdHolder): string {
  return `${holder.kind} \`${holder.name}\`${holder.def ? '' : ' (declared by NixOS)'}`;
}

function clashes(holders: IdHolder[], idName: 'uid' | 'gid', optionName: string): RuleFinding[] {
  const byId = new Map<number, IdHolder[]>();
  for (const holder of holders) byId.set(holder.id, [...(byId.get(holder.id) ?? []), holder]);
  const findings: RuleFinding[] = [];
  for (const [id, sharing] of byId) {
    if (sharing.length < 2) continue;
    for (const holder of sharing) {
      if (!holder.def) continue;
      const others = sharing.filter((other) => other !== holder);
      const related: RelatedInformation[] = others
        .filter((other) => other.def)
        .map((other) => ({ location: { file: (other.def as NixDefinition).file, range: (other.def as NixDefinition).valueLoc.range }, message: `${idName} ${id} is also given to ${other.kind} \`${other.name}\` here` }));
      findings.push({
        file: holder.def.file,
        range: holder.def.valueLoc.range,
        message: `${idName} ${id} of ${holder.kind} \`${holder.name}\` is also the ${idName} of ${others.map(describe).join(', ')}: NixOS fails evaluation on duplicate ids (${optionName}). Give one of them another ${idName}.`,
        related,
        data: { kind: holder.kind, name: holder.name, id },
      });
    }
  }
  return findings;
}

/** Two declared users, or two declared groups (NixOS's own included), with the same id. */
export const duplicateId: NixRule = {
  id: 'duplicate-id',
  side: 'nix',
  defaultSeverity: 'error',
  summary: 'Two declared users or two declared groups share an id.',
  fixable: () => false,
  check(ctx: NixRuleContext): RuleFinding[] {
    const enforce = ctx.nix.definitionsOf(['users', 'enforceIdUniqueness']);
    if (enforce.some((def) => def.value.kind === 'bool' && !def.value.value)) return [];
    return [...clashes(userHolders(ctx.nix), 'uid', 'users.enforceIdUniqueness'), ...clashes(groupHolders(ctx.nix), 'gid', 'users.enforceIdUniqueness')];
  },
};
