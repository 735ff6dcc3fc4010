import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, renderReportHtml, reportCsp } from '../../../src/client/report/reportHtml';
import { buildMigrationReport } from '../../../src/core/report/migrationReport';

const hostile = '<script>alert("x")</script> & \'quoted\'';

function render() {
  const report = buildMigrationReport({
    workspace: 'home<lab>',
    findings: [{ file: 'a/compose.yaml', line: 3, rule: 'puid-unmapped', severity: 'error', message: hostile }],
    snapshotDir: '.nixos-homelab/snapshot',
    verify: { at: '2025-03-09', report: { version: 1, host: 'nixos', checks: [{ id: 'user:palav', status: 'fail', detail: hostile, fix: 'set `users.users.palav.uid = 1000;`' }] } },
  });
  return renderReportHtml(report, 'abc123');
}

test('the page has a strict CSP: no scripts, only the nonce-carrying style', () => {
  const html = render();
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;nonce-abc123&#39;;[^"]*script-src &#39;none&#39;/);
  assert.match(html, /<style nonce="abc123">/);
  assert.doesNotMatch(html, /<script/i);
  assert.equal(reportCsp('n').includes("'unsafe-inline'"), false);
});

test('everything from the workspace is escaped', () => {
  const html = render();
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;'));
  assert.ok(html.includes('<title>NixOS Homelab Migration Report — home&lt;lab&gt;</title>'));
  assert.equal(escapeHtml('a<b>&"\''), 'a&lt;b&gt;&amp;&quot;&#39;');
});

test('tables: header cells, status and severity classes, "none" for an empty table', () => {
  const html = render();
  assert.match(html, /<th>Rule<\/th><th>Severity<\/th><th>Count<\/th><th>Files<\/th>/);
  assert.match(html, /<td class="severity-error">error<\/td>/);
  assert.match(html, /<td class="status-fail">FAIL<\/td>/);
  assert.match(html, /<h2>Verify<\/h2>/);
  // Backticks in notes become <code>; in table cells they stay text.
  assert.match(html, /<td>set `users.users.palav.uid = 1000;`<\/td>/);
  const empty = renderReportHtml({ title: 't', summary: 's', sections: [{ title: 'S', notes: ['run `x`'], tables: [{ caption: 'Users', columns: ['Name'], rows: [] }] }] }, 'n');
  assert.match(empty, /<caption>Users<\/caption><tbody><tr><td>none<\/td><\/tr><\/tbody>/);
  assert.match(empty, /<p>run <code>x<\/code><\/p>/);
});
