/**
 * The projection itself, applied by the real nix-instantiate (Debian's nix-bin) to attribute sets shaped like an
 * evaluated NixOS system, and read back through the zod schema. `--store dummy://`: nothing touches a store.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { PROJECTION } from '../../../../src/core/evaluation/projection';
import { detectRelease } from '../../../../src/core/analysis/release';
import { evaluatedRelease, failedParts, okOf, parseProjection, type Projection } from '../../../../src/core/evaluation/schema';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings';
import { evaluation, projection as handMade } from './evaluationFixture';

function project(system: string): Projection {
  const stdout = execFileSync('nix-instantiate', ['--store', 'dummy://', '--eval', '--strict', '--json', '--option', 'allow-import-from-derivation', 'false', '--expr', `(${PROJECTION}) (${system})`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const parsed = parseProjection(stdout);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.projection;
}

test('each part stands alone: a throwing user, group or option costs that entry only', () => {
  const result = project(`{
    config = {
      users.users = { palav = { uid = 1000; isNormalUser = true; }; broken = throw "conflicting definition values"; };
      users.groups = { render.gid = 303; };
      virtualisation.docker = { enable = true; enableNvidia = throw "used but not defined"; };
      services.xserver.videoDrivers = [ "nvidia" ];
      assertions = [ { assertion = false; message = "no"; } { assertion = true; message = "yes"; } ];
      warnings = [ "old option" ];
    };
    options = { };
  }`);
  assert.deepEqual(okOf(result.users), { palav: { ok: { uid: 1000, group: '', extraGroups: [], isNormalUser: true } }, broken: { failed: true } });
  const byPath = new Map(result.options.map((option) => [option.path.join('.'), option.value]));
  assert.deepEqual(byPath.get('virtualisation.docker.enable'), { ok: true });
  assert.deepEqual(byPath.get('virtualisation.docker.enableNvidia'), { failed: true });
  assert.deepEqual(byPath.get('services.xserver.videoDrivers'), { ok: ['nvidia'] });
  assert.deepEqual(byPath.get('hardware.graphics.enable'), { absent: true }, 'an option this system does not have');
  assert.deepEqual(okOf(result.assertions), ['no']);
  assert.deepEqual(okOf(result.warnings), ['old option']);
  assert.deepEqual(failedParts(result), ['users.users.broken', 'virtualisation.docker.enableNvidia']);
});

test('nothing is built or copied: paths become strings, derivations names, and only a package\'s version is read', () => {
  const result = project(`{
    config = {
      fileSystems."/mnt/data" = { device = /dev/disk/by-label/data; fsType = "ext4"; options = [ "nofail" ]; };
      virtualisation.docker = { enable = true; daemon.settings = { runtimes.nvidia.path = { type = "derivation"; name = "nvidia-container-toolkit"; outPath = throw "would build"; }; }; package = { version = "28.3.3"; outPath = throw "would build"; }; };
      age.secrets.env = { path = "/run/agenix/env"; file = ./secret.age; };
    };
  }`);
  assert.deepEqual(okOf(okOf(result.fileSystems)?.['/mnt/data'] ?? { failed: true }), { mountPoint: '/mnt/data', device: '/dev/disk/by-label/data', fsType: 'ext4', options: ['nofail'] });
  assert.deepEqual(result.options.find((option) => option.path.join('.') === 'virtualisation.docker.daemon.settings')?.value, { ok: { runtimes: { nvidia: { path: '<derivation nvidia-container-toolkit>' } } } });
  assert.equal(okOf(result.dockerPackageVersion), '28.3.3');
  assert.deepEqual(okOf(result.ageSecrets), { env: { path: '/run/agenix/env' } });
});

test('definitions are located per user and per assertion; the option default is told by its priority', () => {
  const result = project(`{
    config = { users.users.palav.uid = 1000; assertions = [ { assertion = false; message = "palav needs a group"; } ]; virtualisation.docker.enable = false; };
    options = {
      users.users.definitionsWithLocations = [ { file = "/etc/nixos/users.nix"; value = { palav = { uid = 1000; }; }; } { file = "/etc/nixos/other.nix"; value = { _type = "if"; condition = true; content = { palav.extraGroups = [ ]; }; }; } ];
      assertions.definitionsWithLocations = [ { file = "/etc/nixos/checks.nix"; value = [ { assertion = false; message = "palav needs a group"; } ]; } ];
      virtualisation.docker.enable = { highestPrio = 1500; definitionsWithLocations = [ { file = "/nix/store/x/docker.nix"; value = false; } ]; };
    };
  }`);
  assert.deepEqual(okOf(result.userFiles), { palav: ['/etc/nixos/users.nix', '/etc/nixos/other.nix'] });
  assert.deepEqual(okOf(result.assertionLocations), [{ file: '/etc/nixos/checks.nix', message: 'palav needs a group' }]);
  const docker = result.options.find((option) => option.path.join('.') === 'virtualisation.docker.enable');
  assert.deepEqual(docker?.highestPrio, { ok: 1500 });
});

test('the evaluated release is the one checked against unless --release says otherwise', () => {
  const files = { composeFiles: [], configurationFiles: [], flakeFiles: [], flakeLocks: [], unreadable: [] };
  const evaluations = new Map([['nas', evaluation(handMade({ release: { ok: '25.05' } }))]]);
  const host = { readText: () => undefined, exists: () => false, readFailure: () => undefined } as never;
  assert.deepEqual(detectRelease(files, { roots: ['/x'], settings: DEFAULT_SETTINGS, evaluations }, host), { release: '25.05', source: 'system.nixos.release, evaluated (25.05)' });
  assert.equal(detectRelease(files, { roots: ['/x'], settings: DEFAULT_SETTINGS, evaluations, release: '24.11' }, host).release, '24.11');
  assert.equal(evaluatedRelease([evaluation(handMade({ release: { ok: '25.05' } })), evaluation(handMade({ release: { ok: '24.11' } }))]), undefined, 'hosts that disagree: no one release');
});

test('the units that run Compose: each service on its own, from script, ExecStart or ExecStartPre, lists and strings alike', () => {
  const result = project(`{
    config.systemd.services = {
      immich = { script = "cd /srv/stacks/immich\\ndocker compose --env-file /run/agenix/immich up -d"; after = [ "docker.service" ]; unitConfig.RequiresMountsFor = "/mnt/data /mnt/media"; environment = { TZ = "UTC"; UNSET = null; }; };
      pod = { serviceConfig = { ExecStart = [ "podman-compose up" ]; WorkingDirectory = /srv/pod; EnvironmentFile = "-/etc/pod.env"; }; };
      pull = { serviceConfig.ExecStartPre = "/bin/docker-compose pull"; requires = [ "network-online.target" ]; };
      nginx = { script = "exec nginx"; serviceConfig.ExecStart = "/bin/nginx"; };
      broken = throw "conflicting definition values";
    };
    options.systemd.services.definitionsWithLocations = [ { file = "/etc/nixos/stacks.nix"; value = { immich = { }; pod = { }; }; } ];
  }`);
  const units = okOf(result.composeUnits) ?? {};
  assert.deepEqual(Object.keys(units).sort(), ['broken', 'immich', 'pod', 'pull'], 'nginx runs no Compose');
  assert.deepEqual(units['broken'], { failed: true });
  assert.deepEqual(okOf(units['immich'] ?? { failed: true }), {
    script: 'cd /srv/stacks/immich\ndocker compose --env-file /run/agenix/immich up -d',
    execStart: [],
    execStartPre: [],
    workingDirectory: null,
    environmentFile: [],
    environment: { TZ: 'UTC' },
    after: ['docker.service'],
    requires: [],
    wants: [],
    requiresMountsFor: ['/mnt/data /mnt/media'],
    files: ['/etc/nixos/stacks.nix'],
  });
  const pod = okOf(units['pod'] ?? { failed: true });
  assert.deepEqual([pod?.execStart, pod?.workingDirectory, pod?.environmentFile], [['podman-compose up'], '/srv/pod', ['-/etc/pod.env']]);
  assert.deepEqual(okOf(units['pull'] ?? { failed: true })?.execStartPre, ['/bin/docker-compose pull']);
  assert.deepEqual(failedParts(result), ['systemd.services.broken']);
});
