import type { ComposeService } from '../../compose/model';
import type { GpuVendor } from '../../host/model';
import { gpuVendors } from '../../host';
import type { NixConfiguration } from '../../nix/model';
import type { SourceLocation } from '../../text';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';
import { driMappings, relatedToMissing } from '../facts';

/**
 * `dri-without-gpu-firmware` (formerly `dri-without-graphics`). What a container that transcodes on an Intel or AMD
 * GPU needs from NixOS is the kernel driver — i915/xe/amdgpu, in the default kernel and loaded by udev
 * (`boot.hardwareScan`) — and the GPU firmware that driver loads, from linux-firmware. `hardware.graphics` only
 * links Mesa and VA-API drivers into /run/opengl-driver for host programs; Plex, Jellyfin and Immich images bring
 * their own userspace, so it is not what the container lacks.
 *
 * NixOS installs firmware only through `hardware.enableRedistributableFirmware` (nixos/modules/hardware/all-firmware.nix,
 * default off); `nixos-generate-config` turns it on with `lib.mkDefault true` on bare metal by importing
 * `installer/scan/not-detected.nix` from hardware-configuration.nix. The rule fires only when none of that is there.
 */

/** The ROCm compute node: created by amdgpu (CONFIG_HSA_AMD), so it needs the same firmware as the render node. */
const KFD = '/dev/kfd';

/** Options whose value we accept as "firmware is installed" unless it is literally `false`. */
const FIRMWARE_OPTIONS = [
  ['hardware', 'enableRedistributableFirmware'],
  ['hardware', 'enableAllFirmware'],
];

/** Where the container receives a GPU node: /dev/dri (devices or bind mount) and ROCm's /dev/kfd. */
function gpuNodeMappings(service: ComposeService): { loc: SourceLocation; host: string }[] {
  const kfd = service.devices.filter((d) => !d.cdi && d.host === KFD).map((d) => ({ loc: d.loc, host: d.host }));
  return [...driMappings(service), ...kfd];
}

/**
 * True when the configuration installs linux-firmware, or when we cannot tell: an option set to something other than
 * a literal `false`, an import we cannot read (nixos-hardware, a flake input, a file that failed to parse).
 */
export function gpuFirmwareProvided(nix: NixConfiguration): boolean {
  let provided = firmwareProvided.get(nix);
  if (provided === undefined) {
    provided = readFirmwareProvided(nix);
    firmwareProvided.set(nix, provided);
  }
  return provided;
}

/** Per configuration (a configuration never changes once built): the rule asks once per service with /dev/dri. */
const firmwareProvided = new WeakMap<NixConfiguration, boolean>();

function readFirmwareProvided(nix: NixConfiguration): boolean {
  if (nix.problems.length > 0) return true;
  for (const option of FIRMWARE_OPTIONS) {
    if (nix.definitionsOf(option).some((def) => !(def.value.kind === 'bool' && !def.value.value))) return true;
  }
  for (const def of nix.definitionsOf(['imports'])) {
    const items = def.value.kind === 'list' ? def.value.items : [def.value];
    for (const item of items) {
      const text = item.kind === 'unknown' ? item.text : item.kind === 'path' || item.kind === 'string' ? item.value : '';
      // hardware-configuration.nix from nixos-generate-config on bare metal; nixos-hardware modules we cannot read.
      if (/installer\/scan\/not-detected\.nix|nixos-hardware/.test(text)) return true;
    }
  }
  return nix.definitionsOf(['hardware', 'firmware']).some((def) => def.value.kind !== 'list' || def.value.items.some((item) => item.kind === 'unknown' && /linux-firmware|firmwareLinuxNonfree/.test(item.text)));
}

/** The GPUs the old host had (the hardware usually stays); [] when unknown. NVIDIA's driver ships its own firmware. */
function firmwareVendor(vendors: GpuVendor[]): 'amd' | 'intel' | 'unknown' | undefined {
  if (vendors.length === 0) return 'unknown';
  if (vendors.includes('amd')) return 'amd';
  if (vendors.includes('intel')) return 'intel';
  return vendors.includes('other') ? 'unknown' : undefined;
}

const CONSEQUENCE: Record<'amd' | 'intel' | 'unknown', string> = {
  amd: 'amdgpu cannot initialise an AMD GPU without its firmware, so the host has no /dev/dri/renderD* (nor /dev/kfd): the container gets no GPU, and Docker refuses to create a container whose `devices` names a node that does not exist',
  intel: 'i915/xe then run without the GuC/HuC firmware: Quick Sync\'s low-power (VDEnc) encoding with bitrate control needs HuC, and Arc GPUs need GuC and HuC',
  unknown: 'amdgpu cannot initialise an AMD GPU without it (no render node at all), and an Intel GPU runs without the GuC/HuC firmware that low-power Quick Sync encoding needs',
};

export const driWithoutGpuFirmware = perService({
  id: 'dri-without-gpu-firmware',
  side: 'compose',
  defaultSeverity: 'warning',
  summary: '/dev/dri (or /dev/kfd) is passed to a container but the configuration installs no GPU firmware (hardware.enableRedistributableFirmware).',
  fixable: (_data, ctx) => ctx.hasConfiguration,
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    const { nix } = ctx;
    // Without a configuration there is nothing to judge; with one that installs firmware, the driver has what it loads.
    if (!nix || gpuFirmwareProvided(nix)) return [];
    const vendor = firmwareVendor(ctx.snapshot ? gpuVendors(ctx.snapshot) : []);
    if (!vendor) return [];
    return gpuNodeMappings(service).map((mapping) => ({
      file: mapping.loc.file,
      range: mapping.loc.range,
      message: `Service ${service.name} gets ${mapping.host}, but the configuration installs no GPU firmware`,
      explanation:
        `\`hardware.enableRedistributableFirmware\` is not set, and no hardware-configuration.nix imports installer/scan/not-detected.nix: ` +
        `${CONSEQUENCE[vendor]}.\n\nFix: set \`hardware.enableRedistributableFirmware = true;\` (\`hardware.graphics\` is not needed for containers).`,
      related: relatedToMissing(ctx, ['hardware', 'enableRedistributableFirmware'], 'hardware.enableRedistributableFirmware = true; is missing here'),
      data: { service: service.name, vendor },
    }));
  },
});
