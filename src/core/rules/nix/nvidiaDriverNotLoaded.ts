import { isEnabled } from '../facts';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { attrpathRange, definitionData, outermostDefinitions } from './nixRuleHelpers';
import { nvidiaDatacenterEnabled, nvidiaEnableOptionSet, nvidiaOptionDefinitions, nvidiaVideoDriverDefinition, videoDriversUnreadable } from './nvidiaDriver';

/**
 * `hardware.nvidia.*` is configured but the driver is never selected. nixpkgs'
 * `nixos/modules/hardware/video/nvidia.nix` puts its whole `config` under `mkIf` on
 * `nvidia_x11 = if nvidiaEnabled || cfg.datacenter.enable then cfg.package else null` (`nvidiaEnabled` being
 * `"nvidia"` in `services.xserver.videoDrivers`): without it the settings are inert, no NVIDIA kernel module is added
 * (`boot.extraModulePackages`), nouveau is not blacklisted and no `/dev/nvidia*` node exists for containers.
 */
export const nvidiaDriverNotLoaded: NixRule = {
  id: 'nvidia-driver-not-loaded',
  side: 'nix',
  defaultSeverity: 'error',
  summary: '`hardware.nvidia.*` is set but `"nvidia"` is not in `services.xserver.videoDrivers` (nor the Data Center driver on).',
  fixable: () => true,
  check(ctx: NixRuleContext): RuleFinding[] {
    const { nix } = ctx;
    const options = nvidiaOptionDefinitions(nix);
    // Only definitions that always apply: a `mkIf` toggle may select the driver elsewhere under the same condition.
    if (!options.some((def) => !def.conditional)) return [];
    if (nvidiaVideoDriverDefinition(nix) || videoDriversUnreadable(nix) || nvidiaDatacenterEnabled(nix) || nvidiaEnableOptionSet(nix)) return [];
    // The toolkit rule reports the same missing driver, with the same fix, on the toolkit.
    if (isEnabled(nix, ['hardware', 'nvidia-container-toolkit', 'enable'])) return [];
    const [first] = outermostDefinitions(options.filter((def) => !def.conditional));
    if (!first) return [];
    const drivers = nix.definitionsOf(['services', 'xserver', 'videoDrivers'])[0];
    return [{
      file: first.file,
      range: attrpathRange(nix, first),
      message: 'hardware.nvidia is configured but services.xserver.videoDrivers does not contain "nvidia": no driver is loaded',
      explanation: `The Data Center driver is off, and NixOS's NVIDIA module applies only when the driver is selected in \`services.xserver.videoDrivers\`, so these settings do nothing — no NVIDIA kernel module is loaded, there is no \`/dev/nvidia*\`, and GPU containers cannot start.\n\nFix: add \`"nvidia"\` to \`services.xserver.videoDrivers\` (headless hosts too: it does not enable X).`,
      related: drivers ? [{ location: { file: drivers.file, range: drivers.valueLoc.range }, message: 'videoDrivers is set here without "nvidia"' }] : [],
      data: definitionData(first),
    }];
  },
};
