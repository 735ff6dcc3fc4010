import { GRAPHICS_RENAME_RELEASE, releaseAtLeast } from '../../nix/nixosDefaults';
import type { NixConfiguration, NixDefinition } from '../../nix/model';
import { stringItems } from '../../nix/values';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { attrpathRange, definitionData } from './nixRuleHelpers';

/** The definition that configures the NVIDIA driver: `"nvidia"` in videoDrivers, else any `hardware.nvidia.*`. */
export function nvidiaDriverDefinition(nix: NixConfiguration): NixDefinition | undefined {
  const drivers = nix.definitionsOf(['services', 'xserver', 'videoDrivers']).find((def) => stringItems(def.value).includes('nvidia'));
  return drivers ?? nix.definitionsUnder(['hardware', 'nvidia']).find((def) => def.value.kind !== 'attrs') ?? nix.definitionsUnder(['hardware', 'nvidia'])[0];
}

/** From 24.11 the NVIDIA module asserts that `hardware.nvidia.open` is set for drivers ≥ 560. */
export const nvidiaOpenUnset: NixRule = {
  id: 'nvidia-open-unset',
  side: 'nix',
  defaultSeverity: 'error',
  summary: 'The NVIDIA driver is configured on NixOS 24.11+ without `hardware.nvidia.open`.',
  fixable: () => true,
  check(ctx: NixRuleContext): RuleFinding[] {
    if (!releaseAtLeast(ctx.release, GRAPHICS_RENAME_RELEASE)) return [];
    if (ctx.nix.definitionsOf(['hardware', 'nvidia', 'open']).length > 0) return [];
    const def = nvidiaDriverDefinition(ctx.nix);
    if (!def) return [];
    const isDrivers = def.path.join('.') === 'services.xserver.videoDrivers';
    return [{
      file: def.file,
      range: isDrivers ? def.valueLoc.range : attrpathRange(ctx.nix, def),
      message: `The NVIDIA driver is configured but \`hardware.nvidia.open\` is not set: from NixOS 24.11 (release ${ctx.release} here) evaluation fails for drivers ≥ 560 until you choose. Set \`hardware.nvidia.open = true;\` for Turing (RTX 20xx, GTX 16xx) and newer GPUs, \`false\` for older ones.`,
      related: [],
      data: definitionData(def),
    }];
  },
};
