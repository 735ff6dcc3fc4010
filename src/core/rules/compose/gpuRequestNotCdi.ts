import type { ComposeService, GpuRequest } from '../../compose/model';
import { CONTAINER_TOOLKIT_RELEASE, releaseAtLeast } from '../../nix/nixosDefaults';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';
import { plain, relatedToMissing } from '../facts';
import { CDI_DOCKER_MAJOR, dockerMajor, isNonCdiNvidiaRequest, servedWithoutCdi, serviceCdiNames } from '../gpuSupport';

/**
 * What each form makes Docker answer on a NixOS host whose only NVIDIA support is the CDI toolkit. The device
 * request forms go through moby's `handleDevice` (`daemon/devices.go`), which fails with `incompatibleDeviceRequest`
 * (`daemon/errors.go`: "could not select device driver %q with capabilities: %v"); Compose turns `gpus:` into a
 * request with an empty driver and the `gpu` capability. `runtime:` is looked up in the daemon's runtimes
 * (`daemon/runtime_unix.go`).
 */
function dockerError(request: GpuRequest): string {
  if (request.kind === 'runtime') return 'unknown or invalid runtime name: nvidia';
  const driver = request.driver ?? '';
  const capabilities = request.kind === 'gpus' ? [...(request.capabilities ?? []), 'gpu'] : request.capabilities ?? [];
  return `could not select device driver "${driver}" with capabilities: [[${[...new Set(capabilities)].join(' ')}]]`;
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
  summary: 'The GPU is requested through Docker\'s `nvidia` runtime or device driver, which NixOS\'s CDI toolkit does not register.',
  // The fix rewrites the whole service to one CDI reservation; the rule checked at analysis time that it can.
  fixable: (data) => data?.['rewritable'] === true,
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    // Before 24.05 NixOS has no CDI toolkit: `enableNvidia` (the runtime) is the way there, not CDI.
    if (!releaseAtLeast(ctx.release, CONTAINER_TOOLKIT_RELEASE)) return [];
    const requests = service.gpuRequests.filter((request) => isNonCdiNvidiaRequest(request) && !servedWithoutCdi(request, ctx.nix));
    if (requests.length === 0) return [];
    const docker = dockerMajor(ctx.nix, ctx.release);
    const cdiReady = docker === undefined || docker >= CDI_DOCKER_MAJOR;
    const names = serviceCdiNames(service);
    const target = 'error' in names ? '' : names.length ? `device_ids: [${names.map((name) => `"${name}"`).join(', ')}]` : '';
    const advice = !cdiReady
      ? `Docker ${docker} has no CDI support: set \`virtualisation.docker.package\` to Docker 25 or newer first, then request the GPU with \`driver: cdi\`.`
      : target
        ? `Fix: request it through CDI instead: \`driver: cdi\` with \`${target}\`.`
        : 'Fix: request it through CDI instead: `driver: cdi` with `device_ids: ["nvidia.com/gpu=all"]`.';
    return requests.map((request) => ({
      file: request.loc.file,
      range: request.loc.range,
      message: `Service ${service.name} requests its GPU with ${plain(describe(request))}, which NixOS's CDI toolkit does not serve`,
      explanation: `NixOS's container toolkit works through CDI and registers no \`nvidia\` ${request.kind === 'runtime' ? 'runtime' : 'device driver'} for Docker, so the container fails to start with "${dockerError(request)}".\n\n${advice}`,
      related: relatedToMissing(ctx, ['virtualisation', 'docker'], request.kind === 'runtime' ? 'no nvidia runtime is registered for Docker here' : 'no nvidia device driver is on dockerd\'s PATH here'),
      data: {
        service: service.name,
        kind: request.kind,
        count: request.count ?? null,
        deviceIds: request.deviceIds ?? [],
        cdiIds: 'error' in names ? [] : names,
        rewritable: cdiReady && !('error' in names),
        ...('error' in names ? { why: names.error } : {}),
        ...(cdiReady ? {} : { dockerMajor: docker ?? null }),
      },
    }));
  },
});
