import type { ComposeProject } from '../../compose/model';
import type { NixConfiguration } from '../../nix/model';
import { CONTAINER_TOOLKIT_RELEASE, GRAPHICS_RENAME_RELEASE, releaseAtLeast } from '../../nix/nixosDefaults';
import { dockerEnabled, displayFile, isEnabled } from '../facts';
import { isNonCdiNvidiaRequest, NVIDIA_DEFAULT_RUNTIME_RELEASE, runtimeDeviceNames, servedWithoutEnableNvidia, serviceCdiNames } from '../gpuSupport';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { attrpathRange, definitionData } from './nixRuleHelpers';

/** docker.nix's assertion (nixpkgs `nixos/modules/virtualisation/docker.nix`, every release since 2019). */
const ASSERTION_32BIT = 'Option enableNvidia on x86_64 requires 32-bit support libraries';

/** 32-bit graphics libraries are on: `hardware.graphics.enable32Bit` (24.11+, the old name is an alias there). */
function has32BitGraphics(nix: NixConfiguration, release: string): boolean {
  const old = isEnabled(nix, ['hardware', 'opengl', 'driSupport32Bit']);
  return releaseAtLeast(release, GRAPHICS_RENAME_RELEASE) ? old || isEnabled(nix, ['hardware', 'graphics', 'enable32Bit']) : old;
}

/** The assertion is `enableNvidia && isx86_64 -> …`: an aarch64 host (Jetson) is exempt. */
function isAarch64(nix: NixConfiguration): boolean {
  return ['hostPlatform', 'system'].some((key) => nix.definitionsUnder(['nixpkgs', key]).some((def) => /aarch64/.test(def.value.kind === 'string' ? def.value.value : def.value.kind === 'unknown' ? def.value.text : '')));
}

interface GpuService {
  file: string;
  service: string;
  names: string[] | { error: string };
}

/**
 * The services that work today only because of `enableNvidia`: `runtime: nvidia` (its registered runtime),
 * `gpus:` / `driver: nvidia` (its hook on dockerd's PATH), and from 25.11, where it also makes `nvidia` the default
 * runtime, services that ask with `NVIDIA_VISIBLE_DEVICES` alone.
 */
function servicesNeedingIt(projects: readonly ComposeProject[], nix: NixConfiguration, release: string): GpuService[] {
  const defaultRuntime = releaseAtLeast(release, NVIDIA_DEFAULT_RUNTIME_RELEASE);
  const found: GpuService[] = [];
  for (const project of projects) {
    for (const service of project.services) {
      const direct = service.gpuRequests.filter((request) => isNonCdiNvidiaRequest(request) && !servedWithoutEnableNvidia(request, nix));
      const cdi = service.gpuRequests.some((request) => request.kind === 'cdi-device' || (request.kind === 'reservation' && request.driver === 'cdi'));
      const env = service.gpuRequests.find((request) => request.kind === 'env');
      if (direct[0]) found.push({ file: direct[0].loc.file, service: service.name, names: serviceCdiNames(service) });
      else if (defaultRuntime && env && !cdi && env.loc.file === project.file) found.push({ file: env.loc.file, service: service.name, names: runtimeDeviceNames(service.environment.get('NVIDIA_VISIBLE_DEVICES')?.value) });
    }
  }
  return found;
}

/** `virtualisation.docker.enableNvidia` is deprecated once the CDI-based toolkit exists (24.05). */
export const dockerEnableNvidiaDeprecated: NixRule = {
  id: 'docker-enable-nvidia-deprecated',
  side: 'nix',
  defaultSeverity: 'warning',
  summary: '`virtualisation.docker.enableNvidia` is deprecated: use `hardware.nvidia-container-toolkit.enable` (and CDI requests).',
  readsStacks: true,
  fixable: (data) => data?.['rewritable'] !== false,
  check(ctx: NixRuleContext): RuleFinding[] {
    if (!releaseAtLeast(ctx.release, CONTAINER_TOOLKIT_RELEASE)) return [];
    const defs = ctx.nix.definitionsOf(['virtualisation', 'docker', 'enableNvidia']).filter((def) => !(def.value.kind === 'bool' && !def.value.value));
    if (defs.length === 0) return [];
    const failsAssertion = dockerEnabled(ctx.nix) && !has32BitGraphics(ctx.nix, ctx.release) && !isAarch64(ctx.nix);
    const services = servicesNeedingIt(ctx.projects, ctx.nix, ctx.release);
    const blocked = services.filter((entry) => 'error' in entry.names);
    const optionName = releaseAtLeast(ctx.release, GRAPHICS_RENAME_RELEASE) ? 'hardware.graphics.enable32Bit' : 'hardware.opengl.driSupport32Bit';
    const parts = [`\`virtualisation.docker.enableNvidia\` is deprecated since NixOS 24.05 (release ${ctx.release} here): use \`hardware.nvidia-container-toolkit.enable = true;\`, which hands GPUs to containers through CDI (\`driver: cdi\`, \`device_ids: ["nvidia.com/gpu=all"]\`).`];
    if (failsAssertion) parts.push(`With Docker enabled it also stops evaluation here: docker.nix asserts "${ASSERTION_32BIT}" and \`${optionName}\` is not set.`);
    if (services.length) {
      const names = services.map((entry) => `\`${entry.service}\` (${displayFile(entry.file)})`).join(', ');
      parts.push(`It registers Docker's \`nvidia\` runtime${releaseAtLeast(ctx.release, NVIDIA_DEFAULT_RUNTIME_RELEASE) ? ' (as the default runtime)' : ''} that ${names} rel${services.length === 1 ? 'ies' : 'y'} on: the fix rewrites ${services.length === 1 ? 'it' : 'them'} to CDI in the same step${blocked.length ? `, except ${blocked.map((entry) => `\`${entry.service}\``).join(', ')}, which must be rewritten by hand first` : ''}.`);
    }
    return defs.map((def) => ({
      file: def.file,
      range: attrpathRange(ctx.nix, def),
      message: failsAssertion
        ? 'virtualisation.docker.enableNvidia is deprecated, and with Docker enabled it stops evaluation here'
        : `virtualisation.docker.enableNvidia is deprecated since NixOS 24.05: use hardware.nvidia-container-toolkit.enable`,
      explanation: parts.join('\n\n'),
      related: [],
      data: {
        ...definitionData(def),
        failsAssertion,
        rewritable: blocked.length === 0,
        gpuFiles: services.filter((entry) => !('error' in entry.names)).map((entry) => entry.file),
        gpuServices: services.filter((entry) => !('error' in entry.names)).map((entry) => entry.service),
        gpuIds: services.map((entry) => ('error' in entry.names ? undefined : entry.names.join(','))).filter((ids): ids is string => ids !== undefined),
        gpuFromEnvironment: releaseAtLeast(ctx.release, NVIDIA_DEFAULT_RUNTIME_RELEASE),
      },
    }));
  },
  // Evaluation fails on the assertion: an error, not a deprecation.
  severityFor: (finding) => (finding.data?.['failsAssertion'] === true ? 'error' : undefined),
};
