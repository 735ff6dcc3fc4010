import type { ComposeService, GpuRequest } from '../compose/model';
import type { NixConfiguration, NixValue } from '../nix/model';
import { parseRelease } from '../nix/nixosDefaults';
import { isEnabled } from './facts';

/**
 * What Docker on a NixOS host can do with an NVIDIA GPU request, from the configuration and the release. Each fact
 * names its source; docs/rules/gpu-request-not-cdi.md and docker-enable-nvidia-deprecated.md list them.
 */

const ENABLE_NVIDIA = ['virtualisation', 'docker', 'enableNvidia'];
const TOOLKIT_ENABLE = ['hardware', 'nvidia-container-toolkit', 'enable'];

/**
 * The Docker major version `pkgs.docker` is in each release (nixpkgs `pkgs/top-level/all-packages.nix`):
 * 23.11 docker_24; 24.05 docker_24 at release, docker_25 since the backport nixpkgs#330861 (July 2024);
 * 24.11 docker_27 (nixpkgs#330109); 25.05 docker_27 (master moved to 28 after the branch-off, nixpkgs#417000);
 * 25.11 docker_28 (nixpkgs#469266 backported docker_29 without making it the default).
 */
const DEFAULT_DOCKER_MAJOR: Readonly<Record<string, number>> = { '23.05': 20, '23.11': 24, '24.05': 25, '24.11': 27, '25.05': 27, '25.11': 28 };

/** Docker ≥ 25 reads CDI specs (the toolkit module sets `features.cdi = true` only from 25: its `versionAtLeast … "25"`). */
export const CDI_DOCKER_MAJOR = 25;

/** The text of a value as written (`pkgs.docker_24`, `[ pkgs.nvidia-container-toolkit.tools ]`), for name matches. */
function valueText(value: NixValue): string {
  if (value.kind === 'unknown') return value.text;
  if (value.kind === 'list') return value.items.map(valueText).join(' ');
  if (value.kind === 'string' || value.kind === 'path') return value.value;
  return '';
}

/**
 * The Docker major version the configuration runs: `virtualisation.docker.package = pkgs.docker_NN` when set,
 * else the release's default. Undefined when neither can be read (a package expression, an unknown release).
 */
export function dockerMajor(nix: NixConfiguration | undefined, release: string): number | undefined {
  const packages = nix?.definitionsOf(['virtualisation', 'docker', 'package']) ?? [];
  for (const def of packages) {
    const match = /docker_(\d+)/.exec(valueText(def.value));
    if (match) return Number(match[1]);
    if (!def.conditional) return undefined;
  }
  const parsed = parseRelease(release);
  return parsed ? DEFAULT_DOCKER_MAJOR[`${parsed.year}.${String(parsed.month).padStart(2, '0')}`] : undefined;
}

/**
 * Docker knows a runtime called `nvidia`: `virtualisation.docker.enableNvidia` registers it (nixpkgs
 * `nixos/modules/virtualisation/docker.nix`, `daemon.settings.runtimes.nvidia`), or the user does in
 * `virtualisation.docker.daemon.settings.runtimes.nvidia`. Without it `runtime: nvidia` fails with moby's
 * "unknown or invalid runtime name: nvidia" (`daemon/runtime_unix.go`).
 */
export function nvidiaRuntimeRegistered(nix: NixConfiguration | undefined): boolean {
  if (!nix) return false;
  return isEnabled(nix, ENABLE_NVIDIA) || nix.definitionsUnder(['virtualisation', 'docker', 'daemon', 'settings', 'runtimes', 'nvidia']).length > 0;
}

/**
 * dockerd has a device driver for `driver: nvidia` / `gpus:` requests. moby registers its `nvidia` driver only when
 * `nvidia-container-runtime-hook` (or, since moby#50228, `nvidia-cdi-hook`) is on the daemon's PATH
 * (`daemon/nvidia_linux.go`); NixOS puts it there with `enableNvidia` (the toolkit's tools or nvidia-docker in
 * the unit's `path`) or when the user adds the toolkit to `virtualisation.docker.extraPackages`. The toolkit
 * alone adds its tools to the rootless daemon only, so the system daemon answers
 * 'could not select device driver "…" with capabilities: [[gpu]]' (`daemon/devices.go`).
 */
export function nvidiaDeviceDriverRegistered(nix: NixConfiguration | undefined): boolean {
  if (!nix) return false;
  if (isEnabled(nix, ENABLE_NVIDIA)) return true;
  return nix.definitionsOf(['virtualisation', 'docker', 'extraPackages']).some((def) => /nvidia-(container-toolkit|docker)/.test(valueText(def.value)));
}

/**
 * Whether the request keeps working once `enableNvidia` is gone: only if the user registered the runtime (or put
 * the hook on dockerd's PATH) themselves.
 */
export function servedWithoutEnableNvidia(request: GpuRequest, nix: NixConfiguration | undefined): boolean {
  if (!nix) return false;
  if (request.kind === 'runtime') return nix.definitionsUnder(['virtualisation', 'docker', 'daemon', 'settings', 'runtimes', 'nvidia']).length > 0;
  return nix.definitionsOf(['virtualisation', 'docker', 'extraPackages']).some((def) => /nvidia-(container-toolkit|docker)/.test(valueText(def.value)));
}

/** Release from which `enableNvidia` also makes `nvidia` Docker's default runtime (nixpkgs#421088, July 2025). */
export const NVIDIA_DEFAULT_RUNTIME_RELEASE = '25.11';

/** The CDI toolkit is enabled (it writes the `nvidia.com/gpu` specs CDI requests need). */
export function toolkitEnabled(nix: NixConfiguration | undefined): boolean {
  return isEnabled(nix, TOOLKIT_ENABLE);
}

/** A request that goes through Docker's `nvidia` runtime or device driver rather than CDI. */
export function isNonCdiNvidiaRequest(request: GpuRequest): boolean {
  if (request.kind === 'runtime' || request.kind === 'gpus') return true;
  return request.kind === 'reservation' && request.nvidia && request.driver !== 'cdi';
}

/** Whether Docker has what the request needs without CDI (the `nvidia` runtime, or the `nvidia` device driver). */
export function servedWithoutCdi(request: GpuRequest, nix: NixConfiguration | undefined): boolean {
  return request.kind === 'runtime' ? nvidiaRuntimeRegistered(nix) : nvidiaDeviceDriverRegistered(nix);
}

/** GPU ids Docker's NVIDIA paths accept that CDI names differently: with NixOS's default device-name-strategy
 * ("index") the specs name GPUs `0`, `1`… and `all`, not by UUID. */
const UUID_ID = /^(GPU|MIG)-/i;

/**
 * The CDI device names for a request: `count: N` → `nvidia.com/gpu=0` … `=N-1` (moby's `countToDevices` gives the
 * nvidia driver the same first N indices), `all`/`-1`/none → `nvidia.com/gpu=all`, ids → `nvidia.com/gpu=<id>`.
 */
export function cdiDeviceNames(count: string | undefined, deviceIds: readonly string[] | undefined): string[] | { error: string } {
  if (deviceIds && deviceIds.length > 0) {
    const uuid = deviceIds.find((id) => UUID_ID.test(id));
    if (uuid) return { error: `GPU \`${uuid}\` is named by UUID, but NixOS's CDI specs name GPUs by index (hardware.nvidia-container-toolkit.device-name-strategy = "index"); use its index or set the strategy to "uuid"` };
    if (deviceIds.some((id) => id.includes('$'))) return { error: `the GPU ids \`${deviceIds.join(',')}\` use a variable; write the CDI ids by hand` };
    return deviceIds.map((id) => (id.includes('=') ? id : `nvidia.com/gpu=${id}`));
  }
  if (count === undefined || count === 'all' || count === '-1') return ['nvidia.com/gpu=all'];
  if (/^\d+$/.test(count)) {
    const n = Number(count);
    if (n < 1 || n > 64) return { error: `\`count: ${count}\` is not a usable GPU count` };
    return Array.from({ length: n }, (_, index) => `nvidia.com/gpu=${index}`);
  }
  return { error: `\`count: ${count}\` cannot be turned into CDI device ids; write \`device_ids\` by hand` };
}

/**
 * The GPUs `runtime: nvidia` hands a service: its `NVIDIA_VISIBLE_DEVICES` (the NVIDIA runtime's selector, NVIDIA
 * "Specialized Configurations with Docker"), or all when unset (CUDA images set `all` in their own environment).
 * `void`/empty: none (the runtime then behaves as runc). `none`: driver files without a GPU, which CDI cannot express.
 */
export function runtimeDeviceNames(visibleDevices: string | undefined): string[] | { error: string } {
  if (visibleDevices === undefined || visibleDevices.trim() === 'all') return ['nvidia.com/gpu=all'];
  const value = visibleDevices.trim();
  if (value === '' || value === 'void') return [];
  if (value === 'none') return { error: '`NVIDIA_VISIBLE_DEVICES=none` asks for the driver without a GPU, which a CDI request cannot express; rewrite it by hand' };
  return cdiDeviceNames(undefined, value.split(',').map((id) => id.trim()).filter(Boolean));
}

/** Whether every non-CDI NVIDIA request of the service can be rewritten to CDI names (what the fix needs). */
export function serviceCdiNames(service: ComposeService): string[] | { error: string } {
  const names = new Set<string>();
  for (const request of service.gpuRequests.filter(isNonCdiNvidiaRequest)) {
    const visible = service.environment.get('NVIDIA_VISIBLE_DEVICES');
    const wanted = request.kind === 'runtime' ? runtimeDeviceNames(visible?.value) : cdiDeviceNames(request.count, request.deviceIds);
    if ('error' in wanted) return wanted;
    for (const name of wanted) names.add(name);
  }
  return [...names];
}
