// Helpers for the extension-host tests (not a test file: the name does not end in .test.js).
'use strict';
const fs = require('fs');
const path = require('path');

const EXTENSION_ID = 'nixos-homelab.nixos-homelab';

/** Copies the example homelab into the (empty, temporary) workspace once and points the settings at its snapshot. */
async function ensureExample(vscode, workspaceFolder, suiteDir) {
  const repo = path.resolve(suiteDir, '..', '..', '..');
  const marker = path.join(workspaceFolder, 'nixos', 'configuration.nix');
  if (!fs.existsSync(marker)) {
    fs.cpSync(path.join(repo, 'examples', 'pop-os-homelab'), workspaceFolder, { recursive: true });
    await vscode.workspace.getConfiguration('nixosHomelab').update('snapshotPath', 'snapshot', vscode.ConfigurationTarget.Workspace);
  }
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  await extension.activate();
  return {
    plex: vscode.Uri.file(path.join(workspaceFolder, 'docker', 'plex', 'docker-compose.yml')),
    configuration: vscode.Uri.file(path.join(workspaceFolder, 'nixos', 'configuration.nix')),
  };
}

/** Polls until `check()` returns a truthy value (diagnostics arrive asynchronously); throws with `describe()` at the deadline. */
async function waitFor(check, describe, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function codesOf(vscode, uri) {
  return vscode.languages.getDiagnostics(uri).map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)));
}

module.exports = { EXTENSION_ID, ensureExample, waitFor, codesOf };
