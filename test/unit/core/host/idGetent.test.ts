import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseId } from '../../../../src/core/host/id';
import { parseGetentGroup } from '../../../../src/core/host/getent';
import { fixture, POP_OS_SNAPSHOT } from './hostFixtures';

test('id: Pop!_OS user with personal group and render/docker', () => {
  const { value, warnings } = parseId(fixture(POP_OS_SNAPSHOT, 'pre_nixos_id.txt'));
  assert.deepEqual(warnings, []);
  assert.deepEqual(value, {
    name: 'palav',
    uid: 1000,
    gid: 1000,
    primaryGroup: 'palav',
    groups: [
      { gid: 1000, name: 'palav' },
      { gid: 4, name: 'adm' },
      { gid: 27, name: 'sudo' },
      { gid: 44, name: 'video' },
      { gid: 110, name: 'render' },
      { gid: 120, name: 'lpadmin' },
      { gid: 998, name: 'docker' },
    ],
  });
});

test('id: no supplementary groups, dashes in names', () => {
  const { value } = parseId('uid=1001(svc-immich) gid=1001(svc-immich) groups=1001(svc-immich)\n');
  assert.deepEqual(value?.groups, [{ gid: 1001, name: 'svc-immich' }]);
  assert.equal(value?.name, 'svc-immich');
});

test('id: localized key, directory group with a space, SELinux context', () => {
  const { value } = parseId('uid=1000(palav) gid=1000(palav) Gruppen=1000(palav),1500(domain users),110(render) context=unconfined_u:unconfined_r:unconfined_t:s0');
  assert.deepEqual(value?.groups.map((g) => g.name), ['palav', 'domain users', 'render']);
});

test('id: groups= missing falls back to the primary group; nameless ids use the file name', () => {
  assert.deepEqual(parseId('uid=1000(palav) gid=1000(palav)').value?.groups, [{ gid: 1000, name: 'palav' }]);
  const nameless = parseId('uid=1002 gid=1002 groups=1002', 'bob').value;
  assert.deepEqual([nameless?.name, nameless?.primaryGroup, nameless?.groups], ['bob', 'bob', [{ gid: 1002, name: '1002' }]]);
});

test('id: an error message instead of id output is a warning', () => {
  const { value, warnings } = parseId("id: 'plex': no such user\n");
  assert.equal(value, undefined);
  assert.match(warnings[0]?.message ?? '', /no "uid="/);
});

test('getent group: one line, many lines, empty member list, junk', () => {
  assert.deepEqual(parseGetentGroup(fixture(POP_OS_SNAPSHOT, 'pre_nixos_gid110.txt')).value, [{ name: 'render', gid: 110, members: ['palav'] }]);
  const { value, warnings } = parseGetentGroup('render:x:110:palav,plex\nvideo:x:44:\n\ndocker:x:998:palav\nnot a group\n');
  assert.deepEqual(value, [
    { name: 'render', gid: 110, members: ['palav', 'plex'] },
    { name: 'video', gid: 44, members: [] },
    { name: 'docker', gid: 998, members: ['palav'] },
  ]);
  assert.deepEqual(warnings.map((w) => w.line), [5]);
});
