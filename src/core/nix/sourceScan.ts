/**
 * A light reading of Nix source text for the few places that need structure the module reader does not give: the
 * hosts a `flake.nix` (or a Colmena hive, or a flake-parts module) declares, and the functions that build them.
 * Nothing is evaluated. Offsets always refer to the original text: comments are blanked, never removed.
 */

export interface Span {
  start: number;
  end: number;
}

/** An attribute of a set as written: its attribute path (`nas`, `"hosts/nas"`, `modules.nixos.nas`) and its value. */
export interface SetBinding {
  name: string;
  value: Span;
}

/** The text with `#` and `/* … *\/` comments replaced by spaces (line breaks kept), strings left as they are. */
export function blankComments(text: string): string {
  // Copied in slices, a comment as spaces (its line breaks kept): the text is as long as before, offsets hold.
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' || (ch === "'" && text[i + 1] === "'")) {
      i = stringEnd(text, i);
      continue;
    }
    if (ch === '#') {
      const start = i;
      while (i < text.length && text[i] !== '\n') i++;
      out += text.slice(copied, start) + ' '.repeat(i - start);
      copied = i;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      out += text.slice(copied, i) + text.slice(i, end).replace(/[^\n]/g, ' ');
      copied = i = end;
      continue;
    }
    i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The offset just past the string starting at `start` (`"…"` with escapes, or `''…''`). */
function stringEnd(text: string, start: number): number {
  if (text[start] === '"') {
    for (let i = start + 1; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') return i + 1;
    }
    return text.length;
  }
  for (let i = start + 2; i < text.length; i++) {
    if (text[i] === "'" && text[i + 1] === "'") {
      // `'''`, `''$` and `''\` are escapes inside an indented string.
      if (text[i + 2] === "'" || text[i + 2] === '$' || text[i + 2] === '\\') {
        i += 2;
        continue;
      }
      return i + 2;
    }
  }
  return text.length;
}

const OPEN: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

/** The offset of the bracket closing the one at `open` (strings skipped), or the text's length. */
export function closingBracket(text: string, open: number): number {
  const stack: string[] = [];
  let i = open;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"' || (ch === "'" && text[i + 1] === "'")) {
      i = stringEnd(text, i);
      continue;
    }
    if (OPEN[ch]) stack.push(OPEN[ch] as string);
    else if (ch === '}' || ch === ']' || ch === ')') {
      stack.pop();
      if (stack.length === 0) return i;
    }
    i++;
  }
  return text.length;
}

/** The value that starts at `from` (after `=`) and ends before its `;` at the same depth. */
export function valueSpan(text: string, from: number): Span {
  let i = from;
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  const start = i;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === ';') break;
    if (ch === '"' || (ch === "'" && text[i + 1] === "'")) {
      i = stringEnd(text, i);
      continue;
    }
    if (OPEN[ch]) {
      i = closingBracket(text, i) + 1;
      continue;
    }
    if (ch === '}' || ch === ']' || ch === ')') break;
    i++;
  }
  let end = i;
  while (end > start && /\s/.test(text[end - 1] as string)) end--;
  return { start, end };
}

/** The bindings written directly in the set whose `{` is at `open` (`inherit` skipped). */
export function setBindings(text: string, open: number): SetBinding[] {
  const close = closingBracket(text, open);
  const bindings: SetBinding[] = [];
  let i = open + 1;
  while (i < close) {
    while (i < close && /[\s;]/.test(text[i] as string)) i++;
    if (i >= close) break;
    const nameMatch = /^((?:[A-Za-z_][\w'-]*|"[^"$]*")(?:\s*\.\s*(?:[A-Za-z_][\w'-]*|"[^"$]*"))*)\s*=(?!=)/.exec(text.slice(i, Math.min(close, i + 400)));
    if (!nameMatch) {
      // `inherit …;`, `${x} = …;` or something this reader does not follow: skip to the end of the statement.
      const skipped = valueSpan(text, i);
      i = Math.max(skipped.end, i) + 1;
      continue;
    }
    const value = valueSpan(text, i + nameMatch[0].length);
    bindings.push({ name: (nameMatch[1] as string).split(/\s*\.\s*/).map(unquote).join('.'), value });
    i = value.end + 1;
  }
  return bindings;
}

/** The value of a binding `name = …;` anywhere in the text (a `let` binding, an attribute), the first one. */
export function bindingValue(text: string, name: string): Span | undefined {
  const pattern = new RegExp(`(?:^|[\\s{;])${escapeRegExp(name)}\\s*=(?!=)`, 'g');
  const match = pattern.exec(text);
  return match ? valueSpan(text, match.index + match[0].length) : undefined;
}

/** Strings written in a list (`[ "nas" "pi" ]`). */
export function listStrings(text: string): string[] {
  return [...text.matchAll(/"([^"$\\]*)"/g)].map((match) => match[1] as string);
}

/**
 * Path literals written in a text (`./hosts/nas`, `../modules/docker.nix`, `./hosts/${name}`), each with its offset;
 * `(./hosts + "/${name}")` is read as one path.
 */
export function pathLiterals(text: string): { written: string; offset: number }[] {
  const found: { written: string; offset: number }[] = [];
  for (const match of text.matchAll(/(?<![\w./-])(\.{1,2}\/[\w./${}-]*[\w}])(?:\s*\+\s*"(\/[^"]*)")?/g)) {
    found.push({ written: `${match[1] as string}${match[2] ?? ''}`, offset: match.index ?? 0 });
  }
  return found;
}

export function unquote(text: string): string {
  return text.replace(/^"(.*)"$/s, '$1');
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
