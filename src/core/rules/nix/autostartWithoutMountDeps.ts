import * as path from 'node:path';
import type { ComposeProject } from '../../compose/model';
import type { NixScript } from '../../nix/model';
import type { RelatedInformation } from '../../types';
import { dataMountFor, pathCovers } from '../compose/bindMountUndeclared';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { scriptRange } from './unitScripts';

/** `docker compose … up` or `docker-compose … up` (flags and `-f file` allowed in between). */
const COMPOSE_UP = /\bdocker(?:-compose|\s+compose)\b[^\n;|&]*?\bup\b/;

/** The stacks a script starts: those whose folder or file it names (by path, or by folder name); else all of them. */
export function stacksStartedBy(text: string, projects: ComposeProject[]): ComposeProject[] {
  const named = projects.filter((project) => {
    if (text.includes(project.dir) || text.includes(project.file)) return true;
    const folder = path.basename(project.dir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`/${folder}(?=[/"'\\s;]|$)`, 'm').test(text);
  });
  return named.length > 0 ? named : projects;
}

/** Data mount points the stacks bind-mount from, with one bind per mount point for related information. */
function mountsOf(ctx: NixRuleContext, projects: ComposeProject[]): Map<string, RelatedInformation> {
  const mounts = new Map<string, RelatedInformation>();
  for (const project of projects) {
    for (const service of project.services) {
      for (const volume of service.volumes) {
        if (volume.type !== 'bind' || !volume.source?.startsWith('/')) continue;
        const mount = dataMountFor(volume.source, ctx.snapshot, ctx.mountRoots);
        if (!mount || mounts.has(mount.mountpoint)) continue;
        mounts.set(mount.mountpoint, { location: volume.loc, message: `service \`${service.name}\` bind-mounts ${volume.source} from ${mount.mountpoint}` });
      }
    }
  }
  return mounts;
}

/** A systemd mount unit name (`/mnt/Plex Storage` → `mnt-Plex\x20Storage.mount`), as systemd-escape --path writes it. */
export function mountUnitName(mountpoint: string): string {
  const trimmed = mountpoint.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '-.mount';
  const escaped = trimmed.split('/').map((part) => part.replace(/[^A-Za-z0-9:_.]|^\./g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('-');
  return `${escaped}.mount`;
}

/** A unit that starts compose stacks must wait for the disks they bind-mount, or containers write to the root disk. */
export const autostartWithoutMountDeps: NixRule = {
  id: 'autostart-without-mount-deps',
  side: 'nix',
  readsStacks: true,
  defaultSeverity: 'warning',
  summary: 'A unit runs `docker compose up` for stacks on data disks without `unitConfig.RequiresMountsFor` for them.',
  fixable: (data) => Array.isArray(data?.['missing']),
  check(ctx: NixRuleContext): RuleFinding[] {
    if (ctx.projects.length === 0) return [];
    const findings: RuleFinding[] = [];
    for (const service of ctx.nix.systemdServices.values()) {
      const started = service.scripts.map((script) => ({ script, match: COMPOSE_UP.exec(script.text) })).find((entry) => entry.match);
      if (!started?.match) continue;
      const script: NixScript = started.script;
      const mounts = mountsOf(ctx, stacksStartedBy(script.text, ctx.projects));
      const mountUnits = [...service.requires, ...service.wants, ...service.after];
      const missing = [...mounts.keys()]
        .filter((mountpoint) => !service.requiresMountsFor.some((required) => pathCovers(mountpoint, required)))
        .filter((mountpoint) => !mountUnits.includes(mountUnitName(mountpoint)))
        .sort();
      if (missing.length === 0) continue;
      const start = started.match.index;
      findings.push({
        file: script.file,
        range: scriptRange(ctx.nix, script, start, start + started.match[0].length),
        message: `\`systemd.services.${service.name}\` starts compose stacks that bind-mount ${missing.join(', ')}, but has no \`unitConfig.RequiresMountsFor\` for ${missing.length > 1 ? 'them' : 'it'}: at boot the containers can start before the disk is mounted and write into the empty folder on the root disk. Add \`unitConfig.RequiresMountsFor = [ ${missing.map((mp) => `"${mp}"`).join(' ')} ];\`.`,
        related: missing.map((mountpoint) => mounts.get(mountpoint)).filter((info): info is RelatedInformation => info !== undefined),
        data: { service: service.name, missing },
      });
    }
    return findings;
  },
};
