import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSections } from '../../../../src/core/host/sections';

test('sections: the extraction format (line break before END) and the verify format give the output exactly', () => {
  const extraction = 'Welcome to Pop!_OS\n===NIXOS-HOMELAB-BEGIN id-palav===\nuid=1000(palav)\n\n===NIXOS-HOMELAB-END id-palav rc=0===\n===NIXOS-HOMELAB-BEGIN empty===\n\n===NIXOS-HOMELAB-END empty rc=0===\n';
  const sections = parseSections(extraction);
  assert.deepEqual(sections.get('id-palav'), { name: 'id-palav', body: 'uid=1000(palav)\n', rc: 0 });
  assert.deepEqual(sections.get('empty'), { name: 'empty', body: '', rc: 0 });
  const verify = '===NIXOS-HOMELAB-BEGIN docker===\nactive\n===NIXOS-HOMELAB-END docker rc=0===\n===NIXOS-HOMELAB-BEGIN quiet===\n===NIXOS-HOMELAB-END quiet rc=3===\n';
  assert.deepEqual([...parseSections(verify).values()], [{ name: 'docker', body: 'active', rc: 0 }, { name: 'quiet', body: '', rc: 3 }]);
});

test('sections: CRLF, a section cut short by the next BEGIN or the end of output, the first of a name wins', () => {
  const output = '===NIXOS-HOMELAB-BEGIN a===\r\none\r\n===NIXOS-HOMELAB-END a rc=0===\r\n===NIXOS-HOMELAB-BEGIN b===\npartial\n===NIXOS-HOMELAB-BEGIN a===\nsecond\n===NIXOS-HOMELAB-END a rc=1===\n===NIXOS-HOMELAB-BEGIN c===\nlost';
  const sections = parseSections(output);
  assert.deepEqual(sections.get('a'), { name: 'a', body: 'one', rc: 0 });
  assert.deepEqual(sections.get('b'), { name: 'b', body: 'partial' });
  assert.deepEqual(sections.get('c'), { name: 'c', body: 'lost' });
});
