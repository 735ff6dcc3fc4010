import { DECLARED_BY, declaredStaticIds, STATIC_IDS, type OptionReader } from './staticIds';

/**
 * NixOS facts the product relies on (SPEC §3), in one place.
 *
 * Group ids: nixpkgs `nixos/modules/misc/ids.nix` (`ids.gids`), encoded with the modules that declare them in
 * `staticIds.ts`: `nixos/modules/config/users-groups.nix` declares users, video, render, audio, input, kvm… for every
 * configuration; `nixos/modules/virtualisation/docker.nix` declares `docker` only under `mkIf cfg.enable`; service
 * modules declare theirs when enabled (`systemd-journal-gateway` 110 with `services.journald.gateway.enable`). They
 * are declared at normal priority, so a plain user definition of another gid conflicts.
 */

/** A group NixOS declares itself, with the gid it gives it. */
export interface ReservedGroup {
  name: string;
  gid: number;
  /** The option that makes NixOS declare it (`virtualisation.docker.enable`); undefined: every configuration. */
  enabledBy?: string;
}

/**
 * gids of the groups NixOS declares in every configuration, plus docker (declared with Docker): the groups whose gid a
 * homelab may have to force. A prototype-less object, so `name in RESERVED_GIDS` is true only for these names.
 */
export const RESERVED_GIDS: Readonly<Record<string, number>> = Object.freeze(
  Object.assign(
    Object.create(null) as Record<string, number>,
    Object.fromEntries(
      Object.entries(DECLARED_BY)
        .filter(([name, declaration]) => declaration.declares.group && (declaration.enable.length === 0 || name === 'docker'))
        .flatMap(([name]) => {
          const gid = STATIC_IDS.get(name)?.gid;
          return gid === undefined ? [] : [[name, gid] as const];
        }),
    ),
  ),
);

/** The groups NixOS declares for this configuration: the unconditional ones and those of enabled services. */
export function builtinGroups(read: OptionReader): ReservedGroup[] {
  return declaredStaticIds(read).flatMap((id) => (id.gid === undefined ? [] : [{ name: id.name, gid: id.gid, ...(id.enabledBy ? { enabledBy: id.enabledBy } : {}) }]));
}

/** Module-system priorities (nixpkgs lib/modules.nix): lower wins. */
export const PRIORITY = {
  force: 50,
  plain: 100,
  default: 1000,
  optionDefault: 1500,
  vmOverride: 10,
} as const;

/** NixOS releases the product knows, oldest first. */
export const NIXOS_RELEASES = ['23.05', '23.11', '24.05', '24.11', '25.05', '25.11'] as const;

/** The newest stable release: the assumption when neither the setting nor flake.lock names one (SPEC §2). */
export const NEWEST_STABLE_RELEASE = '25.11';

/** Release from which `hardware.graphics` replaces `hardware.opengl` and `hardware.nvidia.open` must be set. */
export const GRAPHICS_RENAME_RELEASE = '24.11';

/** Release from which `hardware.nvidia-container-toolkit.enable` exists. */
export const CONTAINER_TOOLKIT_RELEASE = '24.05';

/** Parses `YY.MM` (also `nixos-24.11`, `24.11pre…`, `release-24.11`); undefined when it is not a release. */
export function parseRelease(release: string): { year: number; month: number } | undefined {
  const match = /(\d{2})\.(\d{2})/.exec(release);
  if (!match) return undefined;
  return { year: Number(match[1]), month: Number(match[2]) };
}

/**
 * True when `release` is `minimum` or later. An unreadable release counts as the newest stable one (SPEC §2: the
 * product assumes the newest release it knows when none is given).
 */
export function releaseAtLeast(release: string, minimum: string): boolean {
  const actual = parseRelease(release) ?? parseRelease(NEWEST_STABLE_RELEASE);
  const wanted = parseRelease(minimum);
  if (!actual || !wanted) return false;
  return actual.year !== wanted.year ? actual.year > wanted.year : actual.month >= wanted.month;
}
