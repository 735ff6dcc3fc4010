/**
 * The quick-fix menu of a finding (issue #18 items 3 and 4): its fix, "fix all" of its rule in the file and in the
 * workspace, the rule's documentation, turning the rule off; a cross-file fix revealing what it wrote; go to
 * definition at the place the fix writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, Location, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits, copyExample, LspTestClient, uriOf } from './lspClient';

const versionOf = (diagnostics: Diagnostic[]): number | null | undefined => (diagnostics[0]?.data as { version: number | null } | undefined)?.version;

interface Files {
  root: string;
  plex: string;
  configuration: string;
}

async function withPlex(settings: Record<string, unknown>, run: (client: LspTestClient, files: Files, diagnostics: Diagnostic[]) => Promise<void>, prepare?: (files: Files) => void): Promise<void> {
  const root = copyExample();
  const files = { root, plex: path.join(root, 'docker', 'plex', 'docker-compose.yml'), configuration: path.join(root, 'nixos', 'configuration.nix') };
  prepare?.(files);
  const client = await LspTestClient.start(root, { snapshotPath: 'snapshot', ...settings }, undefined, {}, { resolveCodeActionEdits: true, showDocument: true });
  try {
    client.open(files.configuration);
    client.open(files.plex);
    const diagnostics = await client.waitForDiagnostics(files.plex, (d) => versionOf(d) === 1, { acceptLatest: true });
    await run(client, files, diagnostics);
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

const byCode = (diagnostics: Diagnostic[], code: string): Diagnostic => {
  const found = diagnostics.find((d) => d.code === code);
  assert.ok(found, `no ${code} in ${JSON.stringify(diagnostics.map((d) => d.code))}`);
  return found;
};

/** The edits of one file in a WorkspaceEdit. */
function editsOf(action: CodeAction, file: string): TextEdit[] {
  const change = action.edit?.documentChanges?.find((c) => 'textDocument' in c && c.textDocument.uri === uriOf(file)) as TextDocumentEdit | undefined;
  return (change?.edits ?? []) as TextEdit[];
}

test('the menu of a finding: its fix, fix all in this file, in the workspace, documentation, disable — in that order', async () => {
  await withPlex({}, async (client, { root, plex }, diagnostics) => {
    const puid = byCode(diagnostics, 'puid-unmapped');
    const actions = await codeActions(client, plex, [puid]);
    const titles = actions.map((a) => a.title);
    const fixes = actions.filter((a) => a.edit);
    assert.ok(fixes.length >= 1 && actions[0]?.isPreferred, JSON.stringify(titles));
    assert.deepEqual(titles.slice(fixes.length), [
      'Fix all puid-unmapped problems in this file',
      'Fix all puid-unmapped problems in the workspace (5)',
      'Show documentation for puid-unmapped',
      'Disable puid-unmapped in this workspace',
    ]);
    for (const action of actions) {
      assert.equal(action.kind, 'quickfix');
      assert.deepEqual(action.diagnostics?.map((d) => d.code), ['puid-unmapped']);
    }
    const [inFile, inWorkspace, documentation, disable] = actions.slice(fixes.length);
    // "Fix all" is computed when chosen (codeAction/resolve), not for every lightbulb.
    assert.equal(inFile?.edit, undefined);
    assert.deepEqual(inFile?.data, { nixosHomelabFixAll: { uri: uriOf(plex), rule: 'puid-unmapped', scope: 'file' } });
    assert.deepEqual(inWorkspace?.data, { nixosHomelabFixAll: { uri: uriOf(plex), rule: 'puid-unmapped', scope: 'workspace' } });
    assert.deepEqual(documentation?.command, { title: 'Show documentation for puid-unmapped', command: 'nixosHomelab.showRuleDocumentation', arguments: ['puid-unmapped'] });
    assert.deepEqual(disable?.command, { title: 'Disable puid-unmapped in this workspace', command: 'nixosHomelab.disableRule', arguments: ['puid-unmapped', uriOf(root)] });
    assert.ok(fs.existsSync(path.join(__dirname, '..', '..', 'docs', 'rules', 'puid-unmapped.md')), 'the page the command opens exists');

    const resolved = await client.connection.sendRequest<CodeAction>('codeAction/resolve', inWorkspace);
    const changed = (resolved.edit?.documentChanges ?? []).map((c) => ('textDocument' in c ? path.basename(c.textDocument.uri) : c.kind));
    assert.deepEqual(changed, ['configuration.nix'], 'one uid for palav answers every stack');
  });
});

test('fix all of a rule in a file fixes that rule\'s findings there and nothing else', async () => {
  await withPlex({}, async (client, { plex, configuration }, diagnostics) => {
    const binds = diagnostics.filter((d) => d.code === 'bind-mount-undeclared');
    assert.equal(binds.length, 2, 'two data disks');
    const others = diagnostics.filter((d) => d.code !== 'bind-mount-undeclared').map((d) => `${d.code}@${d.range.start.line}`).sort();
    const actions = await codeActions(client, plex, [binds[0]!]);
    const inFile = actions.find((a) => a.title === 'Fix all bind-mount-undeclared problems in this file (2)');
    assert.ok(inFile, JSON.stringify(actions.map((a) => a.title)));
    const resolved = await client.connection.sendRequest<CodeAction>('codeAction/resolve', inFile);
    assert.ok(resolved.edit);
    const after = client.waitForDiagnostics(plex, (d) => !d.some((x) => x.code === 'bind-mount-undeclared'));
    client.applyWorkspaceEdit(resolved.edit);
    const left = await after;
    assert.deepEqual(left.map((d) => `${d.code}@${d.range.start.line}`).sort(), others);
    const text = client.textOf(configuration)!;
    assert.match(text, /fileSystems\."\/mnt\/PlexStorage"/);
    assert.match(text, /fileSystems\."\/mnt\/MediaArchive"/);
    assert.doesNotMatch(text, /uid = 1000;|virtualisation\.docker/, 'no other rule was fixed');
  });
});

test('a fix that edits configuration.nix reveals what it wrote there, beside and without taking the focus', async () => {
  await withPlex({}, async (client, { plex, configuration }, diagnostics) => {
    const actions = await codeActions(client, plex, [byCode(diagnostics, 'puid-unmapped')]);
    const fix = actions.find((a) => a.isPreferred)!;
    assert.equal(fix.command?.command, 'nixosHomelab.revealFixedRange');
    client.applyWorkspaceEdit(fix.edit!);
    const shown = await client.connection.sendRequest<boolean>('workspace/executeCommand', { command: fix.command!.command, arguments: fix.command!.arguments });
    assert.equal(shown, true);
    assert.equal(client.shownDocuments.length, 1);
    const request = client.shownDocuments[0]!;
    assert.equal(request.uri, uriOf(configuration));
    assert.equal(request.takeFocus, false);
    const lines = client.textOf(configuration)!.split('\n');
    const selection = request.selection!;
    assert.equal(selection.start.line, selection.end.line);
    assert.equal(lines[selection.start.line]?.slice(selection.start.character, selection.end.character), 'uid = 1000;');
  });
});

test('a fix within the compose file itself reveals nothing', async () => {
  await withPlex({}, async (client, { root }) => {
    const jellyfin = path.join(root, 'docker', 'jellyfin', 'compose.yaml');
    client.open(jellyfin);
    const diagnostics = await client.waitForDiagnostics(jellyfin, (d) => versionOf(d) === 1, { acceptLatest: true });
    const actions = await codeActions(client, jellyfin, [byCode(diagnostics, 'published-port-bypasses-firewall')]);
    const fixes = actions.filter((a) => a.edit);
    assert.ok(fixes.length > 0);
    for (const action of fixes) {
      assert.deepEqual(action.edit?.documentChanges?.map((c) => ('textDocument' in c ? c.textDocument.uri : '')), [uriOf(jellyfin)]);
      assert.equal(action.command, undefined);
    }
  });
});

test('go to definition on a PUID no user has yet goes to the user its fix would edit; on a PGID, to where the group would be declared', async () => {
  await withPlex({}, async (client, { plex, configuration }, diagnostics) => {
    const puid = byCode(diagnostics, 'puid-unmapped');
    const user = await client.connection.sendRequest<Location[] | null>('textDocument/definition', { textDocument: { uri: uriOf(plex) }, position: puid.range.start });
    assert.equal(user?.length, 1);
    assert.equal(user![0]!.uri, uriOf(configuration));
    const line = fs.readFileSync(configuration, 'utf8').split('\n')[user![0]!.range.start.line];
    assert.match(line ?? '', /users\.users\.palav = \{/);

    const pgid = byCode(diagnostics, 'pgid-unmapped');
    const group = await client.connection.sendRequest<Location[] | null>('textDocument/definition', { textDocument: { uri: uriOf(plex) }, position: pgid.range.start });
    assert.equal(group?.length, 1);
    assert.equal(group![0]!.uri, uriOf(configuration));
    const fix = (await codeActions(client, plex, [pgid])).find((a) => a.isPreferred)!;
    const declaration = editsOf(fix, configuration).find((edit) => edit.newText.includes('users.groups.render.gid'))!;
    assert.deepEqual(group![0]!.range.start, declaration.range.start);
  });
});

test('a client without codeAction/resolve gets "fix all" as a server command that sends the edit', async () => {
  const root = copyExample();
  const client = await LspTestClient.start(root, { snapshotPath: 'snapshot' });
  try {
    const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
    client.open(plex);
    const diagnostics = await client.waitForDiagnostics(plex, (d) => versionOf(d) === 1, { acceptLatest: true });
    const actions = await codeActions(client, plex, [byCode(diagnostics, 'bind-mount-undeclared')]);
    const inFile = actions.find((a) => a.title.startsWith('Fix all bind-mount-undeclared problems in this file'))!;
    assert.equal(inFile.command?.command, 'nixosHomelab.fixAllOfRule');
    assert.equal(actions.find((a) => a.isPreferred)?.command, undefined, 'no reveal for a client that cannot show documents');
    const applied = await client.connection.sendRequest<boolean>('workspace/executeCommand', { command: inFile.command!.command, arguments: inFile.command!.arguments });
    assert.equal(applied, true);
    assert.equal(client.appliedEdits.length, 1);
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
