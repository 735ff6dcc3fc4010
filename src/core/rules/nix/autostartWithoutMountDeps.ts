import * as path from 'node:path';
import type { ComposeProject } from '../../compose/model';
import type { DataMount } from '../../host/model';
import { composeUnits, unitMatch } from '../../nix/composeUnits';
import type { NixScript, NixSystemdService } from '../../nix/model';
import { declaredMounts, isNetworkMount, nixMountCovering, type NixMount } from '../../nix/mounts';
import type { RelatedInformation } from '../../types';
import { pathCovers, snapshotDataMount } from '../compose/bindMountUndeclared';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { scriptRange } from './unitScripts';

/** `docker compose … up` or `docker-compose … up` (flags and `-f file` allowed in between). */
const COMPOSE_UP = /\bdocker(?:-compose|\s+compose)\b[^\n;|&]*?\bup\b/;

/**
 * The stacks a unit starts: those its WorkingDirectory, `cd`, `-f`/`--project-directory` name (composeUnits), or
 * whose folder or file its command lines name, `let` bindings and `${./path}` read. None when it names none: a unit
 * that cannot be tied to its stacks is not judged by every stack's mounts.
 */
export function stacksStartedBy(service: Pick<NixSystemdService, 'name' | 'scripts'>, projects: ComposeProject[], units: ReturnType<typeof composeUnits> = []): ComposeProject[] {
  const unit = units.find((candidate) => candidate.service === service.name);
  const texts = service.scripts.map((script) => script.expanded ?? script.text);
  return projects.filter((project) => (unit !== undefined && unitMatch(unit, project.dir) > 0) || texts.some((text) => namesStack(text, project)));
}

function namesStack(text: string, project: ComposeProject): boolean {
  if (text.includes(project.dir) || text.includes(project.file)) return true;
  const folder = path.basename(project.dir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`/${folder}(?=[/"'\\s;]|$)`, 'm').test(text);
}

/** What makes a unit wait for a mount: nothing (mounted before services start), its mount unit, or the mounting service. */
type MountNeed = { kind: 'none' } | { kind: 'mount-unit'; network: boolean } | { kind: 'service'; service: string };

/**
 * Does a service with default dependencies (after sysinit.target, itself after local-fs.target) start before this
 * mount is there? Local file systems without `nofail`/`noauto` are ordered before local-fs.target, automounts mount
 * on access, ZFS datasets are mounted by zfs-mount.service before local-fs.target; network file systems are only
 * before remote-fs.target, `nofail` ones before nothing, `systemd.mounts` units start when something wants them, and
 * a mergerfs/rclone service whenever it starts.
 */
function needOf(mount: NixMount | undefined, disk: DataMount | undefined, automountPoints: Set<string>): MountNeed {
  if (mount) {
    if (mount.source === 'zfs-pool' || mount.source === 'systemd.automounts' || automountPoints.has(mount.mountpoint)) return { kind: 'none' };
    if (mount.source === 'service') return mount.service ? { kind: 'service', service: mount.service } : { kind: 'none' };
    if (mount.source === 'systemd.mounts') return { kind: 'mount-unit', network: isNetworkMount(mount) };
    return optionsNeed(mount.options, isNetworkMount(mount));
  }
  if (disk) return optionsNeed(disk.options, isNetworkMount({ fsType: disk.fsType, options: disk.options }));
  return { kind: 'none' };
}

function optionsNeed(options: string[], network: boolean): MountNeed {
  if (options.includes('x-systemd.automount')) return { kind: 'none' };
  if (options.includes('nofail') || options.includes('noauto') || network) return { kind: 'mount-unit', network: network && !options.includes('nofail') && !options.includes('noauto') };
  return { kind: 'none' };
}

interface Needed {
  /** Mount point → a bind that needs it, for related information. */
  mountUnits: Map<string, { related: RelatedInformation; network: boolean }>;
  /** Mounting service → a bind that needs it. */
  services: Map<string, RelatedInformation>;
}

/**
 * What a unit starting these stacks must wait for — the mount points to name in `RequiresMountsFor`, the services
 * that mount (mergerfs, rclone) to require and order after — as this rule judges it; `generate` writes its boot
 * service from the same answer.
 */
export function mountDependencies(ctx: Pick<NixRuleContext, 'nix' | 'snapshot'>, projects: ComposeProject[]): { mountpoints: string[]; services: string[] } {
  const needed = neededBy(ctx, projects);
  return { mountpoints: [...needed.mountUnits.keys()].sort(), services: [...needed.services.keys()].sort() };
}

/** What the stacks' binds need the unit to wait for, from the declared mounts, else the snapshot's. */
function neededBy(ctx: Pick<NixRuleContext, 'nix' | 'snapshot'>, projects: ComposeProject[]): Needed {
  const declared = declaredMounts(ctx.nix);
  const automountPoints = new Set(declared.filter((mount) => mount.source === 'systemd.automounts').map((mount) => mount.mountpoint));
  const needed: Needed = { mountUnits: new Map(), services: new Map() };
  for (const project of projects) {
    for (const service of project.services) {
      for (const volume of service.volumes) {
        if (volume.type !== 'bind' || !volume.source?.startsWith('/') || volume.sourceUnresolved || (volume.substitutions ?? []).some((sub) => sub.source === 'unset')) continue;
        const source = path.posix.normalize(volume.source);
        const mount = nixMountCovering(source, declared);
        const disk = mount ? undefined : ctx.snapshot ? snapshotDataMount(source, ctx.snapshot) : undefined;
        const need = needOf(mount, disk, automountPoints);
        const mountpoint = mount?.mountpoint ?? disk?.mountpoint;
        const related = { location: volume.loc, message: `service ${service.name} bind-mounts ${volume.source} from ${mountpoint}` };
        if (need.kind === 'mount-unit' && mountpoint && !needed.mountUnits.has(mountpoint)) needed.mountUnits.set(mountpoint, { related, network: need.network });
        if (need.kind === 'service' && !needed.services.has(need.service)) needed.services.set(need.service, related);
      }
    }
  }
  return needed;
}

/** A systemd mount unit name (`/mnt/Plex Storage` → `mnt-Plex\x20Storage.mount`), as systemd-escape --path writes it. */
export function mountUnitName(mountpoint: string): string {
  const trimmed = mountpoint.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '-.mount';
  const escaped = trimmed.split('/').map((part) => part.replace(/[^A-Za-z0-9:_.]|^\./g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('-');
  return `${escaped}.mount`;
}

/** The script that runs `compose up`, and the match in its text (for the range) when it is there as written. */
function composeUpScript(service: NixSystemdService): { script: NixScript; match: RegExpExecArray | null } | undefined {
  for (const script of service.scripts) {
    const match = COMPOSE_UP.exec(script.text);
    if (match || COMPOSE_UP.test(script.expanded ?? '')) return { script, match };
  }
  return undefined;
}

/** A unit that starts compose stacks must wait for the disks they bind-mount, or containers write to the root disk. */
export const autostartWithoutMountDeps: NixRule = {
  id: 'autostart-without-mount-deps',
  side: 'nix',
  readsStacks: true,
  defaultSeverity: 'warning',
  summary: 'A unit runs `docker compose up` for stacks whose mounts may not be there yet (no `RequiresMountsFor` or dependency on the mounting service).',
  fixable: (data) => Array.isArray(data?.['missing']) && data['missing'].length > 0,
  check(ctx: NixRuleContext): RuleFinding[] {
    if (ctx.projects.length === 0) return [];
    const findings: RuleFinding[] = [];
    let units: ReturnType<typeof composeUnits> | undefined;
    for (const service of ctx.nix.systemdServices.values()) {
      const started = composeUpScript(service);
      if (!started) continue;
      units ??= composeUnits(ctx.nix);
      const needed = neededBy(ctx, stacksStartedBy(service, ctx.projects, units));
      const dependencies = [...service.requires, ...service.wants, ...service.after];
      const missing = [...needed.mountUnits.entries()]
        .filter(([mountpoint]) => !service.requiresMountsFor.some((required) => pathCovers(mountpoint, required)))
        .filter(([mountpoint]) => !dependencies.includes(mountUnitName(mountpoint)))
        .filter(([, need]) => !(need.network && service.after.includes('remote-fs.target')))
        .map(([mountpoint]) => mountpoint)
        .sort();
      const services = [...needed.services.keys()].filter((name) => !dependencies.includes(`${name}.service`) && !dependencies.includes(name)).sort();
      if (missing.length === 0 && services.length === 0) continue;
      const { script, match } = started;
      const range = match ? scriptRange(ctx.nix, script, match.index, match.index + match[0].length) : script.definition.valueLoc.range;
      const what = [...missing, ...services.map((name) => `the mount of ${name}.service`)];
      const advice = [
        missing.length > 0 ? `\`unitConfig.RequiresMountsFor = [ ${missing.map((mp) => `"${mp}"`).join(' ')} ];\`` : '',
        services.length > 0 ? `\`requires = [ ${services.map((name) => `"${name}.service"`).join(' ')} ];\` and the same in \`after\`` : '',
      ].filter(Boolean).join(' and ');
      findings.push({
        file: script.file,
        range,
        message: `systemd.services.${service.name} starts compose stacks before ${what.length > 1 ? `the ${what.length} mounts they bind` : 'the mount they bind'} (${what.length > 1 ? 'no dependency on them' : 'no dependency on it'})`,
        explanation: `It starts compose stacks that bind-mount ${what.join(', ')}, but does not wait for ${what.length > 1 ? 'them' : 'it'}: at boot the containers can start before the mount is there and write into the empty folder on the root disk.\n\nFix: add ${advice}.`,
        related: [...missing.map((mountpoint) => needed.mountUnits.get(mountpoint)?.related), ...services.map((name) => needed.services.get(name))].filter((info): info is RelatedInformation => info !== undefined),
        data: { service: service.name, missing, services },
      });
    }
    return findings;
  },
};
