/**
 * NixOS facts the product relies on (SPEC §3), in one place.
 *
 * Group ids: nixpkgs `nixos/modules/misc/ids.nix` (`ids.gids`), used by `nixos/modules/config/users-groups.nix`
 * (users, video, render, audio, input, kvm: declared for systemd's default udev rules) and by
 * `nixos/modules/virtualisation/docker.nix` (`users.groups.docker.gid = config.ids.gids.docker`, only under
 * `mkIf cfg.enable`). They are declared at normal priority, so a plain user definition of another gid conflicts.
 */

/** A group NixOS declares itself, with the gid it gives it. */
export interface ReservedGroup {
  name: string;
  gid: number;
  /** Declared only when Docker is enabled. */
  requiresDocker: boolean;
}

/**
 * gids NixOS declares (ids.nix), by group name; docker only when Docker is enabled (see `builtinGroups`).
 * A prototype-less object, so `name in RESERVED_GIDS` is true only for these names.
 */
export const RESERVED_GIDS: Readonly<Record<string, number>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, number>, {
    users: 100,
    video: 26,
    render: 303,
    audio: 17,
    input: 174,
    kvm: 302,
    docker: 131,
  }),
);

/** Reserved groups NixOS declares only when Docker is enabled. */
const DOCKER_ONLY_GROUPS = new Set(['docker']);

/** The groups NixOS declares for this configuration (docker only when `virtualisation.docker.enable`). */
export function builtinGroups(dockerEnabled: boolean): ReservedGroup[] {
  return Object.entries(RESERVED_GIDS)
    .map(([name, gid]) => ({ name, gid, requiresDocker: DOCKER_ONLY_GROUPS.has(name) }))
    .filter((group) => dockerEnabled || !group.requiresDocker);
}

/** The primary group of `isNormalUser` users on NixOS (`users`, gid 100), unlike Ubuntu's personal group. */
export const NORMAL_USER_PRIMARY_GROUP = 'users';

/** First uid NixOS allocates to normal users without an explicit `uid`. */
export const FIRST_NORMAL_UID = 1000;

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
