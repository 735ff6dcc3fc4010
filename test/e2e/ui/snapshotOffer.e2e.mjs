// A first-time user opens the bundled example as it is (no settings): the editor finds its snapshot/ folder and
// offers it once; accepting writes the workspace setting and the analysis uses the snapshot. The status bar's one
// quiet "NixOS Homelab" item opens a menu that says so, and the walkthrough's first step is ticked from that state
// without any of its commands having run. Screenshots: the offer, the menu, the walkthrough.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repo } from './exampleWorkspace.mjs';
import { closeNotifications, openStatusMenu, pickMenuRow, statusItem, waitForNotification } from './helpers.mjs';

export const timeoutMs = 120_000;

export default async function (ctx) {
  const workspace = ctx.copyToTemp(path.join(repo, 'examples', 'pop-os-homelab'));
  assert.ok(!fs.existsSync(path.join(workspace, '.vscode')), 'the example starts without settings');
  const { page } = ctx;
  await ctx.openWorkspace(workspace);
  await ctx.openFileFromExplorer('docker/plex/docker-compose.yml');
  await ctx.waitForSquiggles('error', { timeoutMs: 45_000 });

  // The status item is quiet: a name, no counts, no error background; before any snapshot the menu says so.
  const item = statusItem(page);
  const text = (await item.textContent())?.trim() ?? '';
  assert.match(text, /NixOS Homelab/);
  assert.doesNotMatch(text, /\d/, `no counts in the status item: ${text}`);
  const background = await item.evaluate((element) => getComputedStyle(element).backgroundColor);
  assert.ok(!/rgb\((1[89]\d|2\d\d), [0-9]{1,2}, [0-9]{1,2}\)/.test(background), `not a red background: ${background}`);

  const offer = await waitForNotification(page, 'holds a host snapshot', 30_000);
  assert.match((await offer.textContent()) ?? '', /snapshot\/ holds a host snapshot .*Use snapshot\/ as the host snapshot\?/);
  await ctx.screenshot('snapshot-offer');
  await offer.locator('.monaco-button', { hasText: 'Use as Host Snapshot' }).click();
  await closeNotifications(page);

  const settingsFile = path.join(workspace, '.vscode', 'settings.json');
  const deadline = Date.now() + 15_000;
  while (!(fs.existsSync(settingsFile) && /"nixosHomelab\.snapshotPath":\s*"snapshot"/.test(fs.readFileSync(settingsFile, 'utf8')))) {
    if (Date.now() > deadline) throw new Error(`no snapshotPath in ${settingsFile}: ${fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : 'missing'}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  // The menu: state first (the snapshot of the Pop!_OS host from snapshot/, the configuration), then the commands.
  let rows = [];
  const menuDeadline = Date.now() + 20_000;
  for (;;) {
    rows = await openStatusMenu(page);
    if (rows.some((row) => /Host snapshot: Pop!_OS/.test(row)) || Date.now() > menuDeadline) break;
    await page.keyboard.press('Escape');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await ctx.screenshot('status-menu');
  for (const expected of [/Host snapshot: Pop!_OS/, /Configuration: nixos\/configuration\.nix/, /Show Migration Report/, /Apply All Fixes/, /Generate NixOS Module/, /Import Extraction Files/, /Open Walkthrough/]) {
    assert.ok(rows.some((row) => expected.test(row)), `menu has ${expected}:\n${rows.join('\n')}`);
  }
  assert.ok(!rows.some((row) => /No host snapshot/.test(row)), rows.join('\n'));

  // The walkthrough, opened from the menu: "Record the old host" is ticked by the snapshot in use; Verify is not.
  await pickMenuRow(page, 'Open Walkthrough');
  const step = (id) => page.locator(`button.getting-started-step[data-step-id$="#${id}"]`).first();
  await step('extract').waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => document.querySelector('button.getting-started-step[data-step-id$="#extract"]')?.getAttribute('aria-checked') === 'true', undefined, { timeout: 15_000 });
  assert.equal(await step('verify').getAttribute('aria-checked'), 'false');
  await ctx.screenshot('walkthrough');
}
