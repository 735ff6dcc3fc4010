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

/**
 * Where the report's links go (command URIs in the editor): a finding's file at its line, a rule's documentation,
 * and actions offered above the findings (Add to imports, Use as host snapshot). Without links the page is plain.
 */
export interface ReportLinks {
  /** `file` relative to the workspace folder, `line` 1-based. */
  location(file: string, line: number): string;
  rule(rule: string): string;
  actions?: { label: string; href: string }[];
}

/** Renders the report; `nonce` must be fresh for each rendering (it is the only thing the CSP lets in). */
export function renderReportHtml(report: MigrationReport, nonce: string, links?: ReportLinks): string {
  const body = report.sections
    .map((section) => {
      const notes = section.notes.map((note) => `<p>${inlineCode(escapeHtml(note))}</p>`).join('\n');
      return `<section>\n<h2>${escapeHtml(section.title)}</h2>\n${notes}\n${section.tables.map((table) => renderTable(table, links)).join('\n')}\n</section>`;
    })
    .join('\n');
  const actions = links?.actions?.length
    ? `<ul class="actions">${links.actions.map((action) => `<li><a class="action" href="${escapeHtml(action.href)}">${escapeHtml(action.label)}</a></li>`).join('')}</ul>`
    : '';
  // The title is "<report> — <workspace>": the workspace goes on its own line, so a long folder name never splits the title.
  const dash = report.title.indexOf(' — ');
  const heading = dash < 0 ? escapeHtml(report.title) : `${escapeHtml(report.title.slice(0, dash))}<span class="workspace">${escapeHtml(report.title.slice(dash + 3))}</span>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(reportCsp(nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(report.title)}</title>
<style nonce="${escapeHtml(nonce)}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1.5em 2em; max-width: 90em; }
h1 { font-size: 1.6em; line-height: 1.3; margin: 0.8em 0 0.3em; overflow-wrap: anywhere; text-wrap: balance; }
h1 .workspace { display: block; font-size: 0.6em; font-weight: normal; opacity: 0.75; }
h2 { font-size: 1.25em; line-height: 1.3; margin: 1.2em 0 0.4em; padding-bottom: 0.2em; border-bottom: 1px solid var(--vscode-panel-border, #8884); overflow-wrap: anywhere; text-wrap: balance; }
p { max-width: 60em; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; max-width: 100%; }
td { overflow-wrap: anywhere; }
td.line, td.rule, td[class^="severity-"], th { white-space: nowrap; }
td.message { min-width: 14em; }
td.path { overflow-wrap: normal; min-width: 8em; }
td.message summary { cursor: pointer; }
td.message details p { margin: 0.4em 0 0; opacity: 0.9; }
a { color: var(--vscode-textLink-foreground); text-decoration: none; }
a:hover { text-decoration: underline; color: var(--vscode-textLink-activeForeground, var(--vscode-textLink-foreground)); }
ul.actions { padding-left: 1.2em; }
a.action { font-weight: bold; }
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
<h1>${heading}</h1>
<p class="summary">${escapeHtml(report.summary)}</p>
${actions}
${body}
</body>
</html>
`;
}

function renderTable(table: ReportTable, links: ReportLinks | undefined): string {
  const caption = table.caption ? `<caption>${escapeHtml(table.caption)}</caption>` : '';
  if (table.rows.length === 0) return `<table>${caption}<tbody><tr><td>none</td></tr></tbody></table>`;
  const head = table.columns.some((column) => column !== '') ? `<thead><tr>${table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>` : '';
  const rows = table.rows
    .map((row, rowIndex) => `<tr>${row.map((cell, index) => renderCell(table.columns, row, index, cell, links, table.details?.[rowIndex])).join('')}</tr>`)
    .join('\n');
  return `<table>${caption}${head}<tbody>\n${rows}\n</tbody></table>`;
}

/** A cell, linked where the column says what it is: File and Line (with the row's line), Files, Rule. */
function renderCell(columns: readonly string[], row: readonly string[], index: number, cell: string, links: ReportLinks | undefined, details: string | undefined): string {
  const column = columns[index];
  const link = (href: string, text: string): string => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  if (links && (column === 'File' || column === 'Line')) {
    const file = row[columns.indexOf('File')];
    const line = Number(row[columns.indexOf('Line')] ?? '1');
    if (file !== undefined && Number.isInteger(line) && line > 0) {
      if (column === 'Line') return `<td class="location line">${link(links.location(file, line), cell)}</td>`;
      // A path breaks after a '/' only: `overflow-wrap: anywhere` cut "Projects/ai-agent" one letter per line.
      return `<td class="location path"><a href="${escapeHtml(links.location(file, line))}">${escapeHtml(cell).split('/').join('/<wbr>')}</a></td>`;
    }
  }
  if (links && column === 'Files') {
    return `<td>${cell.split(', ').filter(Boolean).map((file) => link(links.location(file, 1), file)).join(', ')}</td>`;
  }
  if (links && column === 'Rule') return `<td class="rule">${link(links.rule(cell), cell)}</td>`;
  if (column === 'Message') {
    if (!details) return `<td class="message">${escapeHtml(cell)}</td>`;
    return `<td class="message"><details><summary>${escapeHtml(cell)}</summary>${markdownParagraphs(details)}</details></td>`;
  }
  return `<td${cellClass(column, cell)}>${escapeHtml(cell)}</td>`;
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

/**
 * A finding's explanation (Markdown) as HTML: paragraphs at blank lines, `code` spans and **bold**; everything else
 * stays text (escaped first, so nothing in it becomes markup).
 */
function markdownParagraphs(markdown: string): string {
  return markdown
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => `<p>${inlineCode(escapeHtml(paragraph)).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>').replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** `text` in backticks becomes <code> (applied after escaping, so it cannot create markup from input). */
function inlineCode(escaped: string): string {
  return escaped.replace(/`([^`]+)`/g, '<code>$1</code>');
}
