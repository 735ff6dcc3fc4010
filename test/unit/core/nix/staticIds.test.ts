import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DECLARED_BY, declaredStaticIds, STATIC_IDS, type OptionReader } from '../../../../src/core/nix/staticIds';

const reader = (values: Record<string, boolean | string>): OptionReader => (path) => {
  const value = values[path.join('.')];
  return value === undefined ? undefined : typeof value === 'boolean' ? { bool: value } : { string: value };
};

test('static ids follow nixos/modules/misc/ids.nix', () => {
  assert.deepEqual(STATIC_IDS.get('systemd-journal-gateway'), { name: 'systemd-journal-gateway', uid: 110, gid: 110 });
  assert.deepEqual(STATIC_IDS.get('render'), { name: 'render', gid: 303 });
  assert.equal(STATIC_IDS.get('video')?.gid, 26);
  assert.equal(STATIC_IDS.get('users')?.gid, 100);
  assert.equal(STATIC_IDS.get('docker')?.gid, 131);
  assert.equal(STATIC_IDS.get('docker')?.uid, undefined, 'the docker uid is commented out in ids.nix');
  assert.deepEqual(STATIC_IDS.get('sabnzbd'), { name: 'sabnzbd', uid: 38, gid: 194 });
  assert.equal(STATIC_IDS.get('nogroup')?.gid, 65534);
  for (const name of Object.keys(DECLARED_BY)) assert.ok(STATIC_IDS.get(name)?.gid !== undefined, `${name} has a static gid`);
});

test('a service static id is declared only when its module is enabled', () => {
  const names = (values: Record<string, boolean | string>): string[] => declaredStaticIds(reader(values)).map((id) => id.name);
  assert.equal(names({}).includes('systemd-journal-gateway'), false);
  assert.equal(names({ 'services.journald.gateway.enable': true }).includes('systemd-journal-gateway'), true);
  const gateway = declaredStaticIds(reader({ 'services.journald.gateway.enable': true })).find((id) => id.name === 'systemd-journal-gateway');
  assert.equal(gateway?.enabledBy, 'services.journald.gateway.enable');
  assert.equal(gateway?.declaration.module, 'nixos/modules/system/boot/systemd/journald-gateway.nix');
  assert.ok(names({}).includes('render') && names({}).includes('systemd-network'), 'always declared');
  assert.ok(names({}).includes('systemd-timesync'), 'timesyncd is on by default');
  assert.equal(names({ 'services.timesyncd.enable': false }).includes('systemd-timesync'), false);
  assert.equal(names({ 'services.plex.enable': true, 'services.plex.group': 'media' }).includes('plex'), false);
});
