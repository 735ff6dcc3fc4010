'use strict';
// The migration commands that need no remote host, run through `executeCommand` in the real extension host:
// Import Extraction Files, Generate NixOS Module, Show Migration Report. Their dialogs are replaced by the
// optional arguments the commands take (a folder / target file, and `{ overwrite, addToImports }`).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureExample, waitFor, codesOf } = require('./homelab');

exports.timeoutMs = 60000;

const MIGRATION_COMMANDS = [
  'nixosHomelab.extractOverSsh',
  'nixosHomelab.extractLocal',
  'nixosHomelab.importExtraction',
  'nixosHomelab.generateModule',
  'nixosHomelab.verifyOverSsh',
  'nixosHomelab.showMigrationReport',
];

/** A folder like the one the manual procedure leaves: the example's pre_nixos files plus `extra` files. */
function extractionFolder(suiteDir, extra) {
  const repo = path.resolve(suiteDir, '..', '..', '..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nh-import-'));
  fs.cpSync(path.join(repo, 'examples', 'pop-os-homelab', 'snapshot'), dir, { recursive: true });
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

exports['the migration commands are registered'] = async ({ vscode, workspaceFolder, suiteDir }) => {
  await ensureExample(vscode, workspaceFolder, suiteDir);
  const commands = await vscode.commands.getCommands(true);
  for (const id of MIGRATION_COMMANDS) assert.ok(commands.includes(id), id);
};

exports['Import Extraction Files writes the snapshot folder, reports unrecognised files, and the diagnostics follow it'] = async ({ vscode, workspaceFolder, suiteDir }) => {
  await ensureExample(vscode, workspaceFolder, suiteDir);
  const snapshotDir = path.join(workspaceFolder, 'snapshot');
  // An empty group file: the snapshot loads, with a snapshot-error on that file, which proves the server re-read it.
  const broken = extractionFolder(suiteDir, { 'notes.md': '# what I ran\n', 'pre_nixos_gid4242.txt': '' });
  const first = await vscode.commands.executeCommand('nixosHomelab.importExtraction', vscode.Uri.file(broken), { overwrite: true });
  assert.ok(first, 'the command returned a result');
  assert.deepEqual(first.unrecognised, ['notes.md']);
  assert.ok(first.imported.includes('pre_nixos_lsblk.txt') && first.imported.includes('pre_nixos_gid4242.txt'), first.imported.join(', '));
  assert.equal(first.dir, snapshotDir);
  assert.ok(first.backup && fs.existsSync(path.join(first.backup, 'pre_nixos_id.txt')), `the previous snapshot was kept: ${first.backup}`);
  const json = JSON.parse(fs.readFileSync(path.join(snapshotDir, 'snapshot.json'), 'utf8'));
  assert.equal(json.source, 'import');
  assert.ok(json.groups.some((group) => group.gid === 110 && group.name === 'render'));
  assert.ok(!fs.existsSync(path.join(snapshotDir, 'notes.md')));
  const brokenFile = vscode.Uri.file(path.join(snapshotDir, 'pre_nixos_gid4242.txt'));
  await waitFor(() => codesOf(vscode, brokenFile).includes('snapshot-error'), () => `diagnostics of ${brokenFile.fsPath}: ${codesOf(vscode, brokenFile).join(', ')}`);

  // Refused without consent: nothing changes.
  const clean = extractionFolder(suiteDir, {});
  const refused = await vscode.commands.executeCommand('nixosHomelab.importExtraction', vscode.Uri.file(clean), { overwrite: false });
  assert.equal(refused, undefined);
  assert.ok(fs.existsSync(path.join(snapshotDir, 'pre_nixos_gid4242.txt')));

  const second = await vscode.commands.executeCommand('nixosHomelab.importExtraction', clean, { overwrite: true });
  assert.deepEqual(second.unrecognised, []);
  assert.ok(!fs.existsSync(path.join(snapshotDir, 'pre_nixos_gid4242.txt')));
  await waitFor(() => !codesOf(vscode, brokenFile).includes('snapshot-error'), () => `still: ${codesOf(vscode, brokenFile).join(', ')}`);
  const { plex } = await ensureExample(vscode, workspaceFolder, suiteDir);
  await waitFor(() => codesOf(vscode, plex).includes('pgid-unmapped'), () => `diagnostics of plex: ${codesOf(vscode, plex).join(', ')}`);
};

exports['Generate NixOS Module writes the module, opens it, adds it to the imports, and never overwrites without consent'] = async ({ vscode, workspaceFolder, suiteDir }) => {
  const { configuration } = await ensureExample(vscode, workspaceFolder, suiteDir);
  const target = vscode.Uri.file(path.join(workspaceFolder, 'nixos', 'homelab.nix'));
  if (fs.existsSync(target.fsPath)) fs.rmSync(target.fsPath);
  const result = await vscode.commands.executeCommand('nixosHomelab.generateModule', target, { overwrite: false, addToImports: true });
  assert.ok(result && result.written, JSON.stringify(result));
  assert.equal(result.file, target.fsPath);
  assert.equal(result.entry, configuration.fsPath);
  const text = fs.readFileSync(target.fsPath, 'utf8');
  assert.match(text, /systemd\.services\.homelab-autostart/);
  assert.match(text, /gid = (lib\.mkForce )?110;/);
  assert.equal(vscode.window.activeTextEditor && vscode.window.activeTextEditor.document.uri.fsPath, target.fsPath, 'the module is open');

  assert.deepEqual(result.imported, { outcome: 'added', written: './homelab.nix' });
  const entry = await vscode.workspace.openTextDocument(configuration);
  assert.match(entry.getText(), /imports =\s*\[[^\]]*\.\/hardware-configuration\.nix\s+\.\/homelab\.nix\s*\];/);
  await entry.save();

  // Asked again: the file exists and overwrite is false, so it is left alone, and the import is not added twice.
  fs.writeFileSync(target.fsPath, '# edited by hand\n{ }\n');
  const again = await vscode.commands.executeCommand('nixosHomelab.generateModule', target.fsPath, { overwrite: false, addToImports: true });
  assert.equal(again.written, false);
  assert.equal(fs.readFileSync(target.fsPath, 'utf8'), '# edited by hand\n{ }\n');
  const replaced = await vscode.commands.executeCommand('nixosHomelab.generateModule', target, { overwrite: true, addToImports: true });
  assert.equal(replaced.written, true);
  assert.equal(fs.readFileSync(target.fsPath, 'utf8'), text);
  assert.equal(replaced.imported.outcome, 'already-imported');
  assert.equal((entry.getText().match(/\.\/homelab\.nix/g) || []).length, 1);
};

exports['Show Migration Report opens a webview tab with the findings and the snapshot'] = async ({ vscode, workspaceFolder, suiteDir }) => {
  await ensureExample(vscode, workspaceFolder, suiteDir);
  const result = await vscode.commands.executeCommand('nixosHomelab.showMigrationReport');
  assert.ok(result, 'the command returned a result');
  assert.equal(result.title, 'NixOS Homelab: Migration Report');
  assert.match(result.summary, /snapshot of/);
  assert.match(result.summary, /not verified yet/);
  const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs);
  const tab = await waitFor(() => tabs().find((t) => t.label === result.title), () => `tabs: ${tabs().map((t) => t.label).join(', ')}`, 10000);
  assert.ok(tab.input instanceof vscode.TabInputWebview, 'a webview tab');
  assert.match(tab.input.viewType, /nixosHomelab\.migrationReport/);
  // A second call re-renders the same panel instead of opening another.
  await vscode.commands.executeCommand('nixosHomelab.showMigrationReport');
  assert.equal(tabs().filter((t) => t.label === result.title).length, 1);
};
