/**
 * Splits a compose file into blocks that YAML parses on its own exactly as it parses them inside the whole file:
 * one block per top-level key, and inside a plain `services:` block one block per service. The language server
 * re-parses only the block an edit touched (yamlParse.ts); the YAML parse of a whole file is most of an edit's cost.
 *
 * The split is only offered for the plain block style compose files are written in. Anything that could make a
 * block parse differently alone — directives, document markers, a byte order mark, a lone CR, tabs in indentation, a line at
 * a block's indentation that is not a simple `key:` — gives `undefined`, and the caller parses the whole file.
 * What the line scan cannot see (a quoted scalar or flow collection cut by a split, duplicate keys, the alias
 * limits) shows up when the blocks are parsed, and the caller falls back then too.
 */

export interface TextBlock {
  /** Offset of the block's first line in the file. */
  start: number;
  /** Its line number (0-based). */
  line: number;
  text: string;
}

export interface TopBlock extends TextBlock {
  /** For a `services:` key written alone on its line: one block per service, each starting at its key line. */
  services?: TextBlock[];
}

/** A simple mapping key at the start of `line`: plain (letters, digits, `_.-`) or quoted, followed by `:`. */
const SIMPLE_KEY = /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*|"[^"\\]*"|'[^']*')[ ]*:(?:[ ]|$)/;
const LONE_CR = /\r(?!\n)/;
const SERVICES_HEADER = /^services:[ ]*(?:#.*)?$/;
const SEQUENCE_ITEM = /^-(?:[ ]|$)/;

export function splitComposeBlocks(text: string): TopBlock[] | undefined {
  // A byte order mark, or a lone CR (a line break to YAML and to line numbers, not to this scan).
  if (text.charCodeAt(0) === 0xfeff || LONE_CR.test(text)) return undefined;
  const top: { start: number; line: number; services?: { start: number; line: number }[]; serviceIndent?: number }[] = [];
  let serviceIndent: number | undefined;
  let inServices = false;
  let lineStart = 0;
  let lineNumber = -1;
  // An indented comment after the last content line stretches the enclosing maps to the end of the file in the
  // whole parse, not in a block's: such a file is parsed whole.
  let indentedCommentAtEnd = false;
  // The least indented comment line since the last content line: a line of scalar text below such a comment
  // (`key:` / `#…` / `    value`) is an error or not depending on the lines after it (the `yaml` library's
  // reading), which a block that ends there does not see.
  let commentIndent = Infinity;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.charCodeAt(lineEnd - 1) === 13 ? text.slice(lineStart, lineEnd - 1) : text.slice(lineStart, lineEnd);
    const start = lineStart;
    lineStart = lineEnd + 1;
    lineNumber++;

    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    if (indent === line.length) continue; // blank
    const first = line[indent];
    if (first === '\t') return undefined;
    if (first === '#') {
      // A comment never changes the structure, wherever it sits.
      if (indent > 0) indentedCommentAtEnd = true;
      commentIndent = Math.min(commentIndent, indent);
      continue;
    }
    indentedCommentAtEnd = false;
    // A map entry or a sequence item may follow such a comment; anything else is a scalar's text.
    if (commentIndent < indent && !SIMPLE_KEY.test(line.slice(indent)) && !SEQUENCE_ITEM.test(line.slice(indent))) return undefined;
    commentIndent = Infinity;
    if (indent === 0) {
      if (first === '%' || line.startsWith('---') || line.startsWith('...') || !SIMPLE_KEY.test(line)) return undefined;
      inServices = SERVICES_HEADER.test(line);
      serviceIndent = undefined;
      top.push(inServices ? { start, line: lineNumber, services: [] } : { start, line: lineNumber });
      continue;
    }
    const current = top[top.length - 1];
    if (!current) return undefined; // content before the first key
    if (!inServices || !current.services) continue;
    serviceIndent ??= indent;
    current.serviceIndent = serviceIndent;
    if (indent < serviceIndent) return undefined;
    if (indent > serviceIndent) continue;
    if (!SIMPLE_KEY.test(line.slice(indent))) return undefined;
    current.services.push({ start, line: lineNumber });
  }
  if (top.length === 0 || indentedCommentAtEnd) return undefined;

  return top.map((block, index): TopBlock => {
    const end = top[index + 1]?.start ?? text.length;
    const result: TopBlock = { start: block.start, line: block.line, text: text.slice(block.start, end) };
    const services = block.services;
    if (services && services.length > 0) {
      // A map that ends in an empty value reaches up to the next token: in the whole file, the next service's key.
      // The indentation before that key is appended so that the block's ranges end where the whole parse's do.
      const nextKeyIndent = ' '.repeat(block.serviceIndent ?? 0);
      result.services = services.map((service, i) => {
        const next = services[i + 1]?.start;
        return { ...service, text: next === undefined ? text.slice(service.start, end) : text.slice(service.start, next) + nextKeyIndent };
      });
    }
    return result;
  });
}
