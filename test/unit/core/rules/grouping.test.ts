import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupFindings, listNames } from '../../../../src/core/rules/grouping';
import type { Finding } from '../../../../src/core/types';

const at = (line: number, service: string, uid: number | undefined): Finding => ({
  code: 'puid-unmapped', severity: 'warning', file: '/s/compose.yaml', message: `PUID of ${service}: no user.`, related: [],
  range: { start: { line, character: 4 }, end: { line, character: 8 } }, data: uid === undefined ? { service } : { service, uid },
});

const grouping = {
  key: (f: { data?: Finding['data'] }) => (typeof f.data?.['uid'] === 'number' ? String(f.data['uid']) : undefined),
  related: (f: { data?: Finding['data'] }) => `also in ${String(f.data?.['service'])}`,
  note: (others: { data?: Finding['data'] }[]) => `Also ${listNames(others.map((o) => String(o.data?.['service'])))}.`,
};

test('findings with one key become the first in source order, the others related; the rest stay the same objects', () => {
  const lone = at(40, 'db', undefined);
  const other = at(50, 'x', 1001);
  const findings = [at(30, 'sonarr', 1000), lone, at(10, 'plex', 1000), other, at(20, 'radarr', 1000)];
  const grouped = groupFindings(grouping, findings);
  assert.equal(grouped.length, 3);
  assert.equal(grouped[0]?.range.start.line, 10);
  assert.equal(grouped[0]?.message, 'PUID of plex: no user. (and 2 more)');
  assert.equal(grouped[0]?.explanation, 'Also `radarr` and `sonarr`.');
  assert.deepEqual(grouped[0]?.related.map((r) => [r.location.range.start.line, r.message]), [[20, 'also in radarr'], [30, 'also in sonarr']]);
  assert.equal(grouped[1], lone);
  assert.equal(grouped[2], other);
  const single = [at(1, 'a', 1)];
  assert.equal(groupFindings(grouping, single), single);
});

test('listNames shortens long lists', () => {
  assert.equal(listNames(['a']), '`a`');
  assert.equal(listNames(['a', 'b', 'c', 'd', 'e']), '`a`, `b`, `c` and 2 more');
});
