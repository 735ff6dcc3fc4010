'use strict';
// The state the status menu, the report and the walkthrough read, driven through the commands in the real
// extension host: using a snapshot folder found in the workspace, "Add to imports" only while not imported, the
// report's links (rule documentation, finding location).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ensureExample, waitFor } = require('./homelab');

exports.timeoutMs = 60000;

async function reportSummary(vscode) {
  const result = await vscode.commands.executeCommand('nixosHomelab.showMigrationReport');
  return result.summary;
}

exports['Use Folder as Host Snapshot points the setting at the folder and the analysis uses it'] = async ({ vscode, workspaceFolder, suiteDir }) => {
  await ensureExample(vscode, workspaceFolder, suiteDir);
  const config = () => vscode.workspace.getConfiguration('nixosHomelab');
  await config().update('snapshotPath', '.nixos-homelab/snapshot', vscode.ConfigurationTarget.Workspace);
  try {
    await waitFor(async () => /no snapshot/.test(await reportSummary(vscode)), () => 'the report still names a snapshot', 20000);
    const used = await vscode.commands.executeCommand('nixosHomelab.useSnapshotFolder', vscode.Uri.file(path.join(workspaceFolder, 'snapshot')));
    assert.deepEqual(used, { snapshotPath: 'snapshot' });
    assert.equal(config().get('snapshotPath'), 'snapshot');
    await waitFor(async () => /snapshot of /.test(await reportSummary(vscode)), () => 'the report never named the snapshot', 20000);
    // A folder without snapshot files is refused (the command reports the error and returns nothing).
    assert.equal(await vscode.commands.executeCommand('nixosHomelab.useSnapshotFolder', vscode.Uri.file(path.join(workspaceFolder, 'docker'))), undefined);
    assert.equal(config().get('snapshotPath'), 'snapshot');
  } finally {
    await config().update('snapshotPath', 'snapshot', vscode.ConfigurationTarget.Workspace);
  }
};

exports['Generate offers Add to imports only while the entry does not import the module'] = async ({ vscode, workspaceFolder, suiteDir }) => {
  const { configuration } = await ensureExample(vscode, workspaceFolder, suiteDir);
  const target = vscode.Uri.file(path.join(workspaceFolder, 'nixos', 'homelab.nix'));
  const first = await vscode.commands.executeCommand('nixosHomelab.generateModule', target, { overwrite: true, addToImports: true });
  assert.ok(first.written);
  assert.ok(['added', 'already-imported'].includes(first.imported.outcome), JSON.stringify(first.imported));
  await (await vscode.workspace.openTextDocument(configuration)).save();
  // Without addToImports the command would offer the button: not when the entry already imports the module.
  const again = await vscode.commands.executeCommand('nixosHomelab.generateModule', target, { overwrite: true });
  assert.deepEqual(again.imported, { outcome: 'already-imported' });
  // The menu's "Add Generated Module to Imports" says so too, and adds nothing.
  const added = await vscode.commands.executeCommand('nixosHomelab.addModuleToImports', target);
  assert.equal(added.outcome, 'already-imported');
  assert.equal(((await vscode.workspace.openTextDocument(configuration)).getText().match(/\.\/homelab\.nix/g) || []).length, 1);
};

exports['a rule id opens the rule page shipped inside the extension'] = async ({ vscode, workspaceFolder, suiteDir }) => {
  await ensureExample(vscode, workspaceFolder, suiteDir);
  const page = await vscode.commands.executeCommand('nixosHomelab.showRuleDocumentation', 'puid-unmapped');
  assert.match(page, /docs[/\\]rules[/\\]puid-unmapped\.md$/);
  assert.ok(fs.existsSync(page), page);
  const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).map((tab) => tab.label);
  await waitFor(() => tabs().some((label) => label.includes('puid-unmapped.md')), () => `tabs: ${tabs().join(', ')}`, 10000);
  assert.equal(await vscode.commands.executeCommand('nixosHomelab.showRuleDocumentation', '../../package'), undefined, 'not a rule id');
};

exports['a file:line entry opens the file at the line, and only inside the workspace folder'] = async ({ vscode, workspaceFolder, suiteDir }) => {
  await ensureExample(vscode, workspaceFolder, suiteDir);
  const folder = vscode.workspace.workspaceFolders[0].uri.toString();
  const opened = await vscode.commands.executeCommand('nixosHomelab.openFindingLocation', folder, 'docker/plex/docker-compose.yml', 9);
  assert.equal(opened, path.join(workspaceFolder, 'docker', 'plex', 'docker-compose.yml'));
  const editor = vscode.window.activeTextEditor;
  assert.equal(editor.document.uri.fsPath, opened);
  assert.equal(editor.selection.active.line, 8);
  assert.equal(await vscode.commands.executeCommand('nixosHomelab.openFindingLocation', folder, '../../etc/passwd', 1), undefined);
};
