'use strict';
const assert = require('node:assert/strict');
const { EXTENSION_ID, ensureExample, waitFor, codesOf } = require('./homelab');

exports.timeoutMs = 60000;

exports['the extension activates and registers its commands'] = async ({ vscode, workspaceFolder, suiteDir }) => {
  await ensureExample(vscode, workspaceFolder, suiteDir);
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension && extension.isActive, 'active');
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['nixosHomelab.restartServer', 'nixosHomelab.applyAllFixes', 'nixosHomelab.showOutput']) assert.ok(commands.includes(id), id);
};

exports['compose diagnostics arrive with rule ids and the nixos-homelab source'] = async ({ vscode, workspaceFolder, suiteDir }) => {
  const { plex } = await ensureExample(vscode, workspaceFolder, suiteDir);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(plex));
  await waitFor(() => codesOf(vscode, plex).includes('pgid-unmapped'), () => `diagnostics of plex: ${codesOf(vscode, plex).join(', ')}`, 30000);
  const diagnostics = vscode.languages.getDiagnostics(plex);
  const pgid = diagnostics.find((d) => d.code && d.code.value === 'pgid-unmapped');
  assert.equal(pgid.source, 'nixos-homelab');
  assert.equal(pgid.range.start.line, 8);
  assert.match(String(pgid.code.target), /docs\/rules\/pgid-unmapped\.md$/);
  assert.ok(pgid.relatedInformation.length > 0);
  for (const code of ['puid-unmapped', 'pgid-unmapped', 'docker-not-enabled']) assert.ok(codesOf(vscode, plex).includes(code), code);
};

exports['hover on PGID says what it maps to on NixOS'] = async ({ vscode, workspaceFolder, suiteDir }) => {
  const { plex } = await ensureExample(vscode, workspaceFolder, suiteDir);
  await vscode.workspace.openTextDocument(plex);
  await waitFor(() => codesOf(vscode, plex).length > 0, () => 'no diagnostics yet');
  const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', plex, new vscode.Position(8, 14));
  const text = hovers.flatMap((hover) => hover.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.match(text, /PGID 110/);
  assert.match(text, /no NixOS group has gid 110/);
};

exports['the preferred quick fix for puid-unmapped edits configuration.nix'] = async ({ vscode, workspaceFolder, suiteDir }) => {
  const { plex, configuration } = await ensureExample(vscode, workspaceFolder, suiteDir);
  await vscode.workspace.openTextDocument(plex);
  const puid = await waitFor(
    () => vscode.languages.getDiagnostics(plex).find((d) => d.code && d.code.value === 'puid-unmapped'),
    () => `diagnostics of plex: ${codesOf(vscode, plex).join(', ')}`,
  );
  const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', plex, puid.range, vscode.CodeActionKind.QuickFix.value);
  const preferred = actions.find((action) => action.isPreferred);
  assert.ok(preferred, `no preferred quick fix among: ${JSON.stringify(actions.map((a) => ({ title: a.title, isPreferred: a.isPreferred, kind: a.kind && a.kind.value })))}`);
  assert.match(preferred.title, /uid = 1000/);
  assert.ok(await vscode.workspace.applyEdit(preferred.edit), 'the edit applies');
  const document = await vscode.workspace.openTextDocument(configuration);
  assert.match(document.getText(), /uid = 1000;/);
  await waitFor(() => !codesOf(vscode, plex).includes('puid-unmapped'), () => `still: ${codesOf(vscode, plex).join(', ')}`);
  await document.save();
};

exports['Nix files get the Nix language and its snippets'] = async ({ vscode, workspaceFolder, suiteDir }) => {
  const { configuration } = await ensureExample(vscode, workspaceFolder, suiteDir);
  assert.ok((await vscode.languages.getLanguages()).includes('nix'));
  const document = await vscode.workspace.openTextDocument({ language: 'nix', content: '' });
  assert.equal(document.languageId, 'nix');
  const editor = await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'nix', name: 'Docker with log rotation' });
  await waitFor(() => editor.document.getText().includes('virtualisation.docker'), () => `buffer: ${JSON.stringify(editor.document.getText())}`, 5000);
  assert.match(editor.document.getText(), /enable = true;/);
  const config = await vscode.workspace.openTextDocument(configuration);
  assert.equal(config.languageId, 'nix');
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
};
