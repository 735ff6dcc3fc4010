import type { ComposeService } from '../../compose/model';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';
import { renderGroupGid } from '../../host';
import { driMappings, isLinuxserverImage, parseId, relatedToDefinition } from '../facts';
import { groupAccessible, renderNodeAccess, worldAccessible } from './driRenderNodeAccess';

/**
 * `dri-group-mismatch`. On NixOS the render nodes are `0666 root:render` (see driRenderNodeAccess.ts): a container
 * opens them whatever its groups, so a missing `group_add` breaks nothing by itself. The rule fires only when the
 * configuration's own udev rules take that access away, and names the group the container then needs.
 */

/** The numeric groups a container process has: its `user:` gid and numeric `group_add` entries. */
function processGids(service: ComposeService): { gids: number[]; hasNamedGroup: boolean } {
  const gids: number[] = [];
  let hasNamedGroup = false;
  for (const value of [service.user?.group, ...service.groupAdd]) {
    if (!value) continue;
    const gid = parseId(value.value);
    if (gid === undefined) hasNamedGroup = true;
    else gids.push(gid);
  }
  return { gids, hasNamedGroup };
}

/** A container user that is not root; undefined `user:` means the image's default, which we cannot see. */
function runsAsNonRoot(service: ComposeService): boolean {
  const user = service.user?.user.value.trim();
  return user !== undefined && user !== '' && user !== '0' && user !== 'root';
}

const octal = (mode: number): string => `0${mode.toString(8).padStart(3, '0')}`;

export const driGroupMismatch = perService({
  id: 'dri-group-mismatch',
  side: 'compose',
  defaultSeverity: 'warning',
  summary: 'The configuration restricts /dev/dri/renderD* with a udev rule, and a non-root container that gets /dev/dri is not in the owning group.',
  fixable: (data) => typeof data?.['renderGid'] === 'number',
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    const first = driMappings(service)[0];
    if (!first || isLinuxserverImage(service) || !runsAsNonRoot(service)) return [];
    const access = renderNodeAccess(ctx.nix);
    // NixOS's default (systemd's 0666) or a rule that keeps the node world-accessible: every process can open it.
    if (!access || worldAccessible(access.mode)) return [];
    const { gids, hasNamedGroup } = processGids(service);
    const group = ctx.nix?.groups.get(access.group);
    const groupGid = group?.gid ?? group?.nixosDefaultGid;
    const head = `Service \`${service.name}\` runs as \`${service.user?.raw.value}\` and gets \`${first.host}\`, but \`services.udev.extraRules\` makes /dev/dri/renderD* mode ${octal(access.mode)} (group \`${access.group}\`), so only`;
    const headline = `Service ${service.name} cannot open ${first.host}: a udev rule makes the render nodes mode ${octal(access.mode)}, group ${access.group}`;
    const related = relatedToDefinition(access.setBy, `the udev rule that sets mode ${octal(access.mode)} / group ${access.group}`);
    if (!groupAccessible(access.mode)) {
      return [{ file: first.loc.file, range: first.loc.range, message: headline, explanation: `${head} root can open it; the container falls back to software.\n\nFix: give the node group read/write access (e.g. \`MODE="0660"\`) or drop the rule.`, related, data: { service: service.name } }];
    }
    // A group name is resolved inside the container's /etc/group: we cannot tell its gid, so stay quiet.
    if (hasNamedGroup || groupGid === undefined || gids.includes(groupGid)) return [];
    return [
      {
        file: first.loc.file,
        range: first.loc.range,
        message: headline,
        explanation: `${head} members of \`${access.group}\` (gid ${groupGid}) can open it. None of the container's groups (${gids.length ? gids.join(', ') : 'none'}) is ${groupGid}: opening the render node fails and transcoding falls back to the CPU.\n\nFix: add \`group_add: ["${groupGid}"]\`.`,
        related,
        // The old host's render gid: the alternative fix forces NixOS's render group to it instead.
        data: { service: service.name, renderGid: groupGid, oldRenderGid: (access.group === 'render' && ctx.snapshot ? renderGroupGid(ctx.snapshot) : undefined) ?? null },
      },
    ];
  },
});
