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

test('with links: file and line open the finding, rule ids open their page, actions come first; hrefs are escaped', () => {
  const report = buildMigrationReport({
    workspace: 'a-workspace-with-a-very-long-name',
    findings: [{ file: 'docker/plex/docker-compose.yml', line: 8, rule: 'puid-unmapped', severity: 'error', message: 'm' }],
    snapshotDir: 'snapshot',
  });
  const html = renderReportHtml(report, 'n', {
    location: (file, line) => `command:open?${encodeURIComponent(JSON.stringify([file, line]))}`,
    rule: (rule) => `command:doc?["${rule}"]`,
    actions: [{ label: 'Add homelab.nix to the imports of configuration.nix', href: 'command:add?[]' }],
  });
  const at = `command:open?${encodeURIComponent(JSON.stringify(['docker/plex/docker-compose.yml', 8]))}`;
  assert.ok(html.includes(`<td class="location path"><a href="${at}">docker/<wbr>plex/<wbr>docker-compose.yml</a></td><td class="location line"><a href="${at}">8</a></td>`), html);
  assert.ok(html.includes('<td class="rule"><a href="command:doc?[&quot;puid-unmapped&quot;]">puid-unmapped</a></td>'));
  assert.ok(html.includes(`<a href="command:open?${encodeURIComponent(JSON.stringify(['docker/plex/docker-compose.yml', 1]))}">docker/plex/docker-compose.yml</a>`), 'the Files column links each file');
  assert.ok(html.indexOf('class="action"') < html.indexOf('<h2>Findings</h2>'));
  // The workspace name is its own line under the title; long words break instead of overflowing.
  assert.match(html, /<h1>NixOS Homelab Migration Report<span class="workspace">a-workspace-with-a-very-long-name<\/span><\/h1>/);
  assert.match(html, /h1 \{[^}]*overflow-wrap: anywhere/);
});

test('without links the page has no anchors', () => {
  assert.doesNotMatch(render(), /<a /);
});

test('a finding shows its headline, with its explanation in a <details> under it: escaped, code spans as <code>, no literal backticks', () => {
  const report = buildMigrationReport({
    workspace: 'lab',
    findings: [
      { file: 'a/compose.yaml', line: 3, rule: 'puid-unmapped', severity: 'warning', message: 'PUID 1000 of service plex: users.users.palav has no fixed uid', explanation: 'NixOS allocates one <dynamically>.\n\nFix: declare `users.users.palav.uid = 1000;`.' },
      { file: 'a/compose.yaml', line: 9, rule: 'docker-not-enabled', severity: 'error', message: 'Docker is off' },
    ],
    snapshotDir: 'snap',
  });
  const html = renderReportHtml(report, 'n');
  assert.ok(html.includes('<td class="message"><details><summary>PUID 1000 of service plex: users.users.palav has no fixed uid</summary><p>NixOS allocates one &lt;dynamically&gt;.</p><p>Fix: declare <code>users.users.palav.uid = 1000;</code>.</p></details></td>'), html);
  assert.ok(html.includes('<td class="message">Docker is off</td>'));
  const findingsTable = html.slice(html.indexOf('By file'), html.indexOf('</table>', html.indexOf('By file')));
  assert.doesNotMatch(findingsTable, /`/);
});
