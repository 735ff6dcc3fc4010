import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gpuWithoutToolkit } from '../../../../../src/core/rules/compose/gpuWithoutToolkit';
import { check } from './fixture';

const kinds = `services:
  runtime:
    image: x
    runtime: nvidia
  gpus:
    image: x
    gpus: all
  short:
    image: x
    devices:
      - nvidia.com/gpu=all
  reservation:
    image: x
    deploy:
      resources:
        reservations:
          devices:
            - driver: cdi
              device_ids: ["nvidia.com/gpu=all"]
              capabilities: [gpu]
`;

test('gpu-without-toolkit: the deprecated enableNvidia serves the runtime forms, not CDI requests (it writes no CDI spec)', async () => {
  assert.equal((await check(gpuWithoutToolkit, { compose: kinds })).length, 4);
  const withEnableNvidia = await check(gpuWithoutToolkit, { compose: kinds, nix: 'virtualisation.docker.enableNvidia = true;' });
  assert.deepEqual(withEnableNvidia.map((finding) => finding.data?.['service']), ['short', 'reservation']);
  assert.deepEqual(await check(gpuWithoutToolkit, { compose: kinds, nix: 'hardware.nvidia-container-toolkit.enable = true;' }), []);
});
