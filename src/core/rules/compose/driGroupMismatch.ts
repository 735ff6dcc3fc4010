import type { ComposeService } from '../../compose/model';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';
import { renderGroupGid } from '../../host';
import { driMappings, isLinuxserverImage, parseId, relatedToDefinition, relatedToMissing } from '../facts';

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

export const driGroupMismatch = perService({
  id: 'dri-group-mismatch',
  side: 'compose',
  defaultSeverity: 'warning',
  summary: 'A non-root container gets /dev/dri but none of its groups is the gid NixOS gives `render`.',
  fixable: () => true,
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    const mappings = driMappings(service);
    const first = mappings[0];
    if (!first || isLinuxserverImage(service) || !runsAsNonRoot(service)) return [];
    const render = ctx.nix?.groups.get('render');
    const renderGid = render?.gid ?? 303;
    const { gids, hasNamedGroup } = processGids(service);
    // A group name is resolved inside the container's /etc/group: we cannot tell its gid, so stay quiet.
    if (hasNamedGroup || gids.includes(renderGid)) return [];
    return [
      {
        file: first.loc.file,
        range: first.loc.range,
        message: `Service \`${service.name}\` runs as \`${service.user?.raw.value}\` and gets \`${first.host}\`, but none of its groups (${gids.length ? gids.join(', ') : 'none'}) is ${renderGid}, the gid NixOS gives \`render\` (owner of /dev/dri/renderD*): opening the render node fails. Add \`group_add: ["${renderGid}"]\``,
        related: render?.gidDef
          ? relatedToDefinition(render.gidDef, `render has gid ${renderGid} here`)
          : relatedToMissing(ctx.nix, `render is not given a gid here: NixOS's default ${renderGid} applies`),
        // The old host's render gid: the alternative fix forces NixOS's render group to it instead.
        data: { service: service.name, renderGid, oldRenderGid: (ctx.snapshot ? renderGroupGid(ctx.snapshot) : undefined) ?? null },
      },
    ];
  },
});
