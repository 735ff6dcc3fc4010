import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { loadComposeProject } from '../../../../../src/core/compose';
import { memoryHost } from '../../../helpers/memoryHost';
import { dockerEnableNvidiaDeprecated } from '../../../../../src/core/rules/nix/dockerEnableNvidiaDeprecated';
import { applyFix, assertAllParse, ENTRY, findingsOf, fixesFor, lintNix } from '../../rules/nix/nixRuleFixture';

const COMPOSE = '/home/palav/ai/compose.yaml';
const STACK = `services:
  ollama:
    image: ollama/ollama
    runtime: nvidia
    environment:
      - NVIDIA_VISIBLE_DEVICES=0
  agent:
    build: .
    gpus: all
`;
const CONFIG = '{\n  virtualisation.docker.enable = true;\n  virtualisation.docker.enableNvidia = true;\n  hardware.graphics.enable32Bit = true;\n}\n';

test('docker-enable-nvidia-deprecated fix: one fix edits the configuration and rewrites the services that used the runtime', () => {
  const files = { [ENTRY]: CONFIG, [COMPOSE]: STACK };
  const projects = [loadComposeProject(COMPOSE, memoryHost(files))];
  const { findings, nix } = lintNix(files, { projects, release: '25.05' });
  const finding = findings.find((f) => f.code === 'docker-enable-nvidia-deprecated');
  assert.ok(finding);
  const [fix] = fixesFor(finding, nix, files);
  assert.equal(fix?.preferred, true);
  assert.deepEqual(fix?.edits.map((edit) => edit.file).sort(), [COMPOSE, ENTRY].sort());
  assert.match(fix!.title, /request the GPU of ollama, agent through CDI/);
  const after = applyFix(files, fix!);
  assert.match(after[ENTRY] as string, /hardware\.nvidia-container-toolkit\.enable = true;/);
  assert.doesNotMatch(after[ENTRY] as string, /enableNvidia/);
  const services = (parse(after[COMPOSE] as string) as { services: Record<string, { deploy: { resources: { reservations: { devices: unknown } } } }> }).services;
  assert.deepEqual(services['ollama']?.deploy.resources.reservations.devices, [{ driver: 'cdi', device_ids: ['nvidia.com/gpu=0'], capabilities: ['gpu'] }]);
  assert.deepEqual(services['agent']?.deploy.resources.reservations.devices, [{ driver: 'cdi', device_ids: ['nvidia.com/gpu=all'], capabilities: ['gpu'] }]);
  assert.doesNotMatch(after[COMPOSE] as string, /runtime:|gpus:|NVIDIA_VISIBLE_DEVICES/);
  // Re-linted with the rewritten stack, nothing of the rule is left.
  const reprojects = [loadComposeProject(COMPOSE, memoryHost(after))];
  assert.equal(findingsOf(after, 'docker-enable-nvidia-deprecated', { projects: reprojects, release: '25.05' }).length, 0);
  assertAllParse([after[ENTRY] as string]);
});

test('docker-enable-nvidia-deprecated fix: a service that cannot be rewritten keeps the fix from being preferred', () => {
  const stack = STACK.replace('NVIDIA_VISIBLE_DEVICES=0', 'NVIDIA_VISIBLE_DEVICES=none');
  const files = { [ENTRY]: CONFIG, [COMPOSE]: stack };
  const projects = [loadComposeProject(COMPOSE, memoryHost(files))];
  const { findings, nix } = lintNix(files, { projects, release: '25.05' });
  const finding = findings.find((f) => f.code === 'docker-enable-nvidia-deprecated');
  assert.ok(finding);
  // What the fix needs is data: ollama's NVIDIA_VISIBLE_DEVICES=none names no device to rewrite to, agent's gpus: all does.
  assert.equal(finding.data?.['rewritable'], false);
  assert.deepEqual(finding.data?.['gpuServices'], ['agent']);
  // The user reads which service is left to them in the explanation (the headline says what is deprecated).
  const [found] = dockerEnableNvidiaDeprecated.check({ nix, projects, snapshot: undefined, release: '25.05', mountRoots: [] });
  assert.match(found?.explanation ?? '', /except `ollama`, which must be rewritten by hand first/);
  const [fix] = fixesFor(finding, nix, files);
  assert.equal(fix?.preferred, false);
  assert.match(fix!.title, /request the GPU of agent through CDI/);
});
