import { isEnabled, upperFirst } from '../facts';
import { releaseAtLeast } from '../../nix/nixosDefaults';
import { stringItems } from '../../nix/values';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { attrpathRange, definitionData } from './nixRuleHelpers';

const TOOLKIT_ENABLE = ['hardware', 'nvidia-container-toolkit', 'enable'];

/** The toolkit module asserts the driver from 24.11 (nixpkgs#350339: "don't enable, assert enabled"). */
const DRIVER_ASSERTION_RELEASE = '24.11';
/** `suppressNvidiaDriverAssertion` exists from 25.05 (nixpkgs#398993). */
const SUPPRESS_OPTION_RELEASE = '25.05';

/**
 * The toolkit module (nixpkgs `nixos/modules/services/hardware/nvidia-container-toolkit/default.nix`) asserts that
 * the NVIDIA driver is configured (`"nvidia"` in `services.xserver.videoDrivers`, headless hosts included) unless the
 * assertion is suppressed (WSL) or the datacenter driver is used. Before 24.11 there is no assertion, but without
 * the driver loaded the CDI generator has no GPU to describe.
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
    const suppressed = releaseAtLeast(ctx.release, SUPPRESS_OPTION_RELEASE) && isEnabled(nix, ['hardware', 'nvidia-container-toolkit', 'suppressNvidiaDriverAssertion']);
    if (suppressed || isEnabled(nix, ['hardware', 'nvidia', 'datacenter', 'enable'])) return [];
    const [firstDrivers] = drivers;
    const asserted = releaseAtLeast(ctx.release, DRIVER_ASSERTION_RELEASE);
    const consequence = asserted
      ? 'the toolkit module asserts "`nvidia-container-toolkit` requires nvidia drivers" (headless hosts too) and evaluation fails'
      : `NixOS ${ctx.release} does not load the NVIDIA kernel driver, so the toolkit's CDI generator finds no GPU and containers get none`;
    const wsl = releaseAtLeast(ctx.release, SUPPRESS_OPTION_RELEASE) ? ' (or set `hardware.nvidia-container-toolkit.suppressNvidiaDriverAssertion` on WSL, where Windows provides the driver)' : '';
    return [{
      file: toolkit.file,
      range: attrpathRange(nix, toolkit),
      message: 'hardware.nvidia-container-toolkit.enable is set but services.xserver.videoDrivers does not contain "nvidia"',
      explanation: `${upperFirst(consequence)}.\n\nFix: add \`"nvidia"\` to \`services.xserver.videoDrivers\`${wsl}.`,
      related: firstDrivers ? [{ location: { file: firstDrivers.file, range: firstDrivers.valueLoc.range }, message: 'videoDrivers is set here without "nvidia"' }] : [],
      data: definitionData(toolkit),
    }];
  },
};
