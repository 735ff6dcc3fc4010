/**
 * A finding says what and where in one plain-text headline (Problems, the CLI's line) and the rest in an explanation
 * (Markdown: the hover, the CLI's notes, JSON, SARIF, the report). Rules write both parts; the problems of reading
 * inputs (parse errors, snapshot files, limits) are written as sentences by many small parsers and are split here.
 */

/** Where a message's first statement ends: a semicolon, an em dash, or a full stop before a new sentence. */
const FIRST_BOUNDARY = /;\s+|\s+—\s+|\.\s+(?=[A-Z"`(])/;

/**
 * Splits a problem's message into its first statement, as a plain-text headline (code spans lose their backticks, the
 * final full stop goes), and the rest as the explanation (Markdown, first letter capitalised). Nothing is dropped.
 */
export function splitMessage(text: string): { message: string; explanation?: string } {
  const trimmed = text.trim();
  const boundary = FIRST_BOUNDARY.exec(trimmed);
  const head = boundary ? trimmed.slice(0, boundary.index) : trimmed;
  const rest = boundary ? trimmed.slice(boundary.index + boundary[0].length).trim() : '';
  const message = head.replace(/`/g, '').replace(/\.$/, '');
  if (!rest) return { message };
  // A plain word is capitalised ("it was cut there" → "It was…"); a name or code stays as written.
  return { message, explanation: /^(no|the|a|an|it|this|that|what|nothing|none|check|compose|use|fix|remove|add|rename|restore|extract|using)\s/.test(rest) ? `${rest.charAt(0).toUpperCase()}${rest.slice(1)}` : rest };
}

/** An input problem's message and explanation as a finding carries them: split unless it was written in two parts. */
export function problemText(problem: { message: string; explanation?: string }): { message: string; explanation?: string } {
  return problem.explanation === undefined ? splitMessage(problem.message) : { message: problem.message, explanation: problem.explanation };
}
