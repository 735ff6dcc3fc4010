import assert from 'node:assert/strict';
import { test } from 'node:test';
import { driWithoutGpuFirmware } from '../../../../../src/core/rules/compose/driWithoutGpuFirmware';
import { check, covered, POP_OS_SNAPSHOT } from './fixture';
import { said } from '../said';

const jellyfin = `services:
  jellyfin:
    image: jellyfin/jellyfin
    devices:
      - /dev/dri/renderD128:/dev/dri/renderD128
`;
const rocm = `services:
  ollama:
    image: ollama/ollama:rocm
    devices:
      - /dev/kfd
      - /dev/dri
`;
const AMD_SNAPSHOT = { 'gpu.txt': '03:00.0 VGA compatible controller [0300]: Advanced Micro Devices, Inc. [AMD/ATI] Navi 23 [Radeon RX 6600] [1002:73ff] (rev c7)\n' };
const NVIDIA_SNAPSHOT = { 'gpu.txt': '01:00.0 VGA compatible controller [0300]: NVIDIA Corporation TU104 [GeForce RTX 2080] [10de:1e82] (rev a1)\n' };

test('dri-without-gpu-firmware: /dev/dri without firmware; hardware.graphics does not count', async () => {
  for (const nix of [undefined, 'hardware.graphics.enable = true;', 'hardware.enableRedistributableFirmware = false;']) {
    const findings = await check(driWithoutGpuFirmware, { compose: jellyfin, nix, snapshot: POP_OS_SNAPSHOT });
    assert.equal(findings.length, 1, String(nix));
    assert.equal(covered(jellyfin, findings[0]!), '/dev/dri/renderD128:/dev/dri/renderD128');
    assert.match(said(findings[0]), /hardware\.enableRedistributableFirmware = true;/);
    assert.match(said(findings[0]), /HuC/);
    assert.equal(findings[0]!.data?.['vendor'], 'intel');
  }
  const viaVolume = 'services:\n  a:\n    image: x\n    volumes:\n      - /dev/dri:/dev/dri\n';
  assert.equal((await check(driWithoutGpuFirmware, { compose: viaVolume })).length, 1);
});

test('dri-without-gpu-firmware: AMD says there is no render node; /dev/kfd of a ROCm container counts', async () => {
  const findings = await check(driWithoutGpuFirmware, { compose: rocm, snapshot: AMD_SNAPSHOT });
  assert.deepEqual(findings.map((f) => covered(rocm, f)), ['/dev/dri', '/dev/kfd']);
  assert.match(said(findings[0]), /amdgpu cannot initialise/);
  assert.equal(findings[0]!.data?.['vendor'], 'amd');
});

test('dri-without-gpu-firmware: quiet when firmware is installed or cannot be ruled out', async () => {
  const quiet = [
    'hardware.enableRedistributableFirmware = true;',
    'hardware.enableRedistributableFirmware = lib.mkDefault true;',
    'hardware.enableAllFirmware = true;',
    'hardware.enableRedistributableFirmware = config.my.firmware;',
    'hardware.firmware = [ pkgs.linux-firmware ];',
    // What nixos-generate-config writes into hardware-configuration.nix on bare metal.
    'imports = [ (modulesPath + "/installer/scan/not-detected.nix") ];',
    'imports = [ inputs.nixos-hardware.nixosModules.common-gpu-amd ];',
  ];
  // An import that cannot be read may set it: the runner makes that finding information without a fix, in one place
  // for every rule (test/unit/core/rules/unreadableModules.test.ts).
  for (const nix of quiet) assert.deepEqual(await check(driWithoutGpuFirmware, { compose: jellyfin, nix }), [], nix);
  // NVIDIA's driver brings its own firmware; /dev/dri on an NVIDIA-only host is the GPU rules' business.
  assert.deepEqual(await check(driWithoutGpuFirmware, { compose: jellyfin, snapshot: NVIDIA_SNAPSHOT }), []);
  assert.deepEqual(await check(driWithoutGpuFirmware, { compose: 'services:\n  a:\n    image: x\n    devices:\n      - /dev/ttyUSB0:/dev/ttyUSB0\n' }), []);
});

test('dri-without-gpu-firmware: hardware.firmware without linux-firmware does not count', async () => {
  const findings = await check(driWithoutGpuFirmware, { compose: jellyfin, nix: 'hardware.firmware = [ pkgs.rtl8761b-firmware ];' });
  assert.equal(findings.length, 1);
});
