// A user runs "NixOS Homelab: Show Migration Report" from the command palette and reads the page: the findings by
// rule and the old host's snapshot, in a webview. The screenshot is the proof.
import assert from 'node:assert/strict';
import { exampleWorkspace } from './exampleWorkspace.mjs';

export const timeoutMs = 90_000;

export default async function (ctx) {
  const workspace = exampleWorkspace(ctx);
  await ctx.openWorkspace(workspace);
  // Wait for the first analysis, so the report has findings to show.
  await ctx.openFileFromExplorer('docker/plex/docker-compose.yml');
  await ctx.waitForSquiggles('error', { timeoutMs: 45_000 });

  const { page } = ctx;
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
  await page.keyboard.type('NixOS Homelab: Show Migration Report');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Migration Report' }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');

  await page.locator('.tabs-container .tab', { hasText: 'NixOS Homelab: Migration Report' }).waitFor({ timeout: 15_000 });
  // The webview's document sits in an iframe inside the webview's iframe.
  const report = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await report.locator('h2', { hasText: 'Findings' }).waitFor({ timeout: 15_000 });
  const text = await report.locator('body').innerText();
  for (const expected of ['puid-unmapped', 'pgid-unmapped', 'Old host snapshot', 'render', 'Verify']) assert.ok(text.includes(expected), `the report shows ${expected}:\n${text.slice(0, 2000)}`);
  assert.match(text, /not verified yet/);
  await ctx.screenshot('migration-report');
}
