import type { ComposeService, GpuRequest } from '../../compose/model';
import type { NixConfiguration } from '../../nix/model';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';
import { isEnabled, plain, relatedToMissing } from '../facts';
import { toolkitEnabled } from '../gpuSupport';
import { nvidiaOpenModulesFromSnapshot } from '../../host/queries';

const REQUEST_WORDS: Record<string, string> = {
  reservation: 'a GPU reservation',
  runtime: '`runtime: nvidia`',
  gpus: '`gpus:`',
  'cdi-device': 'a CDI GPU device',
  env: '`NVIDIA_VISIBLE_DEVICES`',
};

/** A CDI request (`driver: cdi`, a `nvidia.com/gpu=…` device): only the toolkit's generated specs resolve it. */
function isCdiRequest(request: GpuRequest): boolean {
  return request.kind === 'cdi-device' || (request.kind === 'reservation' && request.driver === 'cdi');
}

/**
 * The toolkit serves every form (its CDI specs; the runtime forms get gpu-request-not-cdi). The deprecated
 * `virtualisation.docker.enableNvidia` registers the `nvidia` runtime and puts its hook on dockerd's PATH, which
 * serves the runtime forms, but writes no CDI spec before nixpkgs made it imply the toolkit (so CDI requests still
 * need `hardware.nvidia-container-toolkit.enable`).
 */
function served(request: GpuRequest, nix: NixConfiguration | undefined): boolean {
  if (toolkitEnabled(nix)) return true;
  return !isCdiRequest(request) && isEnabled(nix, ['virtualisation', 'docker', 'enableNvidia']);
}

export const gpuWithoutToolkit = perService({
  id: 'gpu-without-toolkit',
  side: 'compose',
  defaultSeverity: 'error',
  summary: 'A service asks for an NVIDIA GPU and hardware.nvidia-container-toolkit is not enabled.',
  fixable: (_data, ctx) => ctx.hasConfiguration,
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const requests = service.gpuRequests.filter((request) => request.nvidia && !served(request, ctx.nix));
    // NVIDIA_VISIBLE_DEVICES next to a real request is part of that request: report the service once.
    const direct = requests.filter((request) => request.kind !== 'env');
    // Without the old host's GPU list, `hardware.nvidia.open` is the user's to choose: the fix leaves it out.
    const openNote = nvidiaOpenModulesFromSnapshot(ctx.snapshot?.gpus) === undefined
      ? ' (`hardware.nvidia.open` is left for you: `true` for Turing / RTX 20xx and newer, `false` for older cards — no snapshot lists this host\'s GPU).'
      : '';
    for (const request of direct.length ? direct : requests) {
      findings.push({
        file: request.loc.file,
        range: request.loc.range,
        message: `Service ${service.name} asks for an NVIDIA GPU (${plain(REQUEST_WORDS[request.kind] ?? request.kind)}) without the NVIDIA container toolkit`,
        explanation: `\`hardware.nvidia-container-toolkit.enable\` is not set: Docker on NixOS cannot hand the GPU to the container.\n\nFix: enable the NVIDIA driver and the container toolkit${openNote || '.'}`,
        related: relatedToMissing(ctx, ['hardware', 'nvidia-container-toolkit', 'enable'], 'hardware.nvidia-container-toolkit.enable = true; is missing here'),
        data: { service: service.name, kind: request.kind },
      });
    }
    return findings;
  },
});
