import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { analyseWorkspace } from '../../src/core/analysis/pipeline';
import { DiskFileSource } from '../../src/core/analysis/fileSource';
import { generateModule, isAnswered, type GeneratedModule } from '../../src/core/generate';
import { initNixParser } from '../../src/core/nix';
import type { Finding } from '../../src/core/types';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { expectedLines, fixtureArgs, realShapes, SHAPES } from '../helpers/realShapes';
import { parseNixFiles } from '../oracle/nixOracle';

/**
 * `generate` is held to the real-shape fixtures (test/cli/realShapes.test.ts says what they hold) where it has
 * something to generate for — every fixture with a NixOS configuration. Through the core API, as the CLI calls it
 * (analyseWorkspace, then generateModule with the module saved as homelab.nix beside the entry):
 * - the module parses (`nix-instantiate --parse`, all modules in one call, in the last test);
 * - it claims nothing the fixture says is already fine: each of its `answers` is a finding `lint` reports (and one
 *   the expected-findings file names), but for what is about the module's own units (its boot service, the Docker
 *   package it pins);
 * - where the entry is a plain `configuration.nix` with an `imports` list, the user's round trip: save the module
 *   beside it, add `./homelab.nix` to the imports by a text edit, lint again — no finding it answers remains, and
 *   the module brings none that its notes do not name.
 */

const OWN_UNITS = ['autostart-without-mount-deps', 'docker-package-insecure'];

/**
 * Known round-trip failures, listed exactly (a fix makes the test fail until the entry is removed). None today:
 * mergerfs-service (a pool mounted by a systemd service, no snapshot) was one until generate's boot service took its
 * dependencies from autostart-without-mount-deps (mountDependencies).
 */
const KNOWN_REMAINING: Record<string, string[]> = {};

/** The fixture's `lint` arguments as workspace options (the flags generate shares with lint). */
function optionsFor(folder: string, root: string): { release?: string; snapshotDir?: string; nixFiles?: string[] } {
  const args = fixtureArgs(folder);
  const options: { release?: string; snapshotDir?: string; nixFiles?: string[] } = {};
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1] ?? ''];
    if (flag === '--release') options.release = value;
    else if (flag === '--snapshot') options.snapshotDir = join(root, value);
    else if (flag === '--nix') options.nixFiles = [...(options.nixFiles ?? []), join(root, value)];
    else throw new Error(`fixture.json: ${flag} is not mapped in test/cli/realShapesGenerate.test.ts`);
  }
  return options;
}

function analyse(folder: string, root: string) {
  return analyseWorkspace({ roots: [root], settings: DEFAULT_SETTINGS, ...optionsFor(folder, root) }, new DiskFileSource());
}

/** What a person counts as one finding: rule, file, and the ids, service or mount it is about. */
function key(root: string, finding: Finding): string {
  const data = finding.data ?? {};
  const about = ['service', 'uid', 'gid', 'mountpoint', 'source'].map((name) => data[name]).filter((value) => value !== undefined && value !== null);
  return [finding.code, relative(root, finding.file), ...about.map(String)].join(' ');
}

const modules: string[] = [];

before(async () => {
  await initNixParser();
});

for (const shape of realShapes()) {
  test(`real shape ${shape}: generate claims only what lint reports, and its module round-trips`, () => {
    const folder = join(SHAPES, shape);
    // A copy: the round trip writes the module and edits the entry.
    const root = join(mkdtempSync(join(tmpdir(), 'nixoshl-real-shape-generate-')), shape);
    cpSync(folder, root, { recursive: true });
    const analysis = analyse(folder, root);
    const entry = analysis.configurations[0]?.entry;
    if (entry === undefined) return; // no NixOS configuration: generate has nothing to be held to here
    const out = join(dirname(entry), 'homelab.nix');
    const generated: GeneratedModule = generateModule(analysis, { workspaceRoot: root, mountRoots: DEFAULT_SETTINGS.mountRoots, replaces: out });
    writeFileSync(out, generated.text);
    modules.push(out);

    const expectedCodes = new Set(expectedLines(folder).map((line) => line.split(' ').pop()));
    const unfounded = generated.answers.filter((answer) => !OWN_UNITS.includes(answer.code) && !(analysis.findings.some((finding) => isAnswered(finding, [answer])) && expectedCodes.has(answer.code)));
    assert.deepEqual(unfounded, [], 'answers for findings lint does not report');

    const text = readFileSync(entry, 'utf8');
    if (basename(entry) !== 'configuration.nix' || !/\bimports\s*=\s*\[/.test(text)) return;
    writeFileSync(entry, text.replace(/\bimports\s*=\s*\[/, (list) => `${list} ./homelab.nix`));
    const after = analyse(folder, root);
    assert.equal(after.configurations[0]?.entry, entry);
    assert.ok(after.configurations[0]?.files.includes(out), 'the module is imported');
    const remaining = after.findings.filter((finding) => isAnswered(finding, generated.answers));
    assert.deepEqual(remaining.map((finding) => key(root, finding)), KNOWN_REMAINING[shape] ?? [], 'a finding the module claims to answer remains');
    const beforeKeys = analysis.findings.map((finding) => key(root, finding));
    const added = after.findings.filter((finding) => !beforeKeys.includes(key(root, finding)));
    const unnamed = added.filter((finding) => !generated.notes.some((note) => note.includes(finding.code)) && !(KNOWN_REMAINING[shape] ?? []).includes(key(root, finding)));
    assert.deepEqual(unnamed.map((finding) => key(root, finding)), [], 'findings the module brought that its notes do not name');
  });
}

test('every generated module parses (nix-instantiate --parse, one call)', () => {
  assert.ok(modules.length > 0, 'no fixture had a NixOS configuration');
  const broken = [...parseNixFiles(modules)].filter(([, verdict]) => !verdict.ok);
  assert.deepEqual(broken.map(([file, verdict]) => `${file}: ${verdict.error}`), []);
});
