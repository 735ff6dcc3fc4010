import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinGroups, NEWEST_STABLE_RELEASE, NIXOS_RELEASES, parseRelease, releaseAtLeast, RESERVED_GIDS } from '../../../../src/core/nix/nixosDefaults';

test('reserved gids follow nixpkgs ids.nix (SPEC §3)', () => {
  assert.deepEqual({ ...RESERVED_GIDS }, { users: 100, video: 26, render: 303, audio: 17, input: 174, kvm: 302, docker: 131 });
  assert.equal('render' in RESERVED_GIDS, true);
  assert.equal('toString' in RESERVED_GIDS, false, 'no prototype names');
  assert.deepEqual(builtinGroups(false).map((group) => group.name), ['users', 'video', 'render', 'audio', 'input', 'kvm']);
  assert.equal(builtinGroups(true).find((group) => group.name === 'docker')?.gid, 131);
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
