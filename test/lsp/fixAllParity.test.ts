/**
 * One fix-all for every face (#14): `lint --fix` and the language server's "Apply All Fixes" both run core's
 * `fixAll`, so on the same workspace they must leave the same files. Drives both bundles, as users run them (build
 * first: `node esbuild.js`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { runCli } from '../cli/runCli';
import { applyEdits, copyExample, EXAMPLE, LspTestClient } from './lspClient';

/** Every file below `root`, by path relative to it, with its text. */
function filesBelow(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.set(path.relative(root, full), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return files;
}

/** Writes a WorkspaceEdit to disk as the editor would save it: created files first, then each document's edits. */
function writeWorkspaceEdit(edit: WorkspaceEdit): void {
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      assert.equal(change.kind, 'create', 'fix-all only creates files');
      const file = fileURLToPath(change.uri);
      if (!fs.existsSync(file)) fs.writeFileSync(file, '');
      continue;
    }
    const documentEdit = change as TextDocumentEdit;
    const file = fileURLToPath(documentEdit.textDocument.uri);
    const edits = documentEdit.edits.filter((e): e is TextEdit => 'range' in e);
    fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), edits));
  }
}

test('lint --fix and the language server\'s Apply All Fixes leave the same files on the same workspace', async () => {
  const cliCopy = copyExample();
  const serverCopy = copyExample();
  try {
    const run = await runCli(['lint', '--fix', '--snapshot', 'snapshot', '.'], { cwd: cliCopy });
    assert.ok(run.status === 0 || run.status === 1, `lint --fix failed: ${run.stderr}`);
    assert.doesNotMatch(run.stdout, /^nothing to fix/m, 'the example has fixable findings');

    const client = await LspTestClient.start(serverCopy, { snapshotPath: 'snapshot' });
    try {
      // Diagnostics for an open stack: the server has its settings and has analysed the folder.
      const plex = path.join(serverCopy, 'docker', 'plex', 'docker-compose.yml');
      client.open(plex);
      await client.waitForDiagnostics(plex, (diagnostics) => diagnostics.length > 0, { acceptLatest: true });
      const result = await client.connection.sendRequest<{ applied: number; accepted: boolean }>('nixosHomelab/applyAllFixes', {});
      assert.equal(result.accepted, true);
      assert.equal(client.appliedEdits.length, 1, 'one edit, one undo');
      writeWorkspaceEdit(client.appliedEdits[0]!);
      assert.ok(client.alive);
    } finally {
      await client.stop();
    }

    const byCli = filesBelow(cliCopy);
    const byServer = filesBelow(serverCopy);
    assert.deepEqual([...byServer.keys()].sort(), [...byCli.keys()].sort(), 'the same files exist');
    const example = filesBelow(EXAMPLE);
    const changed = [...byCli.keys()].filter((file) => byCli.get(file) !== example.get(file));
    assert.ok(changed.length > 0, 'lint --fix changed some file');
    for (const [file, text] of byCli) assert.equal(byServer.get(file), text, `${file} is the same after both`);
  } finally {
    fs.rmSync(cliCopy, { recursive: true, force: true });
    fs.rmSync(serverCopy, { recursive: true, force: true });
  }
});
