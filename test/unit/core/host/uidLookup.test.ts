import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { buildExtractionScript, parseExtractionOutput } from '../../../../src/core/host';
import { parseUidSections, uidLookupScript, withoutUidSections } from '../../../../src/core/host/uidLookup';

test('the uid lookup runs with the extraction script and yields id-<name>.txt files', () => {
  const me = spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
  const myUid = Number(spawnSync('id', ['-u'], { encoding: 'utf8' }).stdout.trim());
  const unused = 3_999_999_999;
  const script = buildExtractionScript({ users: [], gids: [] }) + uidLookupScript([myUid, unused]);
  const run = spawnSync('sh', ['-s'], { input: script, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const lookup = parseUidSections(run.stdout, [myUid, unused]);
  assert.deepEqual(lookup.users.map((u) => [u.name, u.uid]), [[me, myUid]]);
  assert.match(lookup.files.get(`id-${me}.txt`) ?? '', new RegExp(`^uid=${myUid}\\(${me}\\) gid=`));
  assert.deepEqual(lookup.gaps, [{ command: `getent passwd ${unused}`, reason: `the host has no user with uid ${unused}` }]);
  // The generic parser writes no file for the uid sections; its gaps for them are dropped (ours say more).
  const generic = parseExtractionOutput(run.stdout);
  assert.ok(![...generic.files.keys()].some((name) => name.includes('uid')));
  assert.ok(generic.gaps.some((gap) => gap.command === `uid-${unused}`));
  assert.ok(!withoutUidSections(generic.gaps).some((gap) => gap.command.includes('uid')));
});

test('a name that is not a plain login name never becomes a file name', () => {
  const output = '===NIXOS-HOMELAB-BEGIN uid-1000===\nuid=1000(../../x) gid=1000(x)\n\n===NIXOS-HOMELAB-END uid-1000 rc=0===\n';
  const lookup = parseUidSections(output, [1000]);
  assert.equal(lookup.files.size, 0);
  assert.match(lookup.gaps[0]?.reason ?? '', /not a plain user name/);
});

test('invalid uids are refused before they reach the script', () => {
  assert.throws(() => uidLookupScript([-1]), RangeError);
  assert.throws(() => uidLookupScript([1.5]), RangeError);
  assert.equal(uidLookupScript([]), '');
});
