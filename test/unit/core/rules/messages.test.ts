import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyseWorkspace } from '../../../../src/core/analysis/pipeline';
import { DiskFileSource } from '../../../../src/core/analysis/fileSource';
import { splitMessage } from '../../../../src/core/messages';
import { initNixParser } from '../../../../src/core/nix';
import type { Finding } from '../../../../src/core/types';
import type { WorkspaceOptions } from '../../../../src/core/analysis/types';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings';

/**
 * #18 §6: a finding's message is one plain-text headline (what and where, as compilers write them) that the Problems
 * panel shows whole; what it means on NixOS, what breaks and the fix are its explanation.
 */
const REPO = path.resolve(__dirname, '../../../..');
const EXAMPLE = path.join(REPO, 'examples', 'pop-os-homelab');
const SHAPES = path.join(REPO, 'test', 'fixtures', 'real-shapes');
const MAX_HEADLINE = 120;

before(() => initNixParser());

/** The example with and without its snapshot, and every real-shape fixture with its `fixture.json` release. */
function workspaces(): { name: string; options: WorkspaceOptions }[] {
  const shapes = fs.readdirSync(SHAPES).filter((name) => fs.statSync(path.join(SHAPES, name)).isDirectory()).sort();
  return [
    { name: 'pop-os-homelab with its snapshot', options: { roots: [EXAMPLE], snapshotDir: 'snapshot', settings: DEFAULT_SETTINGS } },
    { name: 'pop-os-homelab without a snapshot', options: { roots: [EXAMPLE], settings: DEFAULT_SETTINGS } },
    ...shapes.map((shape) => {
      const folder = path.join(SHAPES, shape);
      const configFile = path.join(folder, 'fixture.json');
      const args = fs.existsSync(configFile) ? ((JSON.parse(fs.readFileSync(configFile, 'utf8')) as { args?: string[] }).args ?? []) : [];
      const release = args[args.indexOf('--release') + 1];
      return { name: `real shape ${shape}`, options: { roots: [folder], settings: DEFAULT_SETTINGS, ...(args.includes('--release') && release ? { release } : {}) } };
    }),
  ];
}

function describe(finding: Finding): string {
  return `${path.relative(REPO, finding.file)}:${finding.range.start.line + 1} [${finding.code}] ${finding.message}`;
}

test('every finding of the example and the real shapes has a short plain-text headline and an explanation', () => {
  let checked = 0;
  for (const { name, options } of workspaces()) {
    const { findings } = analyseWorkspace(options, new DiskFileSource());
    for (const finding of findings) {
      checked++;
      assert.ok(finding.message.length <= MAX_HEADLINE, `${name}: headline of ${finding.message.length} characters: ${describe(finding)}`);
      assert.ok(!finding.message.includes('`'), `${name}: backtick in the headline: ${describe(finding)}`);
      assert.ok(!finding.message.includes('\n'), `${name}: the headline is one line: ${describe(finding)}`);
      assert.ok(finding.explanation?.trim(), `${name}: no explanation: ${describe(finding)}`);
      for (const related of finding.related) assert.ok(!related.message.includes('`'), `${name}: backtick in related information "${related.message}": ${describe(finding)}`);
    }
  }
  assert.ok(checked > 50, `only ${checked} findings checked`);
});

test('a parser\'s sentences split into a plain headline and the rest, nothing dropped', () => {
  assert.deepEqual(splitMessage('compose.yaml: service `a` is also defined differently; Compose refuses it. Rename one.'), {
    message: 'compose.yaml: service a is also defined differently',
    explanation: 'Compose refuses it. Rename one.',
  });
  assert.deepEqual(splitMessage('x.env: line 3 is not KEY=value.'), { message: 'x.env: line 3 is not KEY=value' });
  assert.deepEqual(splitMessage('a.yaml: the value expands too far; it was cut there'), { message: 'a.yaml: the value expands too far', explanation: 'It was cut there' });
  assert.deepEqual(splitMessage('a: b; users.users.x is named'), { message: 'a: b', explanation: 'users.users.x is named' });
});
