import { CONTAINER_TOOLKIT_RELEASE, releaseAtLeast } from '../../nix/nixosDefaults';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { attrpathRange, definitionData } from './nixRuleHelpers';

/** `virtualisation.docker.enableNvidia` is deprecated once the CDI-based toolkit exists (24.05). */
export const dockerEnableNvidiaDeprecated: NixRule = {
  id: 'docker-enable-nvidia-deprecated',
  side: 'nix',
  defaultSeverity: 'warning',
  summary: '`virtualisation.docker.enableNvidia` is deprecated: use `hardware.nvidia-container-toolkit.enable`.',
  fixable: () => true,
  check(ctx: NixRuleContext): RuleFinding[] {
    if (!releaseAtLeast(ctx.release, CONTAINER_TOOLKIT_RELEASE)) return [];
    return ctx.nix.definitionsOf(['virtualisation', 'docker', 'enableNvidia'])
      .filter((def) => !(def.value.kind === 'bool' && !def.value.value))
      .map((def) => ({
        file: def.file,
        range: attrpathRange(ctx.nix, def),
        message: `\`virtualisation.docker.enableNvidia\` is deprecated since NixOS 24.05 (release ${ctx.release} here): use \`hardware.nvidia-container-toolkit.enable = true;\`. The toolkit works through CDI, so compose files request the GPU with \`driver: cdi\` and \`device_ids: ["nvidia.com/gpu=all"]\`.`,
        related: [],
        data: definitionData(def),
      }));
  },
};
