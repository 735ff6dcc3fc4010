// Generate over an existing homelab.nix asks once (the save dialog's own "already exists" question), not a second
// time in a modal. The "Add to imports" offer does not vanish with the toast: the status menu offers it while the
// module is not imported, and no longer once it is. Screenshots: the one question, the menu with the offer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { exampleWorkspace } from './exampleWorkspace.mjs';
import { closeNotifications, openStatusMenu, pickMenuRow, runPaletteCommand, waitForNotification } from './helpers.mjs';

export const timeoutMs = 120_000;

export default async function (ctx) {
  const workspace = exampleWorkspace(ctx);
  const module = path.join(workspace, 'nixos', 'homelab.nix');
  fs.writeFileSync(module, '# an older homelab.nix\n{ }\n');
  const { page } = ctx;
  await ctx.openWorkspace(workspace);
  await ctx.openFileFromExplorer('docker/plex/docker-compose.yml');
  await ctx.waitForSquiggles('error', { timeoutMs: 45_000 });

  await runPaletteCommand(page, 'NixOS Homelab: Generate NixOS Module…');
  // The save dialog (VS Code's own, in the quick input) proposes homelab.nix beside configuration.nix.
  const input = page.locator('.quick-input-widget input');
  await page.waitForFunction(() => /nixos\/homelab\.nix$/.test(document.querySelector('.quick-input-widget input')?.value ?? ''), undefined, { timeout: 20_000 });
  await input.press('Enter');
  // Its one question: the file exists, replace it?
  await page.locator('.quick-input-widget', { hasText: 'already exists' }).waitFor({ timeout: 10_000 });
  await ctx.screenshot('save-dialog-asks-once');
  await page.keyboard.press('Enter');

  const toast = await waitForNotification(page, 'wrote homelab.nix', 20_000);
  assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no second, modal question');
  assert.match(fs.readFileSync(module, 'utf8'), /written by `nixos-homelab generate`/);
  assert.match((await toast.textContent()) ?? '', /Add it to the imports of configuration\.nix\?/);

  await closeNotifications(page);
  // The toast may go; the menu keeps the offer while the module is not imported.
  let rows = await openStatusMenu(page);
  const deadline = Date.now() + 15_000;
  while (!rows.some((row) => /Add nixos\/homelab\.nix to the imports of configuration\.nix/.test(row)) && Date.now() < deadline) {
    await page.keyboard.press('Escape');
    await new Promise((resolve) => setTimeout(resolve, 500));
    rows = await openStatusMenu(page);
  }
  await ctx.screenshot('menu-offers-add-to-imports');
  assert.ok(rows.some((row) => /Add nixos\/homelab\.nix to the imports of configuration\.nix/.test(row)), rows.join('\n'));
  await pickMenuRow(page, 'to the imports of configuration.nix');
  await waitForNotification(page, 'added ./homelab.nix to the imports of configuration.nix', 15_000);
  await closeNotifications(page);

  rows = await openStatusMenu(page);
  assert.ok(!rows.some((row) => /to the imports of/.test(row)), `no offer once imported:\n${rows.join('\n')}`);
  await page.keyboard.press('Escape');
}
