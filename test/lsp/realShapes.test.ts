import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectedLines, findingLine, fixtureArgs, realShapes, SHAPES } from '../helpers/realShapes';
import { LspTestClient } from './lspClient';

/**
 * The language server is held to the real-shape fixtures' expected-findings files, as `lint` is
 * (test/cli/realShapes.test.ts): for each folder of test/fixtures/real-shapes/, the bundled server is started over
 * JSON-RPC with the folder as its workspace and the settings its `fixture.json` arguments stand for; once the
 * workspace summary says the first indexing is done, the last publishDiagnostics of every file must be exactly the
 * expected lines — `file:line:column severity rule-id`, paths relative to the fixture, LSP severities 1..4 read as
 * error/warning/information/hint. Twice: before any document is opened (the Problems panel of a workspace just
 * opened) and after every .nix and compose file is opened (what is published with a document's version). The CLI's
 * notices ("no NixOS configuration") are not findings: the server shows those as a window message, which this test
 * ignores.
 *
 * Both faces report the syntax errors of .nix files no configuration imports (core/analysis/models.ts), so they
 * must agree on every fixture, opened or not.
 */

/** `lint`'s arguments as the settings of the workspace folder (nixosHomelab.*); an argument not mapped here fails. */
function settingsFor(args: string[]): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  const nix: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    if (value === undefined) throw new Error(`fixture.json: ${flag} needs a value`);
    i++;
    if (flag === '--release') settings['nixosRelease'] = value;
    else if (flag === '--host') settings['host'] = value;
    else if (flag === '--snapshot') settings['snapshotPath'] = value;
    else if (flag === '--nix') nix.push(value);
    else throw new Error(`fixture.json: no setting for ${flag} (map it in test/lsp/realShapes.test.ts)`);
  }
  if (nix.length > 0) settings['nixosConfiguration'] = nix;
  return settings;
}

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

/** The last publishDiagnostics of every file, as expected-findings lines (sorted). */
function published(client: LspTestClient, folder: string): string[] {
  const lines: string[] = [];
  for (const [uri, diagnostics] of client.diagnostics) {
    const file = path.relative(folder, fileURLToPath(uri)).split(path.sep).join('/');
    for (const d of diagnostics) lines.push(findingLine(file, d.range.start, SEVERITY[d.severity ?? 1] ?? String(d.severity), String(d.code)));
  }
  return lines.sort();
}

/** The fixture's .nix and YAML files. */
function filesOf(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((name) => /\.(nix|ya?ml)$/.test(name))
    .map((name) => path.join(folder, name))
    .sort();
}

type Summary = { ready: boolean };

for (const shape of realShapes()) {
  test(`real shape ${shape}: the language server publishes exactly the expected findings`, async () => {
    const folder = path.join(SHAPES, shape);
    const client = await LspTestClient.start(folder, settingsFor(fixtureArgs(folder)));
    try {
      const ready = new Promise<void>((resolve) => {
        client.connection.onNotification('nixosHomelab/workspaceSummaryChanged', (summary: Summary) => {
          if (summary.ready) resolve();
        });
      });
      const asked = await client.connection.sendRequest<Summary>('nixosHomelab/workspaceSummary');
      if (!asked.ready) {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${shape}: the workspace summary never said ready; logs:\n${client.logs.join('')}`)), 30_000);
        });
        await Promise.race([ready, deadline]).finally(() => clearTimeout(timer));
      }
      const expected = expectedLines(folder);
      assert.deepEqual(published(client, folder), expected, 'before any document is opened');
      // Opened like an editor opens them; the summary request runs what the opens scheduled before it answers, and
      // the publishes it caused are written before its answer.
      for (const file of filesOf(folder)) client.open(file);
      await client.connection.sendRequest('nixosHomelab/workspaceSummary');
      assert.deepEqual(published(client, folder), expected, 'with every .nix and compose file open');
      // … and they were read from the open documents (a publish of an open document carries its version).
      const stale = [...client.diagnostics.values()].flat().filter((d) => (d.data as { version?: unknown } | undefined)?.version !== 1);
      assert.deepEqual(stale.map((d) => d.code), [], 'every finding published with the version of its open document');
      assert.ok(client.alive, 'the server is still running');
    } finally {
      await client.stop();
    }
  });
}
