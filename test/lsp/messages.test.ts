import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { copyExample, LspTestClient, uriOf } from './lspClient';

/**
 * #18 §6: a diagnostic's message is the finding's one-line plain-text headline (what the Problems panel shows whole);
 * its explanation is read in the hover, which VS Code shows beside the diagnostic's own message.
 */
test('diagnostics carry the plain headline; the hover on one gives its headline and explanation', async () => {
  const root = copyExample();
  const client = await LspTestClient.start(root, { snapshotPath: 'snapshot' });
  try {
    const plex = path.join(root, 'docker', 'plex', 'docker-compose.yml');
    const opened = client.waitForDiagnostics(plex, (d) => d.some((x) => x.code === 'puid-unmapped'), { acceptLatest: true });
    client.open(plex);
    const diagnostics: Diagnostic[] = await opened;
    for (const diagnostic of diagnostics) {
      assert.ok(diagnostic.message.length <= 120 && !diagnostic.message.includes('`') && !diagnostic.message.includes('\n'), diagnostic.message);
    }
    const puid = diagnostics.find((d) => d.code === 'puid-unmapped');
    assert.equal(puid?.message, 'PUID 1000 of service plex: users.users.palav has no fixed uid');
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(plex) }, position: puid!.range.start });
    const text = (hover?.contents as { value: string } | undefined)?.value ?? '';
    assert.match(text, /^\*\*PUID 1000 of service plex: users\.users\.palav has no fixed uid\*\* \(puid-unmapped\)\n\n`?users\.users\.palav`? is declared without `uid`/);
    assert.match(text, /Fix: declare `users\.users\.palav\.uid = 1000;`/);
    // What the value maps to on NixOS follows, as before.
    assert.match(text, /\*\*PUID 1000\*\* → no NixOS user has uid 1000/);
    assert.ok(client.alive);
  } finally {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
