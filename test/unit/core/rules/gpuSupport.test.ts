import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initNixParser, loadNixConfiguration } from '../../../../src/core/nix';
import { cdiDeviceNames, dockerMajor, runtimeDeviceNames } from '../../../../src/core/rules/gpuSupport';
import { memoryHost } from '../../helpers/memoryHost';

const ENTRY = '/etc/nixos/configuration.nix';

async function nixOf(body: string) {
  await initNixParser();
  return loadNixConfiguration(ENTRY, memoryHost({ [ENTRY]: `{ pkgs, ... }:\n{\n${body}\n}\n` }));
}

test('CDI names: count → first N indices, all/-1/none → all, ids kept, UUIDs refused', () => {
  assert.deepEqual(cdiDeviceNames('2', undefined), ['nvidia.com/gpu=0', 'nvidia.com/gpu=1']);
  assert.deepEqual(cdiDeviceNames('all', undefined), ['nvidia.com/gpu=all']);
  assert.deepEqual(cdiDeviceNames('-1', undefined), ['nvidia.com/gpu=all']);
  assert.deepEqual(cdiDeviceNames(undefined, undefined), ['nvidia.com/gpu=all']);
  assert.deepEqual(cdiDeviceNames(undefined, ['1', 'nvidia.com/gpu=3']), ['nvidia.com/gpu=1', 'nvidia.com/gpu=3']);
  assert.ok('error' in cdiDeviceNames(undefined, ['GPU-604ac76c']));
  assert.ok('error' in cdiDeviceNames('${GPUS}', undefined));
});

test('the GPUs runtime: nvidia hands a service, from NVIDIA_VISIBLE_DEVICES', () => {
  assert.deepEqual(runtimeDeviceNames(undefined), ['nvidia.com/gpu=all']);
  assert.deepEqual(runtimeDeviceNames('all'), ['nvidia.com/gpu=all']);
  assert.deepEqual(runtimeDeviceNames('0, 2'), ['nvidia.com/gpu=0', 'nvidia.com/gpu=2']);
  assert.deepEqual(runtimeDeviceNames('void'), []);
  assert.ok('error' in runtimeDeviceNames('none'));
});

test('Docker major version: the package set, else the release default', async () => {
  const none = await nixOf('');
  assert.equal(dockerMajor(none, '23.11'), 24);
  assert.equal(dockerMajor(none, '24.05'), 25);
  assert.equal(dockerMajor(none, '24.11'), 27);
  assert.equal(dockerMajor(none, '25.11'), 28);
  assert.equal(dockerMajor(await nixOf('virtualisation.docker.package = pkgs.docker_24;'), '25.11'), 24);
  assert.equal(dockerMajor(await nixOf('virtualisation.docker.package = pkgs.docker_29;'), '24.05'), 29);
  assert.equal(dockerMajor(await nixOf('virtualisation.docker.package = myDocker;'), '25.11'), undefined);
});
