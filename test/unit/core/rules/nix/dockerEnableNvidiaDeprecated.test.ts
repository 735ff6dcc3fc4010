import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadComposeProject } from '../../../../../src/core/compose';
import { memoryHost } from '../../../helpers/memoryHost';
import { findingsOf } from './nixRuleFixture';
import { said } from '../said';

const COMPOSE = '/home/palav/ai/compose.yaml';
const STACK = `services:
  ollama:
    image: ollama/ollama
    runtime: nvidia
  cuda:
    image: nvidia/cuda
    environment:
      - NVIDIA_VISIBLE_DEVICES=all
  cdi:
    image: x
    devices:
      - nvidia.com/gpu=all
`;
const projects = () => [loadComposeProject(COMPOSE, memoryHost({ [COMPOSE]: STACK }))];

test('docker-enable-nvidia-deprecated: an error where docker.nix\'s 32-bit assertion fails (Docker enabled, x86_64)', () => {
  const bare = '{\n  virtualisation.docker.enable = true;\n  virtualisation.docker.enableNvidia = true;\n}\n';
  const [failing] = findingsOf(bare, 'docker-enable-nvidia-deprecated', { release: '25.05' });
  assert.equal(failing?.severity, 'error');
  assert.match(said(failing), /"Option enableNvidia on x86_64 requires 32-bit support libraries" and `hardware\.graphics\.enable32Bit` is not set/);
  const [old] = findingsOf(bare, 'docker-enable-nvidia-deprecated', { release: '24.05' });
  assert.match(said(old), /`hardware\.opengl\.driSupport32Bit` is not set/);
  const with32 = bare.replace('}\n', '  hardware.graphics.enable32Bit = true;\n}\n');
  assert.equal(findingsOf(with32, 'docker-enable-nvidia-deprecated')[0]?.severity, 'warning');
  // The old name is an alias from 24.11 on.
  assert.equal(findingsOf(bare.replace('}\n', '  hardware.opengl.driSupport32Bit = true;\n}\n'), 'docker-enable-nvidia-deprecated')[0]?.severity, 'warning');
  // Without Docker, docker.nix's config (and its assertion) does not apply; on aarch64 the assertion is exempt.
  assert.equal(findingsOf('{ virtualisation.docker.enableNvidia = true; }', 'docker-enable-nvidia-deprecated')[0]?.severity, 'warning');
  assert.equal(findingsOf(bare.replace('}\n', '  nixpkgs.hostPlatform = "aarch64-linux";\n}\n'), 'docker-enable-nvidia-deprecated')[0]?.severity, 'warning');
});

test('docker-enable-nvidia-deprecated names the services that rely on its runtime (env-only ones from 25.11)', () => {
  const text = '{\n  virtualisation.docker.enableNvidia = true;\n  hardware.graphics.enable32Bit = true;\n}\n';
  const [before] = findingsOf(text, 'docker-enable-nvidia-deprecated', { release: '25.05', projects: projects() });
  assert.deepEqual(before!.data?.['gpuServices'], ['ollama']);
  assert.deepEqual(before!.data?.['gpuIds'], ['nvidia.com/gpu=all']);
  assert.match(said(before), /registers Docker's `nvidia` runtime that `ollama` \(ai\/compose\.yaml\) relies on: the fix rewrites it to CDI in the same step/);
  const [current] = findingsOf(text, 'docker-enable-nvidia-deprecated', { release: '25.11', projects: projects() });
  assert.deepEqual(current!.data?.['gpuServices'], ['ollama', 'cuda']);
  assert.match(said(current), /\(as the default runtime\)/);
  // A runtime the user registers themselves stays: ollama keeps it.
  const own = text.replace('}\n', '  virtualisation.docker.daemon.settings.runtimes.nvidia.path = "nvidia-container-runtime";\n}\n');
  assert.deepEqual(findingsOf(own, 'docker-enable-nvidia-deprecated', { release: '25.05', projects: projects() })[0]!.data?.['gpuServices'], []);
});
