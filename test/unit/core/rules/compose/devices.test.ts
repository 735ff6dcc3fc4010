import assert from 'node:assert/strict';
import { test } from 'node:test';
import { driGroupMismatch } from '../../../../../src/core/rules/compose/driGroupMismatch';
import { driWithoutGraphics } from '../../../../../src/core/rules/compose/driWithoutGraphics';
import { gpuRequestNotCdi } from '../../../../../src/core/rules/compose/gpuRequestNotCdi';
import { gpuWithoutToolkit } from '../../../../../src/core/rules/compose/gpuWithoutToolkit';
import { check, covered } from './fixture';

const jellyfin = `services:
  jellyfin:
    image: jellyfin/jellyfin
    user: "1000:1000"
    devices:
      - /dev/dri/renderD128:/dev/dri/renderD128
`;

test('dri-without-graphics: devices entry and bind mount of /dev/dri; release decides the option named', async () => {
  const findings = await check(driWithoutGraphics, { compose: jellyfin });
  assert.equal(findings.length, 1);
  assert.equal(covered(jellyfin, findings[0]!), '/dev/dri/renderD128:/dev/dri/renderD128');
  assert.match(findings[0]!.message, /hardware\.graphics\.enable/);
  const old = await check(driWithoutGraphics, { compose: jellyfin, release: '24.05' });
  assert.match(old[0]!.message, /hardware\.opengl\.enable/);
  const viaVolume = 'services:\n  a:\n    image: x\n    volumes:\n      - /dev/dri:/dev/dri\n';
  assert.equal((await check(driWithoutGraphics, { compose: viaVolume })).length, 1);
});

test('dri-without-graphics: quiet with hardware.graphics or hardware.opengl enabled, and without /dev/dri', async () => {
  assert.deepEqual(await check(driWithoutGraphics, { compose: jellyfin, nix: 'hardware.graphics.enable = true;' }), []);
  assert.deepEqual(await check(driWithoutGraphics, { compose: jellyfin, nix: 'hardware.opengl = { enable = true; };' }), []);
  assert.deepEqual(await check(driWithoutGraphics, { compose: 'services:\n  a:\n    image: x\n    devices:\n      - /dev/ttyUSB0:/dev/ttyUSB0\n' }), []);
});

test('dri-group-mismatch: non-root user without the render gid; the gid follows a forced render gid', async () => {
  const findings = await check(driGroupMismatch, { compose: jellyfin });
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /none of its groups \(1000\) is 303/);
  assert.equal(findings[0]!.data?.['renderGid'], 303);
  const forced = await check(driGroupMismatch, { compose: jellyfin, nix: 'users.groups.render.gid = lib.mkForce 110;' });
  assert.equal(forced[0]?.data?.['renderGid'], 110);
});

test('dri-group-mismatch: quiet for linuxserver images, root, the right group_add, or a named group', async () => {
  const lsio = 'services:\n  plex:\n    image: lscr.io/linuxserver/plex\n    user: "1000:1000"\n    devices: [/dev/dri:/dev/dri]\n';
  assert.deepEqual(await check(driGroupMismatch, { compose: lsio }), []);
  const noUser = 'services:\n  a:\n    image: x\n    devices: [/dev/dri:/dev/dri]\n';
  assert.deepEqual(await check(driGroupMismatch, { compose: noUser }), []);
  assert.deepEqual(await check(driGroupMismatch, { compose: `${jellyfin}    group_add:\n      - "303"\n` }), []);
  assert.deepEqual(await check(driGroupMismatch, { compose: `${jellyfin}    group_add:\n      - render\n` }), []);
});

const immichMl = `services:
  ml:
    image: ghcr.io/immich-app/immich-machine-learning:release-cuda
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              count: 1
              capabilities: [gpu]
`;

test('gpu-without-toolkit: every request kind; NVIDIA_VISIBLE_DEVICES alone counts', async () => {
  assert.equal((await check(gpuWithoutToolkit, { compose: immichMl })).length, 1);
  const kinds = 'services:\n  a:\n    image: x\n    runtime: nvidia\n  b:\n    image: x\n    gpus: all\n  c:\n    image: x\n    devices:\n      - nvidia.com/gpu=all\n  d:\n    image: x\n    environment:\n      - NVIDIA_VISIBLE_DEVICES=all\n';
  assert.equal((await check(gpuWithoutToolkit, { compose: kinds })).length, 4);
  assert.deepEqual(await check(gpuWithoutToolkit, { compose: kinds, nix: 'hardware.nvidia-container-toolkit.enable = true;' }), []);
});

test('gpu-request-not-cdi: driver nvidia, gpus and runtime — but not CDI, and not with an nvidia runtime registered', async () => {
  const findings = await check(gpuRequestNotCdi, { compose: immichMl, nix: 'hardware.nvidia-container-toolkit.enable = true;' });
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /could not select device driver "nvidia"/);
  const cdi = immichMl.replace('driver: nvidia', 'driver: cdi').replace('count: 1', 'device_ids: ["nvidia.com/gpu=all"]');
  assert.deepEqual(await check(gpuRequestNotCdi, { compose: cdi }), []);
  assert.deepEqual(await check(gpuRequestNotCdi, { compose: immichMl, nix: 'virtualisation.docker.enableNvidia = true;' }), []);
  const runtime = 'services:\n  a:\n    image: x\n    runtime: nvidia\n';
  assert.deepEqual(await check(gpuRequestNotCdi, { compose: runtime, nix: 'virtualisation.docker.daemon.settings.runtimes.nvidia.path = "nvidia-container-runtime";' }), []);
  assert.equal((await check(gpuRequestNotCdi, { compose: runtime })).length, 1);
});
