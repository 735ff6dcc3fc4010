import type { ComposeService, GpuRequest } from '../../compose/model';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';
import { dockerHasNvidiaRuntime, relatedToMissing } from '../facts';

/** Requests that need Docker's `nvidia` runtime, which the CDI-based NixOS toolkit does not register. */
function needsNvidiaRuntime(request: GpuRequest): boolean {
  if (request.kind === 'runtime' || request.kind === 'gpus') return true;
  return request.kind === 'reservation' && request.nvidia && request.driver !== 'cdi';
}

function describe(request: GpuRequest): string {
  if (request.kind === 'runtime') return '`runtime: nvidia`';
  if (request.kind === 'gpus') return '`gpus:`';
  return request.driver ? `\`driver: ${request.driver}\`` : 'a `capabilities: [gpu]` reservation without a driver';
}

export const gpuRequestNotCdi = perService({
  id: 'gpu-request-not-cdi',
  side: 'compose',
  defaultSeverity: 'warning',
  summary: 'The GPU is requested through the `nvidia` runtime, which NixOS\'s CDI-based toolkit does not register.',
  // Only a reservation can be rewritten in place, and only when its count names GPUs (a number or `all`).
  fixable: (data) => data?.['kind'] === 'reservation' && (data['count'] === null || data['count'] === undefined || /^(all|-1|\d+)$/.test(String(data['count']))),
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    if (dockerHasNvidiaRuntime(ctx.nix)) return [];
    const findings: RuleFinding[] = [];
    for (const request of service.gpuRequests) {
      if (!needsNvidiaRuntime(request)) continue;
      findings.push({
        file: request.loc.file,
        range: request.loc.range,
        message: `Service \`${service.name}\` requests its GPU with ${describe(request)}: on NixOS the container toolkit works through CDI and registers no \`nvidia\` runtime, so this fails with 'could not select device driver "nvidia" with capabilities: [[gpu]]'. Use \`driver: cdi\` with \`device_ids: ["nvidia.com/gpu=all"]\``,
        related: relatedToMissing(ctx.nix, 'no `nvidia` runtime is registered for Docker here'),
        data: { service: service.name, kind: request.kind, count: request.count ?? null, deviceIds: request.deviceIds ?? [] },
      });
    }
    return findings;
  },
});
