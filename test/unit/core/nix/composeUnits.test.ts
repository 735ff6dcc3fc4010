import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initNixParser } from '../../../../src/core/nix';
import { composeUnits, declaredSecrets, findSecret, secretReference, unitMatch } from '../../../../src/core/nix/composeUnits';
import { loadFiles, loadModule, textAt } from './nixFixture';

test('declaredSecrets: agenix and sops-nix default paths, a literal path, sops dotenv key names, template content', async () => {
  await initNixParser();
  const module = `{ config, ... }:
{
  age.secrets.immich-env.file = ../secrets/immich-env.age;
  age.secrets."db password" = { file = ../secrets/db.age; path = "/etc/db-password"; };
  sops.secrets.arr = { sopsFile = ./arr.env; format = "dotenv"; key = ""; };
  sops.secrets.token = {};
  sops.templates."app.env".content = ''
    APP_KEY=\${config.sops.placeholder.token}
    export APP_URL=https://app.example.org
  '';
}
`;
  const nix = loadFiles({ '/etc/nixos/configuration.nix': module });
  const files: Record<string, string> = { '/etc/nixos/arr.env': 'SONARR_KEY=ENC[AES256_GCM,data:x,type:str]\nsops_version=3.9.0\nsops_mac=ENC[x]\n' };
  const secrets = declaredSecrets(nix, (file) => files[file]);
  assert.equal(secrets.incomplete, false);
  assert.deepEqual(secrets.declared.map((secret) => [secret.kind, secret.name, secret.path, secret.names]), [
    ['agenix', 'immich-env', '/run/agenix/immich-env', undefined],
    ['agenix', 'db password', '/etc/db-password', undefined],
    ['sops', 'arr', '/run/secrets/arr', ['SONARR_KEY']],
    ['sops', 'token', '/run/secrets/token', undefined],
    ['sops-template', 'app.env', '/run/secrets/rendered/app.env', ['APP_KEY', 'APP_URL']],
  ]);
  assert.equal(findSecret(secrets, { kind: 'agenix', name: 'immich-env' })?.name, 'immich-env');
  assert.equal(findSecret(secrets, { kind: 'agenix', name: 'x', path: '/etc/db-password' })?.name, 'db password');
  assert.equal(findSecret(secrets, { kind: 'sops', name: 'missing', path: '/run/secrets/missing' }), undefined);
});

test('declaredSecrets: `age.secrets = import ./secrets.nix;` leaves the list incomplete', async () => {
  await initNixParser();
  assert.equal(declaredSecrets(loadModule('{ ... }: { age.secrets = import ./secrets.nix; }\n')).incomplete, true);
});

test('secretReference: by option (quoted names too), by default path, through secretsDir', () => {
  assert.deepEqual(secretReference('${config.age.secrets.docker-atuin.path}'), { kind: 'agenix', name: 'docker-atuin' });
  assert.deepEqual(secretReference('${config.sops.secrets."traefik/env".path}'), { kind: 'sops', name: 'traefik/env' });
  assert.deepEqual(secretReference('${config.sops.templates."app.env".path}'), { kind: 'sops-template', name: 'app.env' });
  assert.deepEqual(secretReference('/run/agenix/immich'), { kind: 'agenix', name: 'immich', path: '/run/agenix/immich' });
  assert.deepEqual(secretReference('"/run/secrets/rendered/app.env"'), { kind: 'sops-template', name: 'app.env', path: '/run/secrets/rendered/app.env' });
  assert.deepEqual(secretReference('${config.age.secretsDir}/immich'), { kind: 'agenix', name: 'immich' });
  assert.equal(secretReference('/etc/homelab/app.env'), undefined);
});

test('composeUnits: WorkingDirectory through a let binding, --env-file through a let binding, environment and Environment=', async () => {
  await initNixParser();
  const module = `{ config, pkgs, ... }:
let
  stacks = "/home/palav/homelab/stacks";
  envFile = config.age.secrets.immich-env.path;
in
{
  systemd.services.immich = {
    environment = { TZ = "Europe/Berlin"; };
    serviceConfig = {
      WorkingDirectory = "\${stacks}/immich";
      Environment = [ "UPLOAD=/srv/upload" "A=1 B=2" ];
      EnvironmentFile = [ "-/etc/homelab/immich.env" ./immich.env ];
      ExecStart = "\${pkgs.docker}/bin/docker compose --env-file \${envFile} up -d";
    };
  };
  systemd.services.unrelated.script = "echo hello";
}
`;
  const nix = loadModule(module);
  const units = composeUnits(nix);
  assert.deepEqual(units.map((unit) => unit.service), ['immich']);
  const [unit] = units;
  assert.ok(unit);
  assert.deepEqual(unit.folders[0], { hostPath: '/home/palav/homelab/stacks/immich', tail: ['home', 'palav', 'homelab', 'stacks', 'immich'] });
  assert.deepEqual([...unit.names.keys()].sort(), ['A', 'B', 'TZ', 'UPLOAD']);
  assert.deepEqual(unit.envFiles.map((file) => [file.via, file.written, file.secret?.name, file.local, file.hostPath]), [
    ['EnvironmentFile', '/etc/homelab/immich.env', undefined, undefined, '/etc/homelab/immich.env'],
    ['EnvironmentFile', './immich.env', undefined, '/etc/nixos/immich.env', undefined],
    ['--env-file', '${envFile}', 'immich-env', undefined, undefined],
  ]);
  const flag = unit.envFiles[2];
  assert.ok(flag);
  assert.equal(textAt(module, flag.loc.range), '--env-file ${envFile}');
  assert.ok(unitMatch(unit, '/work/checkout/stacks/immich') >= 2);
  assert.equal(unitMatch(unit, '/work/checkout/stacks/paperless'), 0);
});

test('composeUnits: `cd` in a script, `-f` files, --project-directory, exported and prefixed variables, `set -a; source`', async () => {
  await initNixParser();
  const module = `{ pkgs, ... }:
{
  systemd.services.jellyfin.script = ''
    set -a
    source /run/agenix/jellyfin
    set +a
    export PUBLISHED_URL=https://tv.example.org
    cd /srv/stacks/jellyfin
    IMAGE_TAG=10.10 docker compose up -d
  '';
  systemd.services.audiobooks.serviceConfig.ExecStart = "\${pkgs.docker}/bin/docker compose -f /srv/stacks/audiobooks/compose.yaml up";
  systemd.services.local.script = "docker compose --project-directory \${./stacks/local} up -d";
}
`;
  const units = composeUnits(loadModule(module));
  const byName = new Map(units.map((unit) => [unit.service, unit]));
  const jellyfin = byName.get('jellyfin');
  assert.deepEqual(jellyfin?.folders.map((folder) => folder.hostPath), ['/srv/stacks/jellyfin']);
  assert.deepEqual([...(jellyfin?.names.keys() ?? [])].sort(), ['IMAGE_TAG', 'PUBLISHED_URL']);
  assert.deepEqual(jellyfin?.envFiles.map((file) => [file.via, file.secret?.name]), [['source', 'jellyfin']]);
  assert.deepEqual(byName.get('audiobooks')?.folders.map((folder) => folder.hostPath), ['/srv/stacks/audiobooks']);
  const local = byName.get('local');
  assert.deepEqual(local?.folders.map((folder) => folder.local), ['/etc/nixos/stacks/local']);
  assert.ok(local && unitMatch(local, '/etc/nixos/stacks/local') > 1000);
});
