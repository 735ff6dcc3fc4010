/**
 * Issue #18 item 1: while the analysis uses no snapshot and the workspace holds a snapshot folder elsewhere (the
 * example's snapshot/), a finding a snapshot would change offers "Use snapshot/ as host snapshot", which runs the
 * client's command with the folder; other findings do not, nor does anything once a snapshot is in use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { copyExample, LspTestClient, uriOf } from './lspClient';

const versionOf = (diagnostics: Diagnostic[]): number | null | undefined => (diagnostics[0]?.data as { version: number | null } | undefined)?.version;
const TITLE = 'Use snapshot/ as host snapshot';

async function withPlex(settings: Record<string, unknown>, run: (client: LspTestClient, root: string, plex: string, diagnostics: Diagnostic[]) => Promise<void>): Promise<void> {
  const root = copyExample();
  const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
  const client = await LspTestClient.start(root, settings);
  try {
    client.open(plex);
    const diagnostics = await client.waitForDiagnostics(plex, (d) => versionOf(d) === 1, { acceptLatest: true });
    await run(client, root, plex, diagnostics);
    assert.ok(client.alive);
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function codeActions(client: LspTestClient, file: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uriOf(file) }, range, context: { diagnostics } });
}

test('without a snapshot in use, a snapshot-dependent finding offers the workspace\'s snapshot folder; others do not', async () => {
  await withPlex({}, async (client, root, plex, diagnostics) => {
    const puid = diagnostics.find((d) => d.code === 'puid-unmapped');
    assert.ok(puid, JSON.stringify(diagnostics.map((d) => d.code)));
    const actions = await codeActions(client, plex, [puid]);
    const offer = actions.find((a) => a.title === TITLE);
    assert.ok(offer, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(offer.kind, 'quickfix');
    assert.equal(offer.edit, undefined);
    assert.deepEqual(offer.command, { title: TITLE, command: 'nixosHomelab.useSnapshotFolder', arguments: [uriOf(path.join(root, 'snapshot'))] });
    assert.deepEqual(offer.diagnostics?.map((d) => d.code), ['puid-unmapped']);
    // After the finding's own fixes, before the rule's entries.
    const titles = actions.map((a) => a.title);
    assert.ok(titles.indexOf(TITLE) > titles.findIndex((t) => actions.find((a) => a.title === t)?.edit !== undefined), JSON.stringify(titles));
    assert.ok(titles.indexOf(TITLE) < titles.findIndex((t) => t.startsWith('Disable ')), JSON.stringify(titles));

    const others = diagnostics.filter((d) => !['bind-mount-undeclared', 'autostart-without-mount-deps', 'puid-unmapped', 'pgid-unmapped', 'dri-group-mismatch', 'nvidia-open-unset', 'gpu-without-toolkit', 'dri-without-gpu-firmware'].includes(String(d.code)));
    assert.ok(others.length > 0, JSON.stringify(diagnostics.map((d) => d.code)));
    for (const other of others) {
      const titlesOfOther = (await codeActions(client, plex, [other])).map((a) => a.title);
      assert.ok(!titlesOfOther.includes(TITLE), `${String(other.code)}: ${JSON.stringify(titlesOfOther)}`);
    }
  });
});

test('with the snapshot in use, no finding offers a snapshot folder', async () => {
  await withPlex({ snapshotPath: 'snapshot' }, async (client, _root, plex, diagnostics) => {
    for (const diagnostic of diagnostics) {
      const titles = (await codeActions(client, plex, [diagnostic])).map((a) => a.title);
      assert.ok(!titles.some((t) => /as host snapshot/.test(t)), `${String(diagnostic.code)}: ${JSON.stringify(titles)}`);
    }
  });
});
