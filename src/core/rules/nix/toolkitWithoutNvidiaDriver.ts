import { isEnabled } from '../facts';
import { stringItems } from '../../nix/values';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { attrpathRange, definitionData } from './nixRuleHelpers';

const TOOLKIT_ENABLE = ['hardware', 'nvidia-container-toolkit', 'enable'];

/**
 * The toolkit module asserts that the NVIDIA driver is configured (`"nvidia"` in `services.xserver.videoDrivers`,
 * headless hosts included) unless the assertion is suppressed (WSL) or the datacenter driver is used.
 */
export const toolkitWithoutNvidiaDriver: NixRule = {
  id: 'toolkit-without-nvidia-driver',
  side: 'nix',
  defaultSeverity: 'error',
  summary: 'The NVIDIA container toolkit is enabled but `services.xserver.videoDrivers` lacks `"nvidia"`.',
  fixable: () => true,
  check(ctx: NixRuleContext): RuleFinding[] {
    const { nix } = ctx;
    const toolkit = nix.definitionsOf(TOOLKIT_ENABLE).find((def) => def.value.kind === 'bool' && def.value.value);
    if (!toolkit) return [];
    const drivers = nix.definitionsOf(['services', 'xserver', 'videoDrivers']);
    if (drivers.some((def) => stringItems(def.value).includes('nvidia') || def.value.kind === 'unknown')) return [];
    if (isEnabled(nix, ['hardware', 'nvidia-container-toolkit', 'suppressNvidiaDriverAssertion']) || isEnabled(nix, ['hardware', 'nvidia', 'datacenter', 'enable'])) return [];
    const [firstDrivers] = drivers;
    return [{
      file: toolkit.file,
      range: attrpathRange(nix, toolkit),
      message: `\`hardware.nvidia-container-toolkit.enable\` is set but \`services.xserver.videoDrivers\` does not contain \`"nvidia"\`: the toolkit module asserts it (headless hosts too) and evaluation fails. Add \`"nvidia"\` to \`services.xserver.videoDrivers\` (or set \`hardware.nvidia-container-toolkit.suppressNvidiaDriverAssertion\` on WSL).`,
      related: firstDrivers ? [{ location: { file: firstDrivers.file, range: firstDrivers.valueLoc.range }, message: 'videoDrivers is set here without "nvidia"' }] : [],
      data: definitionData(toolkit),
    }];
  },
};
