import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expectedLines, findingLine, fixtureArgs, realShapes, SHAPES } from '../helpers/realShapes';
import { runCli } from './runCli';

/**
 * Fixtures shaped like real homelab repositories (compose stacks beside NixOS configurations), written for this
 * project — never copied from a public repository. Each folder of test/fixtures/real-shapes/ holds:
 * - the repository's files;
 * - `expected-findings.txt`: every finding `lint` must report, one per line, `file:line:column severity rule-id`
 *   (paths relative to the fixture folder, sorted); no finding more, none less. An empty file means "none";
 * - optionally `fixture.json`: `{ "args": [...] }`, extra `lint` arguments (paths relative to the fixture folder).
 * Lines starting with `#` in the expected file are comments (say why a finding is, or is not, expected).
 * The language server is held to the same files (test/lsp/realShapes.test.ts), and `generate` to what they say is
 * fine (test/cli/realShapesGenerate.test.ts); test/helpers/realShapes.ts reads them for all three.
 */

interface Diagnostic {
  file: string;
  range: { start: { line: number; character: number } };
  severity: string;
  code: string;
}

const shapes = realShapes();

for (const shape of shapes) {
  test(`real shape ${shape}: lint reports exactly the expected findings`, async () => {
    const folder = join(SHAPES, shape);
    const run = await runCli(['lint', '.', '--format', 'json', ...fixtureArgs(folder)], { cwd: folder });
    assert.ok(run.status === 0 || run.status === 1, `lint exited ${run.status}: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as { diagnostics: Diagnostic[] };
    const actual = report.diagnostics
      .map((d) => findingLine(d.file, d.range.start, d.severity, d.code))
      .sort();
    assert.deepEqual(actual, expectedLines(folder));
  });
}

test('the real-shape fixtures are there (a missing folder is not a pass)', () => {
  assert.ok(shapes.length > 0, `no fixture folder under ${SHAPES}`);
  for (const shape of shapes) assert.ok(existsSync(join(SHAPES, shape, 'expected-findings.txt')), `${shape} has no expected-findings.txt`);
});
