/**
 * The migration report as a self-contained HTML page for a webview. No scripts: the Content-Security-Policy allows
 * nothing but the one style element carrying `nonce`. Every string from the workspace (messages, paths, host
 * output) is escaped. Free of `vscode` so it is unit-tested directly.
 */
import type { MigrationReport, ReportTable } from '../../core/report/migrationReport';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** The strict policy of the report page: no scripts, no remote content, only the nonce'd style. */
export function reportCsp(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'none'; script-src 'none'; form-action 'none'; frame-src 'none'`;
}

/** Renders the report; `nonce` must be fresh for each rendering (it is the only thing the CSP lets in). */
export function renderReportHtml(report: MigrationReport, nonce: string): string {
  const body = report.sections
    .map((section) => {
      const notes = section.notes.map((note) => `<p>${inlineCode(escapeHtml(note))}</p>`).join('\n');
      return `<section>\n<h2>${escapeHtml(section.title)}</h2>\n${notes}\n${section.tables.map(renderTable).join('\n')}\n</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(reportCsp(nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(report.title)}</title>
<style nonce="${escapeHtml(nonce)}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1.5em 2em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border: 1px solid var(--vscode-panel-border, #8884); padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: var(--vscode-editorWidget-background, #8881); }
td.status-fail, td.severity-error { color: var(--vscode-errorForeground, #f14c4c); font-weight: bold; }
td.status-pass { color: var(--vscode-testing-iconPassed, #73c991); }
td.severity-warning, td.status-could-not-check { color: var(--vscode-editorWarning-foreground, #cca700); }
code { font-family: var(--vscode-editor-font-family); }
.summary { opacity: 0.85; }
</style>
</head>
<body>
<h1>${escapeHtml(report.title)}</h1>
<p class="summary">${escapeHtml(report.summary)}</p>
${body}
</body>
</html>
`;
}

function renderTable(table: ReportTable): string {
  const caption = table.caption ? `<caption>${escapeHtml(table.caption)}</caption>` : '';
  if (table.rows.length === 0) return `<table>${caption}<tbody><tr><td>none</td></tr></tbody></table>`;
  const head = table.columns.some((column) => column !== '') ? `<thead><tr>${table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>` : '';
  const rows = table.rows.map((row) => `<tr>${row.map((cell, index) => `<td${cellClass(table.columns[index], cell)}>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table>${caption}${head}<tbody>\n${rows}\n</tbody></table>`;
}

/** Colours the status and severity columns (class names come from a fixed set, never from the cell text itself). */
function cellClass(column: string | undefined, cell: string): string {
  if (column === 'Status') {
    const status = cell === 'pass' ? 'pass' : cell === 'FAIL' ? 'fail' : 'could-not-check';
    return ` class="status-${status}"`;
  }
  if (column === 'Severity' && ['error', 'warning', 'information', 'hint'].includes(cell)) return ` class="severity-${cell}"`;
  return '';
}

/** `text` in backticks becomes <code> (applied after escaping, so it cannot create markup from input). */
function inlineCode(escaped: string): string {
  return escaped.replace(/`([^`]+)`/g, '<code>$1</code>');
}
