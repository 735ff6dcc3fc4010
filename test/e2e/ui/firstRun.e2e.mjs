// Issue #18's "Done means", as a new user lives it: open the bundled example as it is (a temporary copy, no
// settings), accept the snapshot offer, run Apply All Fixes, save, open the Migration Report. Nothing may contradict:
// the report's totals equal the Problems panel's counts and the status bar's counters, the report lists exactly
// the findings the CLI finds in the saved files (so no fix Apply All Fixes counted as resolved is still reported,
// and no finding is in the report that the editor does not show), and Problems shows plain-text messages (no
// literal backticks). Screenshots of each step are kept in .test-output/e2e/firstRun/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repo } from './exampleWorkspace.mjs';
import { closeNotifications, runPaletteCommand, waitForNotification } from './helpers.mjs';

export const timeoutMs = 240_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `{ error, warning, information, hint }` of the report's summary ("8 errors, 20 warnings, 3 notes; …"). */
function countsIn(summary) {
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  const part = summary.split(';')[0] ?? '';
  for (const [, n, word] of part.matchAll(/(\d+) (error|warning|note|information|hint)s?/g)) counts[word === 'note' ? 'information' : word] += Number(n);
  return counts;
}
const total = (counts) => counts.error + counts.warning + counts.information + counts.hint;

/** What the CLI finds in the files on disk, with the snapshot folder the editor now uses: `file:line rule` keys. */
function lintFiles(workspace) {
  const run = spawnSync(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'lint', '--snapshot', 'snapshot', '--format', 'json', '.'], { cwd: workspace, encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, `lint exited ${run.status}: ${run.stderr}`);
  const { diagnostics } = JSON.parse(run.stdout);
  return diagnostics.map((d) => ({ key: `${d.file}:${d.range.start.line + 1} ${d.code}`, severity: d.severity }));
}

export default async function (ctx) {
  const workspace = ctx.copyToTemp(path.join(repo, 'examples', 'pop-os-homelab'));
  assert.ok(!fs.existsSync(path.join(workspace, '.vscode')), 'the example starts without settings');
  const { page } = ctx;
  await ctx.openWorkspace(workspace);
  await ctx.openFileFromExplorer('docker/plex/docker-compose.yml');
  await ctx.waitForSquiggles('error', { timeoutMs: 45_000 });

  // 1. The offer: accepted, it is remembered in the workspace settings.
  const offer = await waitForNotification(page, 'holds a host snapshot', 30_000);
  await ctx.screenshot('1-snapshot-offer');
  await offer.locator('.monaco-button', { hasText: 'Use as Host Snapshot' }).click();
  await closeNotifications(page);
  const settingsFile = path.join(workspace, '.vscode', 'settings.json');
  for (let deadline = Date.now() + 15_000; !(fs.existsSync(settingsFile) && /"nixosHomelab\.snapshotPath":\s*"snapshot"/.test(fs.readFileSync(settingsFile, 'utf8'))); await sleep(200)) {
    if (Date.now() > deadline) throw new Error(`no snapshotPath in ${settingsFile}`);
  }

  // 2. The report, opened now, follows the analysis: it uses the snapshot and lists what the CLI finds.
  await runPaletteCommand(page, 'NixOS Homelab: Show Migration Report');
  const report = page.frameLocator('iframe.webview.ready >> nth=0').frameLocator('#active-frame');
  await report.locator('h2', { hasText: 'Findings' }).waitFor({ timeout: 20_000 });
  const summary = () => report.locator('p.summary').innerText().then((text) => text.trim());
  const before = lintFiles(workspace);
  let first = await summary();
  for (let deadline = Date.now() + 30_000; !(/snapshot of/.test(first) && total(countsIn(first)) === before.length) && Date.now() < deadline; await sleep(250)) first = await summary();
  assert.match(first, /snapshot of/, `the report uses the snapshot: ${first}`);
  assert.equal(total(countsIn(first)), before.length, `the report counts what lint counts in the files: ${first}`);
  await ctx.screenshot('2-report-with-snapshot');

  // 3. Apply All Fixes, then save what it wrote.
  await runPaletteCommand(page, 'NixOS Homelab: Apply All Fixes');
  const toast = await waitForNotification(page, 'resolved by', 45_000);
  const message = ((await toast.textContent()) ?? '').trim();
  await ctx.screenshot('3-apply-all-fixes');
  await closeNotifications(page);
  const counted = /(\d+) findings? resolved by (\d+) fix(?:es)? \(not saved yet\); (\d+) left/.exec(message);
  assert.ok(counted, message);
  const [resolved, , left] = counted.slice(1).map(Number);
  assert.ok(resolved > 0, message);
  await runPaletteCommand(page, 'File: Save All');
  await page.waitForFunction(() => document.querySelectorAll('.tabs-container .tab.dirty').length === 0, undefined, { timeout: 15_000 });

  // 4. The report after: exactly the findings the files still have, as many as the message said were left.
  const after = lintFiles(workspace);
  let finalSummary = await summary();
  for (let deadline = Date.now() + 30_000; total(countsIn(finalSummary)) !== after.length && Date.now() < deadline; await sleep(250)) finalSummary = await summary();
  const reportCounts = countsIn(finalSummary);
  assert.equal(total(reportCounts), after.length, `report: ${finalSummary}\nlint: ${after.map((d) => d.key).join('\n')}`);
  assert.equal(after.length, left, `"${message}" — lint finds ${after.length} in the saved files:\n${after.map((d) => d.key).join('\n')}`);
  assert.equal(before.length - after.length, resolved, `"${message}": ${before.length} findings before, ${after.length} after`);
  const rows = await report.locator('table:has(caption:text-is("By file")) tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => (td.innerText ?? td.textContent ?? '').trim());
      return cells.length >= 4 ? `${cells[0]}:${cells[1]} ${cells[3]}` : cells.join(' ');
    }),
  );
  const sorted = (keys) => [...keys].sort();
  assert.deepEqual(sorted(rows.filter((row) => row !== 'none')), sorted(after.map((d) => d.key)), 'the report lists the findings of the files, no more, no fewer');
  for (const severity of ['error', 'warning', 'information']) {
    assert.equal(reportCounts[severity], after.filter((d) => d.severity === severity).length, `${severity}s: ${finalSummary}`);
  }
  await ctx.screenshot('4-report-after-fixes');

  // 5. Problems: plain-text messages, and per file as many problems as the report (hints are not listed there).
  const problems = await ctx.readProblems({ minimumRows: after.length > 0 ? 1 : 0 });
  const messages = problems.filter((row) => row.level === 2);
  assert.ok(messages.length > 0 || after.length === 0, JSON.stringify(problems));
  const withBackticks = messages.filter((row) => row.text.includes('`'));
  assert.deepEqual(withBackticks.map((row) => row.text), [], 'no literal backticks in Problems');
  await ctx.screenshot('5-problems');
  await page.locator('.part.panel .title-actions .codicon-collapse-all, .part.panel .title-actions .codicon-tree-collapse-all').first().click({ timeout: 10_000 });
  await page.waitForFunction(() => [...document.querySelectorAll('.markers-panel .monaco-list-row')].every((row) => row.getAttribute('aria-level') === '1'), undefined, { timeout: 10_000 });
  const fileRows = await ctx.readProblems({ minimumRows: 0 });
  const shownInProblems = fileRows.filter((row) => row.level === 1).reduce((sum, row) => sum + Number(/^(\d+) problems?/.exec(row.label)?.[1] ?? Number.NaN), 0);
  const listed = after.filter((d) => d.severity !== 'hint').length;
  assert.equal(shownInProblems, listed, `Problems lists ${shownInProblems}, the report ${listed} (without hints):\n${fileRows.map((row) => row.label).join('\n')}`);

  // The status bar's built-in counters say the same.
  const counters = (await page.locator('.statusbar-item[id="status.problems"]').first().getAttribute('aria-label')) ?? '';
  const counter = (name) => Number(new RegExp(`${name}: (\\d+)`, 'i').exec(counters)?.[1] ?? 0);
  assert.equal(counter('errors'), reportCounts.error, counters);
  assert.equal(counter('warnings'), reportCounts.warning, counters);
  await ctx.screenshot('6-problems-by-file');
}
