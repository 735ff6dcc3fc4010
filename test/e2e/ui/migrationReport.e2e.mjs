// A user runs "NixOS Homelab: Show Migration Report" from the command palette and reads the page: the findings by
// rule and the old host's snapshot, in a webview. With the report open, Apply All Fixes: the message counts the
// findings resolved, and the report refreshes by itself to exactly that many fewer. Then a file:line link opens the
// file at the line and a rule id opens the rule's page. The screenshots are the proof.
import assert from 'node:assert/strict';
import { exampleWorkspace } from './exampleWorkspace.mjs';
import { closeNotifications, runPaletteCommand, waitForNotification } from './helpers.mjs';

export const timeoutMs = 150_000;

/** The total of "20 errors, 14 warnings, 3 notes; …" (the summary line's findings part). */
function findingsIn(summary) {
  const part = summary.split(';')[0] ?? '';
  return [...part.matchAll(/(\d+) (?:error|warning|note|hint)s?/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

export default async function (ctx) {
  const workspace = exampleWorkspace(ctx);
  await ctx.openWorkspace(workspace);
  // Wait for the first analysis, so the report has findings to show.
  await ctx.openFileFromExplorer('docker/plex/docker-compose.yml');
  await ctx.waitForSquiggles('error', { timeoutMs: 45_000 });

  const { page } = ctx;
  await runPaletteCommand(page, 'NixOS Homelab: Show Migration Report');
  await page.locator('.tabs-container .tab', { hasText: 'NixOS Homelab: Migration Report' }).waitFor({ timeout: 15_000 });
  // The webview's document sits in an iframe inside the webview's iframe (the report is the first webview).
  const report = page.frameLocator('iframe.webview.ready >> nth=0').frameLocator('#active-frame');
  await report.locator('h2', { hasText: 'Findings' }).waitFor({ timeout: 15_000 });
  const text = await report.locator('body').innerText();
  for (const expected of ['puid-unmapped', 'pgid-unmapped', 'Old host snapshot', 'render', 'Verify']) assert.ok(text.includes(expected), `the report shows ${expected}:\n${text.slice(0, 2000)}`);
  assert.match(text, /not verified yet/);
  assert.ok((await report.locator('td.location a').count()) > 5, 'file:line entries are links');
  assert.ok((await report.locator('td.rule a').count()) > 5, 'rule ids are links');
  await ctx.screenshot('migration-report');

  // Apply All Fixes with the report open: the message counts findings resolved, the report follows by itself.
  const before = (await report.locator('p.summary').innerText()).trim();
  await runPaletteCommand(page, 'NixOS Homelab: Apply All Fixes');
  const toast = await waitForNotification(page, 'resolved by', 30_000);
  const message = (await toast.textContent()) ?? '';
  await closeNotifications(page);
  const counted = /(\d+) findings? resolved by (\d+) fix(?:es)? \(not saved yet\); (\d+) left/.exec(message);
  assert.ok(counted, message);
  const [resolved, fixes, left] = counted.slice(1).map(Number);
  assert.ok(resolved >= fixes, `findings resolved (${resolved}) are what the user counts, not fixes (${fixes})`);
  let after = before;
  const deadline = Date.now() + 20_000;
  while (findingsIn(after) !== left && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    after = (await report.locator('p.summary').innerText()).trim();
  }
  assert.equal(findingsIn(after), left, `the report refreshed to the ${left} findings left: ${after}`);
  assert.equal(findingsIn(before) - findingsIn(after), resolved, `before: ${before}\nafter: ${after}\nmessage: ${message}`);
  await ctx.screenshot('report-after-apply-all-fixes');

  // A file:line link opens the file beside the report, at the line.
  const location = report.locator('td.location a').first();
  const target = await location.innerText();
  const row = location.locator('xpath=ancestor::tr');
  const line = Number((await row.locator('td.location').nth(1).innerText()).trim());
  await location.click();
  const fileName = target.split('/').pop();
  await page.locator(`.editor-group-container .tab.active[data-resource-name=${JSON.stringify(fileName)}]`).first().waitFor({ timeout: 15_000 });
  await page.waitForFunction(
    (expected) => [...document.querySelectorAll('.statusbar-item')].some((item) => new RegExp(`Ln ${expected}, Col 1`).test(item.textContent ?? '')),
    line,
    { timeout: 10_000 },
  );
  await ctx.screenshot('finding-opened');

  // A rule id opens the rule's page (shipped in the extension) in the Markdown preview.
  const ruleLink = report.locator('td.rule a').first();
  const rule = (await ruleLink.innerText()).trim();
  await ruleLink.click();
  await page.locator('.tabs-container .tab', { hasText: `${rule}.md` }).first().waitFor({ timeout: 15_000 });
  await ctx.screenshot('rule-documentation');
}
