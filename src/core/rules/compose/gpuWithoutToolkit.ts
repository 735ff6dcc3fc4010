import type { ComposeService } from '../../compose/model';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';
import { nvidiaContainerSupport, relatedToMissing } from '../facts';

const REQUEST_WORDS: Record<string, string> = {
  reservation: 'a GPU reservation',
  runtime: '`runtime: nvidia`',
  gpus: '`gpus:`',
  'cdi-device': 'a CDI GPU device',
  env: '`NVIDIA_VISIBLE_DEVICES`',
};

export const gpuWithoutToolkit = perService({
  id: 'gpu-without-toolkit',
  side: 'compose',
  defaultSeverity: 'error',
  summary: 'A service asks for an NVIDIA GPU and hardware.nvidia-container-toolkit is not enabled.',
  fixable: (_data, ctx) => ctx.hasConfiguration,
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    if (nvidiaContainerSupport(ctx.nix)) return [];
    const findings: RuleFinding[] = [];
    const requests = service.gpuRequests.filter((request) => request.nvidia);
    // NVIDIA_VISIBLE_DEVICES next to a real request is part of that request: report the service once.
    const direct = requests.filter((request) => request.kind !== 'env');
    for (const request of direct.length ? direct : requests) {
      findings.push({
        file: request.loc.file,
        range: request.loc.range,
        message: `Service \`${service.name}\` asks for an NVIDIA GPU (${REQUEST_WORDS[request.kind] ?? request.kind}), but \`hardware.nvidia-container-toolkit.enable\` is not set: Docker on NixOS cannot hand the GPU to the container. Enable the NVIDIA driver and the container toolkit`,
        related: relatedToMissing(ctx.nix, '`hardware.nvidia-container-toolkit.enable = true;` is missing here'),
        data: { service: service.name, kind: request.kind },
      });
    }
    return findings;
  },
});
