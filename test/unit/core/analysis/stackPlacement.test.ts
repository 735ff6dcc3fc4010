import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyseWorkspace } from '../../../../src/core/analysis/pipeline';
import { DiskFileSource } from '../../../../src/core/analysis/fileSource';
import { initNixParser } from '../../../../src/core/nix';
import type { Placement } from '../../../../src/core/analysis/types';
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/core/settings';
import { said } from '../rules/said';

function tempTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nhl-place-'));
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(root, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return root;
}

async function analyse(root: string, extra: { host?: string; settings?: Partial<Settings> } = {}) {
  await initNixParser();
  return analyseWorkspace({ roots: [root], host: extra.host, settings: { ...DEFAULT_SETTINGS, ...extra.settings } }, new DiskFileSource());
}

/** Each stack's placement as `host:via`, `unknown`, `not-deployed` or `no-configuration`, by folder. */
function placed(root: string, placements: Map<string, Placement>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, placement] of placements) out[path.relative(root, path.dirname(file))] = placement.kind === 'host' ? `${placement.host.name}:${placement.via}` : placement.kind;
  return out;
}

const STACK = 'services:\n  app:\n    image: nginx\n    environment:\n      - PUID=1000\n';
const DOCKER_HOST = (extra = '') => `{ ... }: {\n  virtualisation.docker.enable = true;\n  users.users.u = { isNormalUser = true; uid = 1000; };\n${extra}}\n`;
const UNIT = (dir: string) => `  systemd.services.stack = { wantedBy = [ "multi-user.target" ]; after = [ "docker.service" ]; requires = [ "docker.service" ]; serviceConfig.WorkingDirectory = "${dir}"; script = "docker compose up -d"; };\n`;

test('the host whose unit or module references the stack, never a module every host imports', async () => {
  const root = tempTree({
    'hosts/common/configuration.nix': '{ imports = [ ../../apps/docker/wiki/wiki.nix ]; }',
    'hosts/nas/configuration.nix': `{ imports = [ ../common/configuration.nix ../../apps/docker/paperless ]; virtualisation.docker.enable = true; }`,
    'hosts/gpu/configuration.nix': `${DOCKER_HOST(UNIT('/opt/stacks/ollama')).replace('{ ... }: {', '{ ... }: {\n  imports = [ ../common/configuration.nix ];')}`,
    'hosts/pi/configuration.nix': '{ imports = [ ../common/configuration.nix ]; }',
    'apps/docker/paperless/default.nix': '{ pkgs, ... }: { systemd.services.paperless.serviceConfig.ExecStart = "${pkgs.docker}/bin/docker compose -f ${./compose.yaml} up"; }',
    'apps/docker/paperless/compose.yaml': STACK,
    'apps/docker/ollama/compose.yaml': STACK,
    'apps/docker/wiki/wiki.nix': '{ systemd.services.wiki.script = "cd ${./.} && docker compose up"; }',
    'apps/docker/wiki/compose.yaml': STACK,
    'apps/docker/old/compose.yaml': STACK,
  });
  const analysis = await analyse(root);
  assert.deepEqual(analysis.hosts.map((host) => host.name).sort(), ['gpu', 'nas', 'pi'], 'hosts/common is imported by the others: not a host');
  assert.deepEqual(placed(root, analysis.placements), {
    'apps/docker/paperless': 'nas:unit',
    'apps/docker/ollama': 'gpu:unit',
    'apps/docker/wiki': 'unknown',
    'apps/docker/old': 'not-deployed',
  });
  const wiki = analysis.findings.filter((finding) => finding.file.includes('wiki'));
  assert.deepEqual(wiki.map((finding) => finding.code), ['host-unknown']);
  assert.match(said(wiki[0]), /several hosts import \(gpu, nas, pi\)[^]*nixosHomelab\.host[^]*--host/);
  const old = analysis.findings.filter((finding) => finding.file.includes('/old/'));
  assert.deepEqual(old.map((finding) => `${finding.code} ${finding.severity} ${finding.range.start.line}`), ['stack-not-deployed information 0']);
});

test('layout: a stack inside one host\'s folder; one host and no declarative deployment: that host', async () => {
  const root = tempTree({
    'hosts/nas/configuration.nix': DOCKER_HOST(),
    'hosts/nas/stacks/plex/compose.yaml': STACK,
    'hosts/pi/configuration.nix': '{ }',
    'stacks/loose/compose.yaml': STACK,
  });
  assert.deepEqual(placed(root, (await analyse(root)).placements), { 'hosts/nas/stacks/plex': 'nas:layout', 'stacks/loose': 'unknown' });
  const single = tempTree({ 'nixos/configuration.nix': DOCKER_HOST(), 'docker/plex/compose.yaml': STACK });
  assert.deepEqual(placed(single, (await analyse(single)).placements), { 'docker/plex': 'nixos:only host' });
});

test('host unknown: only the checks that need no host run, once-per-stack notice at the top', async () => {
  const root = tempTree({
    'hosts/a/configuration.nix': '{ }',
    'hosts/b/configuration.nix': '{ }',
    'stacks/x/compose.yaml': 'services:\n  x:\n    image: nginx\n    user: "4242:4242"\n    environment:\n      - TOKEN=${TOKEN}\n',
  });
  const analysis = await analyse(root);
  assert.deepEqual(analysis.findings.map((finding) => finding.code).sort(), ['host-unknown', 'unresolved-variable'], 'no docker-not-enabled, no puid-unmapped');
  assert.ok(analysis.findings.every((finding) => finding.host === undefined));
});

test('--host and nixosHomelab.host: a host name or an entry module path, ahead of references', async () => {
  const root = tempTree({
    'hosts/nas/configuration.nix': DOCKER_HOST(UNIT('/srv/x')),
    'hosts/pi/configuration.nix': '{ }',
    'stacks/x/compose.yaml': STACK,
  });
  assert.deepEqual(placed(root, (await analyse(root)).placements), { 'stacks/x': 'nas:unit' });
  const byFlag = await analyse(root, { host: 'pi' });
  assert.deepEqual(placed(root, byFlag.placements), { 'stacks/x': 'pi:--host' });
  assert.ok(byFlag.findings.some((finding) => finding.code === 'docker-not-enabled' && finding.host?.name === 'pi' && finding.host.entry === path.join(root, 'hosts/pi/configuration.nix')));
  assert.deepEqual(placed(root, (await analyse(root, { settings: { host: 'hosts/pi/configuration.nix' } })).placements), { 'stacks/x': 'pi:nixosHomelab.host' });
});

test('every finding checked against a host names it; with several hosts, related information points at its entry', async () => {
  const root = tempTree({
    'hosts/nas/configuration.nix': '{ virtualisation.docker.enable = false; }',
    'hosts/nas/stacks/x/compose.yaml': STACK,
    'hosts/pi/configuration.nix': '{ }',
  });
  const analysis = await analyse(root);
  const docker = analysis.findings.find((finding) => finding.code === 'docker-not-enabled');
  assert.deepEqual(docker?.host, { name: 'nas', entry: path.join(root, 'hosts/nas/configuration.nix') });
  assert.ok(docker?.related.some((related) => related.location.file === path.join(root, 'hosts/nas/configuration.nix')));
  const puid = tempTree({
    'hosts/nas/configuration.nix': '{ virtualisation.docker.enable = true; }',
    'hosts/nas/stacks/x/compose.yaml': 'services:\n  x:\n    image: nginx\n    volumes:\n      - /mnt/data:/data\n',
    'hosts/pi/configuration.nix': '{ }',
  });
  const unmapped = (await analyse(puid)).findings.find((finding) => finding.code === 'bind-mount-undeclared');
  assert.equal(unmapped?.host?.name, 'nas');
  assert.ok(unmapped?.related.some((related) => related.location.file === path.join(puid, 'hosts/nas/configuration.nix') && /checked against host nas/.test(related.message)), JSON.stringify(unmapped?.related));
});
