import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadComposeProject } from '../../../../../src/core/compose';
import { initNixParser, loadNixConfiguration } from '../../../../../src/core/nix';
import type { RuleFinding } from '../../../../../src/core/rules';
import { unresolvedVariable } from '../../../../../src/core/rules/compose/unresolvedVariable';
import { memoryHost } from '../../../helpers/memoryHost';
import { said } from '../said';

const STACK = '/repo/stacks/immich';
const COMPOSE = `${STACK}/compose.yaml`;
const NIX = '/repo/host/configuration.nix';
const compose = 'services:\n  server:\n    image: immich:${TAG}\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n';

/** Runs the rule on the stack at /repo/stacks/immich with the given files (a configuration when `nix` is given). */
async function findings(files: Record<string, string>, nix?: string): Promise<RuleFinding[]> {
  await initNixParser();
  const all: Record<string, string> = { '/repo/.git': '', [COMPOSE]: compose, ...files };
  if (nix !== undefined) all[NIX] = `{ config, pkgs, ... }:\n{\n${nix}\n}\n`;
  const host = memoryHost(all);
  const project = loadComposeProject(COMPOSE, host);
  const configuration = nix === undefined ? undefined : loadNixConfiguration(NIX, host);
  return unresolvedVariable.check({ project, nix: configuration, snapshot: undefined, release: '25.05', mountRoots: ['/mnt'], readText: (file) => host.readText(file) });
}

const summary = (found: RuleFinding[]): string[] => found.map((finding) => `${finding.severity ?? 'warning'} ${String(finding.data?.['name'] ?? finding.data?.['secret'])}`);

test('no source at all: a warning per reference, as before', async () => {
  assert.deepEqual(summary(await findings({})), ['warning TAG', 'warning DB_PASSWORD']);
  assert.deepEqual(summary(await findings({}, 'virtualisation.docker.enable = true;')), ['warning TAG', 'warning DB_PASSWORD']);
});

test('a unit starting the stack with --env-file on a declared agenix secret provides every variable', async () => {
  const unit = `age.secrets.immich.file = ../secrets/immich.age;
  systemd.services.immich = { serviceConfig.WorkingDirectory = "/srv/stacks/immich"; script = "docker compose --env-file /run/agenix/immich up -d"; };`;
  assert.deepEqual(await findings({}, unit), []);
});

test('a unit reading an undeclared secret: one warning at the flag, no variable reported', async () => {
  const unit = `age.secrets.immich-env.file = ../secrets/immich.age;
  systemd.services.immich = { serviceConfig.WorkingDirectory = "/srv/stacks/immich"; script = "docker compose --env-file /run/agenix/immich up -d"; };`;
  const found = await findings({}, unit);
  assert.deepEqual(summary(found), ['warning immich']);
  assert.equal(found[0]?.file, NIX);
  assert.match(said(found[0]), /declares no `age\.secrets\.immich`/);
});

test('a unit for another stack provides nothing to this one', async () => {
  const unit = `age.secrets.paperless.file = ../secrets/paperless.age;
  systemd.services.paperless = { serviceConfig.WorkingDirectory = "/srv/stacks/paperless"; script = "docker compose --env-file /run/agenix/paperless up -d"; };`;
  assert.deepEqual(summary(await findings({}, unit)), ['warning TAG', 'warning DB_PASSWORD']);
});

test('a sops dotenv secret provides exactly its key names; the unit environment provides its own', async () => {
  const unit = `sops.secrets.immich = { sopsFile = ../secrets/immich.env; format = "dotenv"; };
  systemd.services.immich = {
    environment.TAG = "v1.132.0";
    serviceConfig.WorkingDirectory = "/srv/stacks/immich";
    serviceConfig.ExecStart = "\${pkgs.docker}/bin/docker compose --env-file \${config.sops.secrets.immich.path} up";
  };`;
  assert.deepEqual(await findings({ '/repo/secrets/immich.env': 'DB_PASSWORD=ENC[AES256_GCM,data:x,type:str]\nsops_version=3.9.0\n' }, unit), []);
  assert.deepEqual(summary(await findings({ '/repo/secrets/immich.env': 'OTHER=ENC[x]\n' }, unit)), ['warning DB_PASSWORD']);
});

test('an EnvironmentFile on the host: information, naming the file', async () => {
  const unit = 'systemd.services.immich = { serviceConfig = { EnvironmentFile = "/etc/homelab/immich.env"; WorkingDirectory = "/srv/stacks/immich"; }; script = "docker compose up -d"; };';
  const found = await findings({}, unit);
  assert.deepEqual(summary(found), ['information TAG', 'information DB_PASSWORD']);
  assert.match(said(found[0]), /\/etc\/homelab\/immich\.env/);
});

test('a gitignored .env and an example: names the example lists are not reported, the others are information', async () => {
  const files = { '/repo/.gitignore': '.env\n', [`${STACK}/.env.example`]: '# DB_PASSWORD=\n' };
  assert.deepEqual(summary(await findings(files)), ['information TAG']);
  assert.deepEqual(summary(await findings({ '/repo/.gitignore': '.env\n' })), ['information TAG', 'information DB_PASSWORD']);
  // A .env in the repository is the one deployed: an example does not excuse what it lacks.
  assert.deepEqual(summary(await findings({ [`${STACK}/.env`]: 'X=1\n', [`${STACK}/.env.example`]: 'TAG=\n' })), ['warning TAG', 'warning DB_PASSWORD']);
});

test('a justfile next to the stack: --env-file and exports it shows are read', async () => {
  const files = { [`${STACK}/justfile`]: 'export TAG := "release"\nup:\n    docker compose --env-file ../../env/immich.env up -d\n', '/repo/env/immich.env': 'DB_PASSWORD=x\n' };
  assert.deepEqual(await findings(files), []);
});

test('env_file under /run: never a parse error; a warning when no secret is declared for it', async () => {
  const withEnvFile = 'services:\n  server:\n    image: immich:release\n    env_file:\n      - /run/secrets/immich\n';
  await initNixParser();
  const host = memoryHost({ [COMPOSE]: withEnvFile, [NIX]: '{ ... }:\n{\n  sops.secrets.other = {};\n}\n' });
  const project = loadComposeProject(COMPOSE, host);
  assert.deepEqual(project.problems, []);
  assert.deepEqual(project.services[0]?.runtimeEnvFiles?.map((file) => file.value), ['/run/secrets/immich']);
  const ctx = { project, nix: loadNixConfiguration(NIX, host), snapshot: undefined, release: '25.05', mountRoots: [] };
  assert.deepEqual(summary(unresolvedVariable.check(ctx)), ['warning immich']);
  assert.deepEqual(unresolvedVariable.check({ ...ctx, nix: undefined }), [], 'no configuration: nothing to compare with');
});

test('a bind built from an unset variable is marked: its source is not a path', async () => {
  const host = memoryHost({ [COMPOSE]: 'services:\n  a:\n    image: x\n    volumes:\n      - /mnt/${POOL}/photos:/photos\n      - /mnt/data:/data\n' });
  const [service] = loadComposeProject(COMPOSE, host).services;
  assert.deepEqual(service?.volumes.map((volume) => volume.sourceUnresolved), [true, undefined]);
});
