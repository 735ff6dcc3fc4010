/**
 * The GPU rewrite end to end through the bundled CLI (build first: `node esbuild.js`): `lint --fix` on a copy of
 * examples/pop-os-homelab turns every NVIDIA request (`runtime: nvidia`, `gpus:`, `driver: nvidia`) into a CDI
 * reservation, the compose files still parse, and a second run changes nothing; a configuration with the deprecated
 * `enableNvidia` loses it without leaving a stack asking for the runtime it registered.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { readTree } from '../unit/core/fixes/workspaceFixture';
import { EXAMPLE, runCli } from './runCli';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-gpu-'));
  dirs.push(dir);
  return dir;
}

type Devices = { driver?: string; device_ids?: string[]; capabilities?: string[] }[];
type ComposeFile = { services: Record<string, { runtime?: string; gpus?: unknown; environment?: unknown; deploy?: { resources?: { reservations?: { devices?: Devices } } } }> };
const compose = (file: string): ComposeFile => parse(fs.readFileSync(file, 'utf8')) as ComposeFile;
const devicesOf = (file: string, service: string): Devices | undefined => compose(file).services[service]?.deploy?.resources?.reservations?.devices;

async function codes(dir: string, snapshot: string[] = []): Promise<string[]> {
  const report = await runCli(['lint', '--format', 'json', ...snapshot, dir], { cwd: dir });
  return (JSON.parse(report.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
}

test('lint --fix on the example: no gpu-request-not-cdi left, every GPU request is CDI, the files parse, a second run changes nothing', async () => {
  const dir = tempDir();
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  const args = ['lint', '--fix', '--snapshot', path.join(dir, 'snapshot'), dir];
  const first = await runCli(args, { cwd: dir });
  assert.equal(first.status, 0, first.stdout + first.stderr);
  assert.doesNotMatch(first.stdout, /hint \[gpu-request-not-cdi\]/);
  assert.ok(!(await codes(dir, ['--snapshot', path.join(dir, 'snapshot')])).includes('gpu-request-not-cdi'));

  const agent = path.join(dir, 'Projects/ai-agent/compose.yaml');
  const cdiAll = [{ driver: 'cdi', device_ids: ['nvidia.com/gpu=all'], capabilities: ['gpu'] }];
  assert.deepEqual(devicesOf(agent, 'ollama'), cdiAll);
  assert.deepEqual(devicesOf(agent, 'agent'), cdiAll);
  assert.equal(compose(agent).services['ollama']?.runtime, undefined);
  assert.equal(compose(agent).services['agent']?.gpus, undefined);
  assert.match(fs.readFileSync(agent, 'utf8'), /^# Local AI agent: an LLM server on the RTX 3060/, 'the file comment stays');
  assert.deepEqual(devicesOf(path.join(dir, 'docker/immich/docker-compose.yml'), 'immich-machine-learning'), [{ driver: 'cdi', device_ids: ['nvidia.com/gpu=0'], capabilities: ['gpu'] }]);

  const before = readTree(dir);
  const second = await runCli(args, { cwd: dir });
  assert.equal(second.status, 0);
  assert.deepEqual(readTree(dir), before, 'a second --fix changes nothing');
});

test('lint --fix with the deprecated enableNvidia: the option goes and the runtime: nvidia stack becomes CDI in the same run', async () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'nixos'));
  fs.mkdirSync(path.join(dir, 'ai'));
  fs.writeFileSync(
    path.join(dir, 'nixos/configuration.nix'),
    '{ config, pkgs, ... }:\n{\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia.open = true;\n  hardware.graphics.enable32Bit = true;\n  virtualisation.docker = {\n    enable = true;\n    enableNvidia = true;\n  };\n  system.stateVersion = "25.05";\n}\n',
  );
  const stack = path.join(dir, 'ai/compose.yaml');
  fs.writeFileSync(stack, 'services:\n  ollama:\n    image: ollama/ollama\n    runtime: nvidia\n    environment:\n      - NVIDIA_VISIBLE_DEVICES=all\n');
  assert.ok((await codes(dir, ['--release', '25.05'])).includes('docker-enable-nvidia-deprecated'));
  const run = await runCli(['lint', '--fix', '--release', '25.05', dir], { cwd: dir });
  assert.equal(run.stderr, '');
  const config = fs.readFileSync(path.join(dir, 'nixos/configuration.nix'), 'utf8');
  assert.doesNotMatch(config, /enableNvidia/);
  assert.match(config, /hardware\.nvidia-container-toolkit\.enable = true;/);
  assert.deepEqual(devicesOf(stack, 'ollama'), [{ driver: 'cdi', device_ids: ['nvidia.com/gpu=all'], capabilities: ['gpu'] }]);
  assert.equal(compose(stack).services['ollama']?.environment, undefined);
  const left = await codes(dir, ['--release', '25.05']);
  assert.ok(!left.includes('gpu-request-not-cdi') && !left.includes('docker-enable-nvidia-deprecated') && !left.includes('gpu-without-toolkit'), left.join(', '));
});
