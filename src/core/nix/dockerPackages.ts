import { releaseAtLeast } from './nixosDefaults';

/**
 * Releases whose default Docker package (`docker`, the default of `virtualisation.docker.package` through
 * `mkPackageOption pkgs "docker"` in nixpkgs `nixos/modules/virtualisation/docker.nix`) carries
 * `knownVulnerabilities`, so that a plain `virtualisation.docker.enable = true;` fails evaluation ("is marked as
 * insecure, refusing to evaluate").
 *
 * - 25.11: `docker = docker_28;` in `pkgs/top-level/all-packages.nix`, and docker_28 is marked insecure in
 *   `pkgs/applications/virtualization/docker/default.nix` ("docker_28 has been unmaintained since November 2025, use
 *   docker_29 or newer instead"), backported to release-25.11 by NixOS/nixpkgs#523061 (merged 2026-05-22); switching
 *   the default to docker_29 was declined (NixOS/nixpkgs#526879). Channels older than that backport still evaluate.
 * - 24.11 and 25.05 (docker_27 by default): no such marking found; 26.05 defaults to docker_29 (NixOS/nixpkgs#469004).
 */
export interface InsecureDockerDefault {
  release: string;
  /** The package attribute that is the default and is marked insecure. */
  attribute: string;
  /** The name prefix to look for in `nixpkgs.config.permittedInsecurePackages` (`docker-28.5.2`). */
  namePrefix: string;
  /** The attribute to use instead. */
  replacement: string;
  /** The `knownVulnerabilities` text. */
  knownIssue: string;
}

const INSECURE_DOCKER_DEFAULTS: readonly InsecureDockerDefault[] = [
  { release: '25.11', attribute: 'docker_28', namePrefix: 'docker-28', replacement: 'docker_29', knownIssue: 'docker_28 has been unmaintained since November 2025, use docker_29 or newer instead' },
];

/** The release after `YY.MM` (NixOS releases in May and November). */
function nextRelease(release: string): string {
  const [year = 0, month = 0] = release.split('.').map(Number);
  return month === 5 ? `${year}.11` : `${year + 1}.05`;
}

/** The release's insecure default Docker package, if it has one (an unreadable release counts as the newest known). */
export function insecureDockerDefault(release: string): InsecureDockerDefault | undefined {
  return INSECURE_DOCKER_DEFAULTS.find((entry) => releaseAtLeast(release, entry.release) && !releaseAtLeast(release, nextRelease(entry.release)));
}
