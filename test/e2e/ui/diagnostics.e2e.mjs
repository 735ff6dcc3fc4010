// A user opens the example homelab, opens Plex's compose file from the Explorer and sees the migration problems:
// squiggles in the editor, rows with the rule ids in the Problems panel. The screenshots are the proof.
import assert from 'node:assert/strict';
import { exampleWorkspace } from './exampleWorkspace.mjs';

export const timeoutMs = 90_000;

export default async function (ctx) {
  const workspace = exampleWorkspace(ctx);
  await ctx.openWorkspace(workspace);
  await ctx.openFileFromExplorer('docker/plex/docker-compose.yml');
  await ctx.waitForSquiggles('error', { timeoutMs: 45_000 });
  // Which of Plex's findings are errors and which warnings is the rules' decision; several squiggles there are.
  const squiggles = await ctx.page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').count();
  assert.ok(squiggles >= 3, `expected several error and warning squiggles, saw ${squiggles}`);
  await ctx.screenshot('plex-squiggles');

  await ctx.readProblems({ minimumRows: 5 });
  // The built-in counter in the status bar counts the problems; the extension's own item does not repeat it.
  const status = await ctx.page.locator('.statusbar-item', { hasText: 'NixOS Homelab' }).first().textContent({ timeout: 10_000 });
  assert.doesNotMatch(status ?? '', /\d/, `status bar: ${status}`);
  // The panel renders only the rows in view: filter it to Plex's file, as a user would.
  // Into the panel's own filter box: a shortcut goes wherever the focus happens to be (CI saw it land elsewhere).
  const filter = ctx.page.locator('.viewpane-filter input, .viewpane-filter textarea').first();
  await filter.click({ timeout: 10_000 });
  await filter.fill('**/plex/**');
  await ctx.page.locator('.markers-panel .monaco-list-row[aria-level="2"]').first().waitFor({ timeout: 10_000 });
  await ctx.page.waitForFunction(() => [...document.querySelectorAll('.markers-panel .monaco-list-row[aria-level="1"]')].every((row) => /plex/.test(row.getAttribute('aria-label') ?? '')), undefined, { timeout: 20_000 });
  await ctx.screenshot('problems-panel');
  const problems = await ctx.page.locator('.markers-panel .monaco-list-row[aria-level="2"]').evaluateAll((elements) =>
    elements.map((element) => ({ label: element.getAttribute('aria-label') ?? '', text: (element.textContent ?? '').trim() })),
  );
  const mentions = (id) => problems.some((row) => row.text.includes(id) || row.label.includes(id));
  for (const id of ['pgid-unmapped', 'puid-unmapped', 'docker-not-enabled']) {
    assert.ok(mentions(id), `Problems panel has no ${id} row:\n${problems.map((row) => row.text).join('\n')}`);
  }
  assert.ok(problems.some((row) => /nixos-homelab/.test(row.text + row.label)), 'rows name the source nixos-homelab');
}
