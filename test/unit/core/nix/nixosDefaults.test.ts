import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinGroups, NEWEST_STABLE_RELEASE, NIXOS_RELEASES, parseRelease, releaseAtLeast, RESERVED_GIDS } from '../../../../src/core/nix/nixosDefaults';

test('reserved gids follow nixpkgs ids.nix and users-groups.nix (SPEC §3)', () => {
  const expected = { users: 100, video: 26, render: 303, audio: 17, input: 174, kvm: 302, docker: 131, wheel: 1, sgx: 304, shadow: 318, 'systemd-network': 152, 'systemd-resolve': 153, keys: 96 };
  for (const [name, gid] of Object.entries(expected)) assert.equal(RESERVED_GIDS[name], gid, name);
  assert.equal('systemd-journal-gateway' in RESERVED_GIDS, false, 'a service group is not declared in every configuration');
  assert.equal('render' in RESERVED_GIDS, true);
  assert.equal('toString' in RESERVED_GIDS, false, 'no prototype names');
  const nothing = (): undefined => undefined;
  const names = builtinGroups(nothing).map((group) => group.name);
  for (const name of ['users', 'video', 'render', 'audio', 'input', 'kvm', 'systemd-timesync']) assert.ok(names.includes(name), name);
  assert.equal(names.includes('docker'), false);
  const docker = (path: string[]): { bool: boolean } | undefined => (path.join('.') === 'virtualisation.docker.enable' ? { bool: true } : undefined);
  assert.equal(builtinGroups(docker).find((group) => group.name === 'docker')?.gid, 131);
  assert.equal(builtinGroups(docker).find((group) => group.name === 'docker')?.enabledBy, 'virtualisation.docker.enable');
});

test('releases: ordering, flake branch names, unknown means newest', () => {
  assert.equal(NIXOS_RELEASES[NIXOS_RELEASES.length - 1], NEWEST_STABLE_RELEASE);
  assert.equal(releaseAtLeast('24.11', '24.11'), true);
  assert.equal(releaseAtLeast('24.05', '24.11'), false);
  assert.equal(releaseAtLeast('25.05', '24.11'), true);
  assert.equal(releaseAtLeast('23.11', '24.05'), false);
  assert.equal(releaseAtLeast('nixos-24.11', '24.11'), true);
  assert.equal(releaseAtLeast('unstable', '25.11'), true);
  assert.deepEqual(parseRelease('nixos-25.05'), { year: 25, month: 5 });
  assert.equal(parseRelease('nope'), undefined);
});
