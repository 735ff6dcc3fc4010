import type { NixConfiguration, NixDefinition } from '../../nix/model';
import { PRIORITY } from '../../nix/nixosDefaults';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { definitionData } from './nixRuleHelpers';

/** `users.groups.<name>.gid` and `users.extraGroups.<name>.gid` definitions, in file order. */
export function gidDefinitions(nix: NixConfiguration, group: string): NixDefinition[] {
  return [...nix.definitionsOf(['users', 'groups', group, 'gid']), ...nix.definitionsOf(['users', 'extraGroups', group, 'gid'])];
}

/**
 * NixOS declares `render`, `video`, `users`… (and `docker` with Docker) at normal priority. A plain user definition of
 * another gid conflicts (evaluation fails); a lower-priority one (mkDefault) is silently dropped. Only a definition
 * with a higher priority (mkForce) changes the gid — when there is one, nothing conflicts.
 */
export const reservedGidConflict: NixRule = {
  id: 'reserved-gid-conflict',
  side: 'nix',
  defaultSeverity: 'error',
  summary: 'A group NixOS declares itself (render, video, users, docker…) is given another gid without `lib.mkForce`.',
  fixable: (data) => typeof data?.['gid'] === 'number',
  check(ctx: NixRuleContext): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const group of ctx.nix.groups.values()) {
      const nixosGid = group.nixosDefaultGid;
      if (nixosGid === undefined) continue;
      const defs = gidDefinitions(ctx.nix, group.name);
      if (defs.some((def) => def.numericPriority !== undefined && def.numericPriority < PRIORITY.plain)) continue;
      for (const def of defs) {
        if (def.value.kind !== 'int' || def.value.value === nixosGid || def.numericPriority === undefined) continue;
        const gid = def.value.value;
        const ignored = def.numericPriority > PRIORITY.plain;
        const message = ignored
          ? `This lower-priority gid ${gid} for ${group.name} is silently ignored: NixOS's gid ${nixosGid} wins`
          : `users.groups.${group.name}.gid = ${gid} conflicts with NixOS's own gid ${nixosGid} for ${group.name}: evaluation fails`;
        const explanation = ignored
          ? `NixOS declares \`${group.name}\` with gid ${nixosGid} at normal priority, which wins, so the group stays ${nixosGid}.\n\nFix: use \`lib.mkForce ${gid}\`.`
          : `NixOS declares \`${group.name}\` with gid ${nixosGid} at normal priority: evaluation fails with "The option \`users.groups.${group.name}.gid' has conflicting definition values".\n\nFix: use \`lib.mkForce ${gid}\` — and have it in place at the first activation, since NixOS does not renumber an existing group.`;
        findings.push({
          file: def.file,
          range: def.exprLoc.range,
          message,
          explanation,
          related: [],
          data: { ...definitionData(def), group: group.name, gid, nixosGid, ignored },
        });
      }
    }
    return findings;
  },
};
