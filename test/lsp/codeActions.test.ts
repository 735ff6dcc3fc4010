import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { applyEdits, copyExample, LspTestClient, uriOf } from './lspClient';

const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => String(d.code));
const versionOf = (diagnostics: Diagnostic[]): number | null | undefined => (diagnostics[0]?.data as { version: number | null } | undefined)?.version;

async function withOpenPlex(run: (client: LspTestClient, files: { root: string; plex: string; configuration: string }, diagnostics: Diagnostic[]) => Promise<void>): Promise<void> {
  const root = copyExample();
  const client = await LspTestClient.start(root, { snapshotPath: 'snapshot' });
  try {
    const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
    const configuration = path.join(root, 'nixos', 'configuration.nix');
    client.open(configuration);
    client.open(plex);
    const diagnostics = await client.waitForDiagnostics(plex, (d) => versionOf(d) === 1, { acceptLatest: true });
    await run(client, { root, plex, configuration }, diagnostics);
    assert.ok(client.alive);
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function codeActions(client: LspTestClient, file: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uriOf(file) }, range, context: { diagnostics, ...(only ? { only } : {}) } });
}

test('the preferred quick fix for puid-unmapped edits configuration.nix, and the diagnostic goes away', async () => {
  await withOpenPlex(async (client, { plex, configuration }, diagnostics) => {
    const puid = diagnostics.find((d) => d.code === 'puid-unmapped')!;
    const actions = await codeActions(client, plex, [puid]);
    assert.ok(actions.length > 0, 'a quick fix is offered');
    const preferred = actions.find((a) => a.isPreferred);
    assert.ok(preferred, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(preferred.kind, 'quickfix');
    assert.deepEqual(preferred.diagnostics?.map((d) => d.code), ['puid-unmapped']);
    const edit = preferred.edit?.documentChanges?.[0] as TextDocumentEdit;
    assert.equal(edit.textDocument.uri, uriOf(configuration));
    assert.equal(edit.textDocument.version, 1, 'open documents carry their version');
    const gone = client.waitForDiagnostics(plex, (d) => d.length > 0 && !codes(d).includes('puid-unmapped'));
    client.applyWorkspaceEdit(preferred.edit!);
    await gone;
    assert.match(client.textOf(configuration)!, /uid = 1000;/);
  });
});

test('a diagnostic from an older document version gets no quick fix', async () => {
  await withOpenPlex(async (client, { plex }, diagnostics) => {
    const puid = diagnostics.find((d) => d.code === 'puid-unmapped')!;
    const republished = client.waitForDiagnostics(plex, (d) => versionOf(d) === 2);
    client.change(plex, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# moved\n' }]);
    await republished;
    assert.deepEqual(await codeActions(client, plex, [puid]), []);
  });
});

test('a diagnostic is looked up by key in the last publish: a re-published one gets its fix, one kept from an older publish gets nothing', async () => {
  await withOpenPlex(async (client, { plex }, diagnostics) => {
    const puid = diagnostics.find((d) => d.code === 'puid-unmapped')!;
    const fixTitle = (actions: CodeAction[]): string | undefined => actions.find((a) => a.isPreferred)?.title;
    const published = fixTitle(await codeActions(client, plex, [puid]));
    assert.ok(published, 'the published diagnostic gets its fix');
    // The same rule and range with another message is not what was published: no finding, no fix, no rule entries.
    assert.deepEqual(await codeActions(client, plex, [{ ...puid, message: 'PUID 1000 is fine' }]), []);

    // An edit above moves the finding one line down: the diagnostic of the new publish gets the same fix, the one
    // the client kept (at the old place) gets none, even sent with the new version.
    const republished = client.waitForDiagnostics(plex, (d) => versionOf(d) === 2);
    client.change(plex, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# moved\n' }]);
    const moved = (await republished).find((d) => d.code === 'puid-unmapped')!;
    assert.equal(moved.range.start.line, puid.range.start.line + 1);
    assert.equal(fixTitle(await codeActions(client, plex, [moved])), published);
    const kept = { ...puid, data: { ...(puid.data as object), version: 2 } };
    assert.deepEqual(await codeActions(client, plex, [kept]), []);
  });
});

test('a diagnostic whose finding went away with an edit of another file gets no action, though the document version is the same', async () => {
  await withOpenPlex(async (client, { plex }, diagnostics) => {
    const puid = diagnostics.find((d) => d.code === 'puid-unmapped')!;
    const fix = (await codeActions(client, plex, [puid])).find((a) => a.isPreferred)!;
    const gone = client.waitForDiagnostics(plex, (d) => d.length > 0 && !codes(d).includes('puid-unmapped'));
    client.applyWorkspaceEdit(fix.edit!); // writes the user into configuration.nix: plex itself is still version 1
    assert.equal(versionOf(await gone), 1);
    assert.deepEqual(await codeActions(client, plex, [puid]), []);
  });
});

test('source.fixAll.nixosHomelab fixes every fixable finding of the document in one edit', async () => {
  await withOpenPlex(async (client, { plex }, diagnostics) => {
    assert.ok(codes(diagnostics).includes('pgid-unmapped'));
    assert.deepEqual(await codeActions(client, plex, diagnostics, ['quickfix']).then((a) => a.filter((x) => x.kind !== 'quickfix')), []);
    const actions = await codeActions(client, plex, [], ['source.fixAll']);
    assert.equal(actions.length, 1);
    assert.equal(actions[0]?.kind, 'source.fixAll.nixosHomelab');
    const fixedAll = client.waitForDiagnostics(plex, (d) => !codes(d).some((code) => ['puid-unmapped', 'pgid-unmapped', 'docker-not-enabled'].includes(code)));
    client.applyWorkspaceEdit(actions[0]!.edit!);
    await fixedAll;
  });
});

test('nixosHomelab/applyAllFixes asks the editor to apply one edit with every preferred fix', async () => {
  await withOpenPlex(async (client, { configuration }) => {
    const result = await client.connection.sendRequest<{ applied: number; accepted: boolean; hints: string[] }>('nixosHomelab/applyAllFixes', {});
    assert.equal(result.accepted, true);
    assert.ok(result.applied >= 5, JSON.stringify(result));
    assert.equal(client.appliedEdits.length, 1);
    const change = client.appliedEdits[0]!.documentChanges!.find((c) => 'textDocument' in c && c.textDocument.uri === uriOf(configuration)) as TextDocumentEdit;
    const fixed = applyEdits(client.textOf(configuration)!, change.edits as never);
    assert.match(fixed, /virtualisation\.docker/);
    assert.match(fixed, /uid = 1000;/);
  });
});
