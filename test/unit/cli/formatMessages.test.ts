import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explanationNotes, formatText } from '../../../src/cli/format/text';
import { formatJson } from '../../../src/cli/format/json';
import { formatSarif } from '../../../src/cli/format/sarif';
import { explainFindingsAt } from '../../../src/core/explain';
import type { Finding } from '../../../src/core/types';

/** #18 §6: the headline on the finding's line, the explanation below it (text), beside it (JSON, SARIF), in the hover. */
const finding: Finding = {
  code: 'puid-unmapped',
  severity: 'warning',
  file: '/lab/docker/plex/compose.yaml',
  range: { start: { line: 7, character: 13 }, end: { line: 7, character: 17 } },
  message: 'PUID 1000 of service plex: users.users.palav has no fixed uid',
  explanation:
    "`users.users.palav` is declared without `uid`, so NixOS allocates one dynamically. The container keeps uid 1000 whatever NixOS allocates, but it shares `/mnt/media` with the host.\n\nFix: declare `users.users.palav.uid = 1000;`.",
  related: [],
};
const bare: Finding = { ...finding, code: 'docker-not-enabled', message: 'Docker is off', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
delete bare.explanation;

test('text: the headline on the finding\'s line, the explanation as "= " notes wrapped at 100 columns below it', () => {
  const out = formatText([finding, bare], { cwd: '/lab', color: false, isFixable: () => false });
  const lines = out.split('\n');
  assert.equal(lines[0], 'docker/plex/compose.yaml:8:14  warning     PUID 1000 of service plex: users.users.palav has no fixed uid  [puid-unmapped]');
  assert.match(lines[1] ?? '', /^ {4}= `users\.users\.palav` is declared without `uid`/);
  assert.match(lines[2] ?? '', /^ {6}\S/);
  const notes = lines.slice(1, lines.indexOf('docker/plex/compose.yaml:1:1  warning     Docker is off  [docker-not-enabled]'));
  assert.ok(notes.length >= 3);
  for (const line of notes) assert.ok(line.length <= 100, `${line.length} columns: ${line}`);
  assert.equal(notes.at(-1), '    = Fix: declare `users.users.palav.uid = 1000;`.');
  assert.equal(notes.join(' ').replace(/\s+(= )?/g, ' ').includes('whatever NixOS allocates, but it shares `/mnt/media` with the host.'), true);
  assert.equal(formatText([finding], { cwd: '/lab', color: false, isFixable: () => false, notes: false }).split('\n')[1], '');
});

test('text notes keep list items as notes of their own and never split a word', () => {
  assert.deepEqual(explanationNotes('One:\n- a\n- b'), ['    = One:', '    = - a', '    = - b']);
  const long = explanationNotes(`${'word '.repeat(40)}end`);
  assert.ok(long.every((line) => line.length <= 100));
  assert.equal(long.join(' ').replace(/\s*=\s*/, '').split(/\s+/).length, 41);
});

test('JSON: message is the headline, explanation a field of its own (absent when there is none)', () => {
  const json = JSON.parse(formatJson([finding, bare], { cwd: '/lab', isFixable: () => false })) as { diagnostics: { message: string; explanation?: string }[] };
  assert.equal(json.diagnostics[0]?.message, finding.message);
  assert.equal(json.diagnostics[0]?.explanation, finding.explanation);
  assert.equal('explanation' in (json.diagnostics[1] ?? {}), false);
});

test('SARIF: message.text is the headline, message.markdown the headline and the explanation', () => {
  const sarif = JSON.parse(formatSarif([finding, bare], { cwd: '/lab', version: '0.0.0' })) as { runs: { results: { message: { text: string; markdown?: string } }[] }[] };
  const [first, second] = sarif.runs[0]?.results ?? [];
  assert.equal(first?.message.text, finding.message);
  assert.equal(first?.message.markdown, `${finding.message}\n\n${finding.explanation}`);
  assert.deepEqual(second?.message, { text: 'Docker is off' });
});

test('hover: the findings under the cursor, each its headline in bold then its explanation; none without an explanation', () => {
  const hover = explainFindingsAt([finding, bare], finding.file, { line: 7, character: 15 });
  assert.equal(hover, `**PUID 1000 of service plex: users.users.palav has no fixed uid** (puid-unmapped)\n\n${finding.explanation}`);
  assert.equal(explainFindingsAt([finding, bare], finding.file, { line: 0, character: 5 }), undefined);
  assert.equal(explainFindingsAt([finding], finding.file, { line: 9, character: 0 }), undefined);
  assert.equal(explainFindingsAt([{ ...finding, message: 'a_b *c* `d`' }], finding.file, { line: 7, character: 14 })?.split('\n')[0], '**a\\_b \\*c\\* \\`d\\`** (puid-unmapped)');
});
