import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gpuRequestNotCdi } from '../../../../../src/core/rules/compose/gpuRequestNotCdi';
import { gpuWithoutToolkit } from '../../../../../src/core/rules/compose/gpuWithoutToolkit';
import { check } from './fixture';
import { said } from '../said';

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
  assert.match(said(findings[0]), /could not select device driver "nvidia"/);
  const cdi = immichMl.replace('driver: nvidia', 'driver: cdi').replace('count: 1', 'device_ids: ["nvidia.com/gpu=all"]');
  assert.deepEqual(await check(gpuRequestNotCdi, { compose: cdi }), []);
  assert.deepEqual(await check(gpuRequestNotCdi, { compose: immichMl, nix: 'virtualisation.docker.enableNvidia = true;' }), []);
  const runtime = 'services:\n  a:\n    image: x\n    runtime: nvidia\n';
  assert.deepEqual(await check(gpuRequestNotCdi, { compose: runtime, nix: 'virtualisation.docker.daemon.settings.runtimes.nvidia.path = "nvidia-container-runtime";' }), []);
  assert.equal((await check(gpuRequestNotCdi, { compose: runtime })).length, 1);
});
