import * as path from 'node:path';
import type { ComposeService, VolumeMount } from '../../compose/model';
import { dataMounts, mountCovering } from '../../host';
import type { DataMount, HostSnapshot } from '../../host/model';
import type { NixConfiguration } from '../../nix/model';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';
import { displayFile, relatedToMissing } from '../facts';

/** True when `child` is `parent` or lies below it, on path-segment boundaries. */
export function pathCovers(parent: string, child: string): boolean {
  if (parent === '/') return true;
  const normalizedParent = parent.replace(/\/+$/, '');
  return child === normalizedParent || child.startsWith(`${normalizedParent}/`);
}

/** The data mount a host path lives on: the snapshot's mounts first, else `<root>/<first folder>` under a mount root. */
export function dataMountFor(source: string, snapshot: HostSnapshot | undefined, mountRoots: string[]): DataMount | undefined {
  const normalized = path.posix.normalize(source);
  if (snapshot) {
    const mount = mountCovering(normalized, dataMounts(snapshot));
    if (mount) return mount;
  }
  for (const root of mountRoots) {
    const cleanRoot = root.replace(/\/+$/, '');
    if (!normalized.startsWith(`${cleanRoot}/`)) continue;
    const first = normalized.slice(cleanRoot.length + 1).split('/')[0];
    if (first) return { mountpoint: `${cleanRoot}/${first}`, options: [], origin: `under the mount root ${cleanRoot}` };
  }
  return undefined;
}

/** Mount points the configuration declares (`fileSystems."<mp>"` in any form), the root excluded. */
export function declaredMountPoints(nix: NixConfiguration | undefined): string[] {
  if (!nix) return [];
  const points = new Set<string>();
  for (const def of nix.definitionsUnder(['fileSystems'])) {
    const mountpoint = def.path[1];
    if (mountpoint && mountpoint !== '/') points.add(mountpoint);
  }
  return [...points];
}

/** A declared mount covers the bind when it contains the source and is not a mere parent folder of the data disk. */
function isDeclared(source: string, mount: DataMount, declared: string[]): boolean {
  return declared.some((mp) => pathCovers(mp, source) && pathCovers(mount.mountpoint, mp));
}

function bindSources(volumes: VolumeMount[]): (VolumeMount & { source: string })[] {
  return volumes.filter((v): v is VolumeMount & { source: string } => v.type === 'bind' && typeof v.source === 'string' && v.source.startsWith('/'));
}

export const bindMountUndeclared = perService({
  id: 'bind-mount-undeclared',
  side: 'compose',
  defaultSeverity: 'warning',
  summary: 'A bind-mount source lies on a data disk that no `fileSystems."<mountpoint>"` declares.',
  fixable: (data, ctx) => ctx.hasConfiguration && (typeof data?.['uuid'] === 'string' || typeof data?.['device'] === 'string'),
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    const declared = declaredMountPoints(ctx.nix);
    const findings: RuleFinding[] = [];
    for (const volume of bindSources(service.volumes)) {
      const mount = dataMountFor(volume.source, ctx.snapshot, ctx.mountRoots);
      if (!mount || isDeclared(volume.source, mount, declared)) continue;
      const origin = volume.raw && volume.raw !== volume.source ? ` (\`${volume.raw.split(':')[0]}\`${describeSubstitutions(volume)})` : '';
      const disk = mount.uuid ? ` (${[mount.fsType, `UUID ${mount.uuid}`].filter(Boolean).join(', ')})` : '';
      const advice = mount.uuid
        ? `declare \`fileSystems."${mount.mountpoint}"\` by UUID with the old fstab options`
        : 'run "NixOS Homelab: Extract Host State" (or `nixos-homelab extract`) on the old host to learn its UUID and options';
      findings.push({
        file: volume.loc.file,
        range: volume.loc.range,
        message: `Bind mount \`${volume.source}\`${origin} of service \`${service.name}\` lies on the data disk ${mount.mountpoint}${disk}, but no \`fileSystems."${mount.mountpoint}"\` is declared: NixOS will not mount it and the container writes into an empty folder on the root disk — ${advice}`,
        related: relatedToMissing(ctx.nix, `\`fileSystems."${mount.mountpoint}"\` is missing here`),
        data: {
          mountpoint: mount.mountpoint,
          uuid: mount.uuid ?? null,
          device: mount.device ?? null,
          fsType: mount.fsType ?? null,
          options: mount.options,
          origin: mount.origin,
        },
      });
    }
    return findings;
  },
});

function describeSubstitutions(volume: VolumeMount): string {
  const subs = (volume.substitutions ?? []).filter((sub) => sub.source === 'env-file' && sub.file);
  return subs.length ? `, ${subs.map((sub) => `${sub.name} from ${displayFile(sub.file ?? '')}`).join(', ')}` : '';
}
