import type { ComposeService } from '../../compose/model';
import { requestedGids } from '../../compose/requestedIds';
import { groupByGid, userByUid } from '../../host';
import type { NixConfiguration, NixGroup } from '../../nix/model';
import type { HostSnapshot } from '../../host/model';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';
import { displayFile, parseId, plain, relatedToDefinition, relatedToMissing, upperFirst, writtenAs } from '../facts';
import { listNames } from '../grouping';
import { describeShares, hostShares, type HostShare } from './hostShared';

/**
 * Which group the fix should declare for a gid: the old host's name for it, else the personal group of the old
 * host's user whose primary gid it is (Ubuntu's `palav:palav` 1000:1000). Only the snapshot can say: without one
 * no group is picked — gid 1000 beside /dev/dri is a personal group far more often than `render`, and forcing
 * `render` to it would take the render nodes' group away from the GPU.
 */
function suggestGroup(gid: number, snapshot: HostSnapshot | undefined): { name?: string; personalOf?: string } {
  const oldGroup = snapshot ? groupByGid(snapshot, gid) : undefined;
  const owner = snapshot?.users.find((user) => user.gid === gid);
  const name = oldGroup?.name ?? owner?.primaryGroup;
  return { name, personalOf: owner && owner.primaryGroup === name ? owner.name : undefined };
}

/**
 * The user the service runs as (PUID or the uid of `user:`), by name: the NixOS user with that uid, else the old
 * host's, else the configuration's one normal user. The fix adds this user to the group.
 */
function serviceUserName(service: ComposeService, nix: NixConfiguration | undefined, snapshot: HostSnapshot | undefined): string | undefined {
  const raw = service.environment.get('PUID')?.value ?? service.user?.user.value;
  const uid = raw === undefined ? undefined : parseId(raw);
  if (uid === undefined) return /^[a-z_][a-z0-9_-]*$/.test(raw ?? '') ? raw : undefined;
  if (uid === 0) return undefined;
  const declared = nix?.findUserByUid(uid)?.name ?? (snapshot ? userByUid(snapshot, uid)?.name : undefined);
  if (declared) return declared;
  const normalUsers = [...(nix?.users.values() ?? [])].filter((user) => user.isNormalUser);
  return normalUsers.length === 1 ? normalUsers[0]?.name : undefined;
}

/**
 * The group NixOS gives the gid when an enabled service's static group holds it (`systemd-journal-gateway` 110 with
 * `services.journald.gateway.enable`) while the old host used the gid for another group: that group cannot take it.
 */
function serviceGroupHolding(gid: number, wanted: string | undefined, nix: NixConfiguration | undefined): NixGroup | undefined {
  const holder = nix?.findGroupByGid(gid);
  if (!holder || !wanted || holder.name === wanted || holder.gidDef || !holder.nixosDeclaredBy) return undefined;
  return holder;
}

/**
 * A PGID/`user:` gid/`group_add` matters on the host, not in the container (the container keeps its gid whatever
 * NixOS declares): reported only for services that share host paths (bind mounts, devices), see hostShared.ts.
 */
export const pgidUnmapped = perService({
  id: 'pgid-unmapped',
  side: 'compose',
  defaultSeverity: 'warning',
  summary: 'A service that shares host paths uses a PGID, `user:` gid or numeric `group_add` that no NixOS group has.',
  fixable: (data, ctx) => ctx.hasConfiguration && typeof data?.['groupName'] === 'string' && data['collidesWith'] === null,
  // The same gid in several services of a stack is one missing declaration: one finding, the others related.
  grouping: {
    key: (found) => (typeof found.data?.['gid'] === 'number' ? String(found.data['gid']) : undefined),
    related: (found) => `gid ${String(found.data?.['gid'])} again, in service ${String(found.data?.['service'])}`,
    note: (others) => `The same gid is used by ${others.length === 1 ? 'service' : 'services'} ${listNames([...new Set(others.map((o) => String(o.data?.['service'])))])} of this stack: one declaration answers them all`,
  },
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const shares = hostShares(service);
    if (shares.length === 0) return findings;
    for (const { value, via } of requestedGids(service)) {
      const gid = parseId(value.value);
      if (gid === undefined || gid === 0) continue;
      const suggestion = suggestGroup(gid, ctx.snapshot);
      const holder = serviceGroupHolding(gid, suggestion.name, ctx.nix);
      if (ctx.nix?.findGroupByGid(gid) && !holder) continue;
      const declared = suggestion.name ? ctx.nix?.groups.get(suggestion.name) : undefined;
      const where = ctx.nix ? displayFile(ctx.nix.entry) : 'the NixOS configuration';
      let reason: string;
      if (holder) {
        reason =
          `gid ${gid} is \`${holder.name}\`'s on NixOS (a static id of nixos/modules/misc/ids.nix, declared because \`${holder.nixosDeclaredBy} = true\`), ` +
          `not \`${suggestion.name ?? ''}\`'s; giving \`${suggestion.name ?? ''}\` gid ${gid} fails evaluation ("UIDs and GIDs must be unique!") while that option is on`;
      } else if (declared?.gid !== undefined && declared.nixosDefaultGid !== undefined && !declared.gidDef) {
        reason = `NixOS declares \`${declared.name}\` with gid ${declared.gid}, not ${gid}; it needs \`users.groups.${declared.name}.gid = lib.mkForce ${gid};\``;
      } else if (declared?.gid !== undefined) {
        reason = `\`${declared.name}\` has gid ${declared.gid} on NixOS, not ${gid}`;
      } else if (suggestion.name) {
        reason = `no group has gid ${gid} (${where} and its imports) — on the old host it was \`${suggestion.name}\``;
      } else {
        reason = `no group has gid ${gid} (${where} and its imports)`;
      }
      const related = holder
        ? relatedToMissing(ctx, (holder.nixosDeclaredBy ?? '').split('.'), `${holder.nixosDeclaredBy} = true makes NixOS declare ${holder.name} with gid ${gid}`)
        : declared?.declaredAt
        ? relatedToDefinition(declared.declaredAt, `users.groups.${declared.name} is declared here`)
        : declared?.nixosDefaultGid !== undefined
          ? relatedToMissing(ctx, ['users', 'groups', declared.name, 'gid'], `${declared.name} keeps NixOS's gid ${declared.nixosDefaultGid}: users.groups.${declared.name}.gid = lib.mkForce ${gid}; is missing here`)
          : relatedToMissing(ctx, suggestion.name ? ['users', 'groups', suggestion.name, 'gid'] : ['users', 'groups'], `no group with gid ${gid} declared here or in its imports`);
      findings.push({
        file: value.loc.file,
        range: value.loc.range,
        message: `${plain(via)} ${value.value} of service ${service.name}: ${headline(gid, holder, declared)}`,
        explanation: `${writtenAs(value)}${upperFirst(reason)}. ${consequence(gid, suggestion.name, declared, shares)}.`,
        related,
        data: {
          service: service.name,
          gid,
          groupName: suggestion.name ?? null,
          personalOf: suggestion.personalOf ?? null,
          nixosDefaultGid: declared?.nixosDefaultGid ?? null,
          member: serviceUserName(service, ctx.nix, ctx.snapshot) ?? null,
          sharedPath: shares[0]?.path ?? null,
          collidesWith: holder?.name ?? null,
          collisionEnabledBy: holder?.nixosDeclaredBy ?? null,
        },
      });
    }
    return findings;
  },
});

/** What is wrong with the gid on NixOS, in a few words for the headline (the reason in full goes below it). */
function headline(gid: number, holder: NixGroup | undefined, declared: NixGroup | undefined): string {
  if (holder) return `gid ${gid} is taken by NixOS's ${holder.name} group`;
  if (declared?.gid !== undefined) return `NixOS gives ${declared.name} gid ${declared.gid}, not ${gid}`;
  return `no NixOS group has gid ${gid}`;
}

/** What breaks, for whom: the container keeps its gid; host users sharing the files through the group lose out. */
function consequence(gid: number, oldName: string | undefined, declared: NixGroup | undefined, shares: HostShare[]): string {
  const where = describeShares(shares);
  const start = `The container keeps gid ${gid} whatever NixOS declares, but it shares ${where} with the host`;
  if (declared?.gid !== undefined && declared.gid !== gid) {
    return `${start}, where \`${declared.name}\` is gid ${declared.gid}: members of \`${declared.name}\` on the host get no group access to the files with gid ${gid} there`;
  }
  return `${start}, where no group has gid ${gid}: no host user or service gets group access to the files with gid ${gid} there${oldName ? ` (on the old host, the members of \`${oldName}\` had it)` : ''}`;
}
