import type { DataMount, GpuVendor } from '../host/model';
import { insecureDockerDefault } from '../nix/dockerPackages';
import { RESERVED_GIDS, releaseAtLeast } from '../nix/nixosDefaults';
import { nix } from '../edits/nixExpr';
import { append, set, type Block } from '../edits/setting';

/**
 * Builders of the NixOS blocks the product writes, shared by quick fixes and the module generator. Each encodes
 * the NixOS facts of SPEC §3 so that callers cannot get them wrong.
 */

/**
 * A user with a fixed uid. A new user is a normal user; `personalGroup` also makes its own group primary. `oldHost`:
 * the snapshot says the uid was this user's on the old host (only then does the comment say so).
 */
export function userBlock(options: { name: string; uid: number; exists: boolean; personalGroup?: boolean; extraGroups?: string[]; oldHost?: boolean }): Block {
  const base = ['users', 'users', options.name];
  const settings = [];
  if (!options.exists) settings.push(set([...base, 'isNormalUser'], nix.bool(true)));
  const reason = options.oldHost ? `uid ${options.uid} was ${options.name}'s on the old host` : `the containers run as uid ${options.uid}`;
  settings.push(set([...base, 'uid'], nix.int(options.uid), { reason }));
  // NixOS gives normal users the primary group `users` (100); Ubuntu gave each its own group with the same number.
  if (options.personalGroup) settings.push(set([...base, 'group'], nix.str(options.name)));
  if (options.extraGroups?.length) settings.push(append([...base, 'extraGroups'], nix.strings(options.extraGroups)));
  return { title: `Declare users.users.${options.name}.uid = ${options.uid}`, settings };
}

/** True when NixOS itself declares the group, so another gid must be forced. */
export function isNixosDeclaredGroup(name: string): boolean {
  return name in RESERVED_GIDS;
}

/**
 * A group with a fixed gid. Groups NixOS declares (render, video, users, docker…) get `lib.mkForce`: a plain
 * definition conflicts and `mkDefault` is ignored.
 */
export function groupBlock(options: { name: string; gid: number; members?: string[] }): Block {
  const forced = isNixosDeclaredGroup(options.name) && RESERVED_GIDS[options.name] !== options.gid;
  const settings = [
    set(['users', 'groups', options.name, 'gid'], forced ? nix.mkForce(nix.int(options.gid)) : nix.int(options.gid), {
      needsLib: forced,
      reason: forced ? `NixOS declares ${options.name} as ${RESERVED_GIDS[options.name]}; the containers use ${options.gid}` : `the containers use gid ${options.gid}`,
    }),
  ];
  for (const member of options.members ?? []) settings.push(append(['users', 'users', member, 'extraGroups'], nix.strings([options.name])));
  return { title: `Declare users.groups.${options.name}.gid = ${forced ? `lib.mkForce ${options.gid}` : options.gid}`, settings };
}

/** The graphics option root for a release: hardware.graphics from 24.11, hardware.opengl before. */
export function graphicsRoot(release: string): string[] {
  return releaseAtLeast(release, '24.11') ? ['hardware', 'graphics'] : ['hardware', 'opengl'];
}

/** VA-API drivers per vendor: Intel needs both media drivers (iHD for Gen8+, i965 for older); AMD and NVIDIA need none extra. */
export function vaapiPackages(vendors: GpuVendor[], release: string): string[] {
  if (!vendors.includes('intel')) return [];
  return ['intel-media-driver', releaseAtLeast(release, '24.05') ? 'intel-vaapi-driver' : 'vaapiIntel'];
}

/**
 * `hardware.graphics` with the VA-API drivers: Mesa and VA-API in /run/opengl-driver for programs on the host
 * (`vainfo`, `intel_gpu_top`, a native `services.jellyfin`). No rule's fix and not the generator write it: a
 * container's /dev/dri needs GPU firmware (gpuFirmwareBlock), and images bring their own VA-API userspace.
 */
export function graphicsBlock(release: string, vendors: GpuVendor[]): Block {
  const root = graphicsRoot(release);
  const packages = vaapiPackages(vendors, release);
  const settings = [set([...root, 'enable'], nix.bool(true))];
  if (packages.length) settings.push(append([...root, 'extraPackages'], nix.list(packages.map((p) => nix.raw(`pkgs.${p}`))), { needsPkgs: true }));
  return { title: `Enable ${root.join('.')}${packages.length ? ` with ${packages.join(', ')}` : ''}`, settings };
}

/**
 * linux-firmware (GuC/HuC for i915/xe, everything amdgpu loads): what a container's /dev/dri needs from NixOS
 * (nixos/modules/hardware/all-firmware.nix). nixos-generate-config sets it with mkDefault on bare metal.
 */
export function gpuFirmwareBlock(): Block {
  return { title: 'Install the GPU firmware (hardware.enableRedistributableFirmware = true)', settings: [set(['hardware', 'enableRedistributableFirmware'], nix.bool(true))] };
}

/**
 * The NVIDIA driver plus the CDI-based container toolkit, with `open` set (required from 24.11) when the GPU is
 * known; `open: undefined` leaves it out for the user to choose (nvidia-open-unset then says so, with no preferred fix).
 */
export function nvidiaBlock(release: string, options: { open: boolean | undefined }): Block {
  return {
    title: options.open === undefined ? 'Enable the NVIDIA driver and container toolkit (hardware.nvidia.open left for you to set)' : `Enable the NVIDIA driver and container toolkit (open = ${options.open})`,
    settings: [
      // The toolkit module asserts that the NVIDIA driver is configured, headless hosts included.
      append(['services', 'xserver', 'videoDrivers'], nix.strings(['nvidia'])),
      set([...graphicsRoot(release), 'enable'], nix.bool(true)),
      set(['hardware', 'nvidia', 'modesetting', 'enable'], nix.bool(true)),
      ...(options.open === undefined ? [] : [set(['hardware', 'nvidia', 'open'], nix.bool(options.open), { reason: options.open ? 'Turing or newer GPU: open kernel modules' : 'pre-Turing GPU: proprietary kernel modules' })]),
      set(['hardware', 'nvidia-container-toolkit', 'enable'], nix.bool(true)),
    ],
  };
}

/**
 * Docker with bounded json-file logs (log-opts values must be strings), the compose CLI, the user in `docker`; on a
 * release whose default Docker package is marked insecure (nix/dockerPackages.ts), the maintained one.
 */
export function dockerBlock(user: string | undefined, release?: string): Block {
  const insecure = release === undefined ? undefined : insecureDockerDefault(release);
  const settings = [
    set(['virtualisation', 'docker', 'enable'], nix.bool(true)),
    ...(insecure ? [set(['virtualisation', 'docker', 'package'], nix.raw(`pkgs.${insecure.replacement}`), { needsPkgs: true, reason: `${insecure.attribute}, the default, is marked insecure on ${insecure.release}` })] : []),
    set(['virtualisation', 'docker', 'daemon', 'settings', 'log-driver'], nix.str('json-file')),
    set(['virtualisation', 'docker', 'daemon', 'settings', 'log-opts', 'max-size'], nix.str('10m')),
    set(['virtualisation', 'docker', 'daemon', 'settings', 'log-opts', 'max-file'], nix.str('3')),
    append(['environment', 'systemPackages'], nix.list([nix.raw('pkgs.docker-compose')]), { needsPkgs: true }),
  ];
  if (user) settings.push(append(['users', 'users', user, 'extraGroups'], nix.strings(['docker'])));
  return { title: 'Enable Docker (log rotation, docker-compose, user in the docker group)', settings };
}

/** `fileSystems."<mp>"` by UUID with the old fstab's options (nofail, noatime, compress=, subvol=, x-systemd.*). */
export function fileSystemBlock(mount: DataMount & { uuid: string }): Block {
  return { ...fileSystemByDeviceBlock({ ...mount, device: `UUID=${mount.uuid}` }), title: `Mount ${mount.mountpoint} by UUID (${mount.uuid})` };
}

/** How an fstab source names the device, as a path NixOS can wait for (`LABEL=x` → `/dev/disk/by-label/x`). */
export function deviceFromFstabSpec(spec: string): string {
  const match = /^(UUID|PARTUUID|LABEL|PARTLABEL)=(.*)$/.exec(spec);
  if (!match) return spec;
  const folder = { UUID: 'by-uuid', PARTUUID: 'by-partuuid', LABEL: 'by-label', PARTLABEL: 'by-partlabel' }[match[1] as 'UUID' | 'PARTUUID' | 'LABEL' | 'PARTLABEL'];
  return `/dev/disk/${folder}/${match[2] ?? ''}`;
}

/**
 * `fileSystems."<mp>"` for a mount the snapshot knows without a UUID (`LABEL=`, `/dev/mapper/…`, `nas:/export`):
 * the device as fstab named it, with fsType and the old options.
 */
export function fileSystemByDeviceBlock(mount: DataMount & { device: string }): Block {
  const base = ['fileSystems', mount.mountpoint];
  const device = deviceFromFstabSpec(mount.device);
  const settings = [set([...base, 'device'], nix.str(device))];
  if (mount.fsType) settings.push(set([...base, 'fsType'], nix.str(mount.fsType)));
  const options = mount.options.filter((option) => option !== 'defaults');
  if (options.length) settings.push(set([...base, 'options'], nix.strings(options)));
  return { title: `Mount ${mount.mountpoint} from ${device}`, settings };
}
