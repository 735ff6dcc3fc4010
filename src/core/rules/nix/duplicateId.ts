import type { NixConfiguration, NixDefinition } from '../../nix/model';
import { optionReader } from '../../nix/views';
import { declaredStaticIds } from '../../nix/staticIds';
import type { RelatedInformation } from '../../types';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';

/** A user or group holding an id: where the id is written (undefined: NixOS's own default). */
interface IdHolder {
  kind: 'user' | 'group';
  name: string;
  id: number;
  def: NixDefinition | undefined;
  /** For holders NixOS declares because of an option: that option (`services.journald.gateway.enable`). */
  enabledBy?: string;
}

/**
 * Users whose uid is fixed (dynamic uids cannot clash: NixOS allocates free ones), plus the static users of the
 * services the configuration enables (ids.nix). Disabled users count: users-groups.nix checks
 * `filterAttrs (n: u: u.uid != null) cfg.users`, without looking at `enable`.
 */
function userHolders(nix: NixConfiguration): IdHolder[] {
  const holders: IdHolder[] = [];
  for (const user of nix.users.values()) {
    if (user.uid === undefined) continue;
    holders.push({ kind: 'user', name: user.name, id: user.uid, def: user.uidDef });
  }
  for (const id of declaredStaticIds(optionReader(nix.definitions))) {
    if (id.uid === undefined || nix.users.has(id.name)) continue;
    holders.push({ kind: 'user', name: id.name, id: id.uid, def: undefined, ...(id.enabledBy ? { enabledBy: id.enabledBy } : {}) });
  }
  return holders;
}

/** Groups with their effective gid; the definition only when it is the one that gives that gid. */
function groupHolders(nix: NixConfiguration): IdHolder[] {
  const holders: IdHolder[] = [];
  for (const group of nix.groups.values()) {
    if (group.gid === undefined) continue;
    const written = group.gidDef?.value.kind === 'int' && group.gidDef.value.value === group.gid ? group.gidDef : undefined;
    holders.push({ kind: 'group', name: group.name, id: group.gid, def: written, ...(group.nixosDeclaredBy ? { enabledBy: group.nixosDeclaredBy } : {}) });
  }
  return holders;
}

function describe(holder: IdHolder): string {
  if (holder.def) return `${holder.kind} \`${holder.name}\``;
  return `${holder.kind} \`${holder.name}\` (declared by NixOS${holder.enabledBy ? ` because \`${holder.enabledBy} = true\`` : ''}, static id in nixos/modules/misc/ids.nix)`;
}

function clashes(nix: NixConfiguration, holders: IdHolder[], idName: 'uid' | 'gid', optionName: string): RuleFinding[] {
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
        .map((other) => ({ location: { file: (other.def as NixDefinition).file, range: (other.def as NixDefinition).valueLoc.range }, message: `${idName} ${id} is also given to ${other.kind} ${other.name} here` }));
      for (const other of others) {
        const enabling = other.enabledBy ? nix.definitionsOf(other.enabledBy.split('.')).find((def) => def.value.kind === 'bool' && def.value.value) : undefined;
        if (enabling) related.push({ location: { file: enabling.file, range: enabling.loc.range }, message: `this makes NixOS declare ${other.kind} ${other.name} with the static ${idName} ${id}` });
      }
      findings.push({
        file: holder.def.file,
        range: holder.def.valueLoc.range,
        message: `${idName} ${id} of ${holder.kind} ${holder.name} is also the ${idName} of ${others.length === 1 ? `${others[0]?.kind ?? ''} ${others[0]?.name ?? ''}` : `${others.length} others`}: evaluation fails`,
        explanation: `${idName} ${id} of ${holder.kind} \`${holder.name}\` is also the ${idName} of ${others.map(describe).join(', ')}: evaluation fails with the assertion "UIDs and GIDs must be unique!" (${optionName}, default true).\n\nFix: ${advice(others, idName)}`,
        related,
        data: { kind: holder.kind, name: holder.name, id, others: others.map((other) => other.name) },
      });
    }
  }
  return findings;
}

/** What to do: renumber, or — for a holder an enabled service brings — disable that service. */
function advice(others: IdHolder[], idName: 'uid' | 'gid'): string {
  const services = others.filter((other) => !other.def && other.enabledBy).map((other) => `\`${other.enabledBy}\``);
  const renumber = `give one of them another ${idName}`;
  return services.length > 0 ? `${renumber}, or leave ${services.join(', ')} off.` : `${renumber}.`;
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
    return [...clashes(ctx.nix, userHolders(ctx.nix), 'uid', 'users.enforceIdUniqueness'), ...clashes(ctx.nix, groupHolders(ctx.nix), 'gid', 'users.enforceIdUniqueness')];
  },
};
