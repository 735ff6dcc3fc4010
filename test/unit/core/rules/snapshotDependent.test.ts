import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { SNAPSHOT_DEPENDENT_RULES } from '../../../../src/core/rules/snapshotDependent';

const rulesDir = path.resolve(__dirname, '../../../../src/core/rules');

/** Every rule file's id and whether its check reads the snapshot. */
function ruleSources(): { id: string; readsSnapshot: boolean }[] {
  const rules: { id: string; readsSnapshot: boolean }[] = [];
  for (const kind of ['compose', 'nix']) {
    for (const name of fs.readdirSync(path.join(rulesDir, kind))) {
      const text = fs.readFileSync(path.join(rulesDir, kind, name), 'utf8');
      const id = /\bid: '([a-z0-9-]+)'/.exec(text)?.[1];
      if (id) rules.push({ id, readsSnapshot: /ctx\.snapshot\b/.test(text) });
    }
  }
  return rules;
}

test('the snapshot-dependent rules are exactly the rules whose check reads ctx.snapshot', () => {
  const rules = ruleSources();
  assert.ok(rules.length > 10, `rule files found: ${rules.length}`);
  const reading = rules.filter((rule) => rule.readsSnapshot).map((rule) => rule.id).sort();
  assert.deepEqual([...SNAPSHOT_DEPENDENT_RULES].sort(), reading);
});
