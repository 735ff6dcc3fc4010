import { isEnabled } from '../facts';
import type { NixConfiguration, NixDefinition } from '../../nix/model';
import { stringItems } from '../../nix/values';

/**
 * When the NVIDIA driver is active, read the way nixpkgs' `nixos/modules/hardware/video/nvidia.nix` decides it:
 * `nvidiaEnabled = lib.elem "nvidia" config.services.xserver.videoDrivers;` and
 * `nvidia_x11 = if nvidiaEnabled || cfg.datacenter.enable then cfg.package else null;`, the whole module's `config`
 * being under `mkIf` on that (`hardware.nvidia.enabled`). Every other `hardware.nvidia.*` option, `modesetting.enable`
 * included, does nothing on its own.
 */

const VIDEO_DRIVERS = ['services', 'xserver', 'videoDrivers'];

/** The first definition of `services.xserver.videoDrivers` that lists `"nvidia"`. */
export function nvidiaVideoDriverDefinition(nix: NixConfiguration): NixDefinition | undefined {
  return nix.definitionsOf(VIDEO_DRIVERS).find((def) => stringItems(def.value).includes('nvidia'));
}

/** Some videoDrivers definition cannot be read (a variable, a function call): it may list `"nvidia"`. */
export function videoDriversUnreadable(nix: NixConfiguration): boolean {
  return nix.definitionsOf(VIDEO_DRIVERS).some((def) => def.value.kind === 'unknown' || (def.value.kind === 'list' && def.value.items.some((item) => item.kind === 'unknown')));
}

/** `hardware.nvidia.datacenter.enable = true` (the Data Center driver, loaded without videoDrivers). */
export function nvidiaDatacenterEnabled(nix: NixConfiguration): boolean {
  return isEnabled(nix, ['hardware', 'nvidia', 'datacenter', 'enable']);
}

/**
 * `hardware.nvidia.enable = true`: newer nixpkgs than the releases known here has such an option; counted as the
 * driver being selected so a configuration written for it is not reported.
 */
export function nvidiaEnableOptionSet(nix: NixConfiguration): boolean {
  return isEnabled(nix, ['hardware', 'nvidia', 'enable']);
}

/** The `hardware.nvidia.*` definitions the user wrote (the read-only `enabled` and the datacenter switch excluded). */
export function nvidiaOptionDefinitions(nix: NixConfiguration): NixDefinition[] {
  return nix.definitionsUnder(['hardware', 'nvidia']).filter((def) => def.path[2] !== 'enabled' && def.path[2] !== 'datacenter');
}

/** `hardware.nvidia.package` names a legacy branch (`legacy_470`, `legacy_390`…): drivers older than 560. */
export function nvidiaPackageIsLegacy(nix: NixConfiguration): boolean {
  return nix.definitionsOf(['hardware', 'nvidia', 'package']).some((def) => def.value.kind === 'unknown' && /\blegacy_\d+/.test(def.value.text));
}
