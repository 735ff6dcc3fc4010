import { GRAPHICS_RENAME_RELEASE, releaseAtLeast } from '../../nix/nixosDefaults';
import { nvidiaOpenModulesFromSnapshot } from '../../host/queries';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { definitionData } from './nixRuleHelpers';
import { nvidiaPackageIsLegacy, nvidiaVideoDriverDefinition } from './nvidiaDriver';

/**
 * From 24.11 `hardware.nvidia.open` defaults to `null` for drivers ≥ 560 (nixpkgs
 * `nixos/modules/hardware/video/nvidia.nix`: `default = if lib.versionOlder nvidia_x11.version "560" then false else
 * null;`) and the module asserts `cfg.open != null` ("You must configure `hardware.nvidia.open` on NVIDIA driver
 * versions >= 560."), NixOS/nixpkgs#339025. The assertion sits in the module's `config`, which only applies when the
 * driver is selected: `"nvidia"` in `services.xserver.videoDrivers`. `hardware.nvidia.modesetting.enable` or any other
 * `hardware.nvidia.*` alone selects nothing (that is `nvidia-driver-not-loaded`), and the Data Center driver is
 * exempt in current nixpkgs (`cfg.open != null || cfg.datacenter.enable`), so neither is reported here.
 */
export const nvidiaOpenUnset: NixRule = {
  id: 'nvidia-open-unset',
  side: 'nix',
  defaultSeverity: 'error',
  summary: '`"nvidia"` is in `services.xserver.videoDrivers` on NixOS 24.11+ without `hardware.nvidia.open`.',
  // A preferred fix only when the old host's GPU says which modules it takes.
  fixable: (data) => typeof data?.['openModules'] === 'boolean',
  check(ctx: NixRuleContext): RuleFinding[] {
    if (!releaseAtLeast(ctx.release, GRAPHICS_RENAME_RELEASE)) return [];
    if (ctx.nix.definitionsOf(['hardware', 'nvidia', 'open']).length > 0) return [];
    const drivers = nvidiaVideoDriverDefinition(ctx.nix);
    if (!drivers) return [];
    // A legacy branch is older than 560: `open` defaults to false there and the assertion holds.
    if (nvidiaPackageIsLegacy(ctx.nix)) return [];
    const pinned = ctx.nix.definitionsOf(['hardware', 'nvidia', 'package']).length > 0;
    const openModules = nvidiaOpenModulesFromSnapshot(ctx.snapshot?.gpus);
    const choice =
      openModules === undefined
        ? ' Which one is yours to choose: no snapshot lists the host\'s GPU, so no fix picks it for you.'
        : ` The old host's GPU takes ${openModules ? 'the open modules (`true`)' : 'the proprietary modules (`false`)'}.`;
    return [{
      file: drivers.file,
      range: drivers.valueLoc.range,
      message: `The NVIDIA driver is selected but hardware.nvidia.open is not set: evaluation fails on NixOS ${ctx.release}`,
      explanation: `The NVIDIA driver is selected (\`"nvidia"\` in \`services.xserver.videoDrivers\`) but \`hardware.nvidia.open\` is not set: from NixOS 24.11 (release ${ctx.release} here) it has no default for drivers ≥ 560${pinned ? ' (the package set in `hardware.nvidia.package` decides)' : ', which the default `stable` package is'}, and evaluation fails ("You must configure \`hardware.nvidia.open\` on NVIDIA driver versions >= 560").\n\nFix: set \`hardware.nvidia.open = true;\` for Turing (RTX 20xx, GTX 16xx) and newer GPUs, \`false\` for older ones.${choice}`,
      related: [],
      data: { ...definitionData(drivers), openModules: openModules ?? null },
    }];
  },
};
