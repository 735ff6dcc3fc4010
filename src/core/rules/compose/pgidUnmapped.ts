import type { ComposeService } from '../../compose/model';
import { requestedGids } from '../../compose/requestedIds';
import { groupByGid, userByUid } from '../../host';
import type { NixConfiguration } from '../../nix/model';
import type { HostSnapshot } from '../../host/model';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';
import { describeValue, displayFile, driMappings, parseId, relatedToDefinition, relatedToMissing } from '../facts';

/**
 * Which group the fix should declare for a gid: the old host's name for it; else the uid's personal group
 * (Ubuntu's `palav:palav` 1000:1000); else `render` when the service gets /dev/dri.
 */
function suggestGroup(service: ComposeService, gid: number, snapshot: HostSnapshot | undefined): { name?: string; personalOf?: string } {
  const oldGroup = snapshot ? groupByGid(snapshot, gid) : undefined;
  const owner = snapshot?.users.find((user) => user.gid === gid);
  const name = oldGroup?.name ?? owner?.primaryGroup ?? (driMappings(service).length > 0 ? 'render' : undefined);
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

export const pgidUnmapped = perService({
  id: 'pgid-unmapped',
  side: 'compose',
  defaultSeverity: 'error',
  summary: 'A PGID, `user:` gid or numeric `group_add` matches no group NixOS declares with that gid.',
  fixable: (data, ctx) => ctx.hasConfiguration && typeof data?.['groupName'] === 'string',
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const { value, via } of requestedGids(service)) {
      const gid = parseId(value.value);
      if (gid === undefined || gid === 0) continue;
      if (ctx.nix?.findGroupByGid(gid)) continue;
      const suggestion = suggestGroup(service, gid, ctx.snapshot);
      const declared = suggestion.name ? ctx.nix?.groups.get(suggestion.name) : undefined;
      const where = ctx.nix ? displayFile(ctx.nix.entry) : 'the NixOS configuration';
      let reason: string;
      if (declared?.gid !== undefined && declared.nixosDefaultGid !== undefined && !declared.gidDef) {
        reason = `NixOS declares \`${declared.name}\` with gid ${declared.gid}, not ${gid}; it needs \`users.groups.${declared.name}.gid = lib.mkForce ${gid};\``;
      } else if (declared?.gid !== undefined) {
        reason = `\`${declared.name}\` has gid ${declared.gid} on NixOS, not ${gid}`;
      } else if (suggestion.name) {
        reason = `no group has gid ${gid} (${where} and its imports) — on the old host it was \`${suggestion.name}\``;
      } else {
        reason = `no group has gid ${gid} (${where} and its imports)`;
      }
      const related = declared?.declaredAt
        ? relatedToDefinition(declared.declaredAt, `users.groups.${declared.name} is declared here`)
        : declared?.nixosDefaultGid !== undefined
          ? relatedToMissing(ctx.nix, `${declared.name} keeps NixOS's gid ${declared.nixosDefaultGid}: \`users.groups.${declared.name}.gid = lib.mkForce ${gid};\` is missing here`)
          : relatedToMissing(ctx.nix, `no group with gid ${gid} declared here or in its imports`);
      findings.push({
        file: value.loc.file,
        range: value.loc.range,
        message: `${via} ${describeValue(value)} of service \`${service.name}\`: ${reason}. Files owned by gid ${gid} will be "permission denied"`,
        related,
        data: {
          gid,
          groupName: suggestion.name ?? null,
          personalOf: suggestion.personalOf ?? null,
          nixosDefaultGid: declared?.nixosDefaultGid ?? null,
          member: serviceUserName(service, ctx.nix, ctx.snapshot) ?? null,
        },
      });
    }
    return findings;
  },
});
