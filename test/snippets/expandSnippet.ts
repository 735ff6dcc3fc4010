// A small expander for VS Code / TextMate snippet bodies, so tests can check what a snippet inserts when the
// user accepts every default. It follows VS Code's SnippetParser where it matters here: `$1`, `${1}`,
// `${1:default}` (defaults may nest), `${1|a,b|}` (first choice), mirrors of a tabstop take its default,
// `$NAME`/`${NAME}`/`${NAME:default}` variables, escapes `\$` `\}` `\\` (and `\,` `\|` in choices), and a `$`
// that starts no valid construct stays literal text. Transforms (`${1/…/…/}`) are not supported and stay text.

type SnippetNode =
  | { kind: 'text'; value: string }
  | { kind: 'tabstop'; index: number; children?: SnippetNode[] }
  | { kind: 'choice'; index: number; options: string[] }
  | { kind: 'variable'; name: string; children?: SnippetNode[] };

/** Options for {@link expandSnippet}. */
export interface ExpandOptions {
  /** Values of the `TM_*`, `CURRENT_*`… variables; unknown names are reported and inserted as their name. */
  variables?: Record<string, string>;
  /** What a tab character in the body becomes (VS Code inserts the editor's indentation unit). */
  indent?: string;
}

/** Result of {@link expandSnippet}. */
export interface ExpandedSnippet {
  text: string;
  /** Variables VS Code does not know: it would insert their bare name, which is almost always a missing `\$`. */
  unknownVariables: string[];
}

/** Variables VS Code resolves, with stable sample values for tests. */
export const defaultSnippetVariables: Record<string, string> = {
  TM_FILENAME: 'configuration.nix',
  TM_FILENAME_BASE: 'configuration',
  TM_DIRECTORY: '/etc/nixos',
  TM_FILEPATH: '/etc/nixos/configuration.nix',
  RELATIVE_FILEPATH: 'configuration.nix',
  TM_SELECTED_TEXT: '',
  TM_CURRENT_LINE: '',
  TM_CURRENT_WORD: '',
  TM_LINE_INDEX: '0',
  TM_LINE_NUMBER: '1',
  CLIPBOARD: '',
  WORKSPACE_NAME: 'homelab',
  WORKSPACE_FOLDER: '/home/palav/homelab',
  CURRENT_YEAR: '2025',
  CURRENT_YEAR_SHORT: '25',
  CURRENT_MONTH: '01',
  CURRENT_DATE: '01',
  CURRENT_HOUR: '00',
  CURRENT_MINUTE: '00',
  CURRENT_SECOND: '00',
  LINE_COMMENT: '#',
  BLOCK_COMMENT_START: '/*',
  BLOCK_COMMENT_END: '*/',
  UUID: '00000000-0000-4000-8000-000000000000',
};

class Parser {
  private position = 0;
  constructor(private readonly source: string) {}

  /** Parses until the end, or until an unescaped `}` when `nested` (the `}` is left for the caller). */
  parseSequence(nested: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    let text = '';
    const flush = (): void => {
      if (text !== '') nodes.push({ kind: 'text', value: text });
      text = '';
    };
    while (this.position < this.source.length) {
      const char = this.source[this.position]!;
      if (char === '\\' && '$}\\'.includes(this.source[this.position + 1] ?? '')) {
        text += this.source[this.position + 1];
        this.position += 2;
      } else if (char === '}' && nested) {
        break;
      } else if (char === '$') {
        const start = this.position;
        const node = this.parseDollar();
        if (node === undefined) {
          this.position = start + 1;
          text += '$';
        } else {
          flush();
          nodes.push(node);
        }
      } else {
        text += char;
        this.position++;
      }
    }
    flush();
    return nodes;
  }

  private parseDollar(): SnippetNode | undefined {
    this.position++; // '$'
    const simple = /^(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(this.source.slice(this.position));
    if (simple) {
      this.position += simple[0].length;
      return /^\d/.test(simple[0]) ? { kind: 'tabstop', index: Number(simple[0]) } : { kind: 'variable', name: simple[0] };
    }
    if (this.source[this.position] !== '{') return undefined;
    this.position++;
    const head = /^(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(this.source.slice(this.position));
    if (!head) return undefined;
    this.position += head[0].length;
    const isTabstop = /^\d/.test(head[0]);
    const next = this.source[this.position];
    if (next === '}') {
      this.position++;
      return isTabstop ? { kind: 'tabstop', index: Number(head[0]) } : { kind: 'variable', name: head[0] };
    }
    if (next === ':') {
      this.position++;
      const children = this.parseSequence(true);
      if (this.source[this.position] !== '}') return undefined;
      this.position++;
      return isTabstop ? { kind: 'tabstop', index: Number(head[0]), children } : { kind: 'variable', name: head[0], children };
    }
    if (next === '|' && isTabstop) return this.parseChoice(Number(head[0]));
    return undefined;
  }

  private parseChoice(index: number): SnippetNode | undefined {
    this.position++; // '|'
    const options: string[] = [];
    let current = '';
    while (this.position < this.source.length) {
      const char = this.source[this.position]!;
      if (char === '\\' && ',|\\'.includes(this.source[this.position + 1] ?? '')) {
        current += this.source[this.position + 1];
        this.position += 2;
      } else if (char === ',') {
        options.push(current);
        current = '';
        this.position++;
      } else if (char === '|' && this.source[this.position + 1] === '}') {
        options.push(current);
        this.position += 2;
        return { kind: 'choice', index, options };
      } else {
        current += char;
        this.position++;
      }
    }
    return undefined;
  }
}

/** Parses a snippet body (string or VS Code's array of lines) into nodes. */
export function parseSnippet(body: string | string[]): SnippetNode[] {
  return new Parser(Array.isArray(body) ? body.join('\n') : body).parseSequence(false);
}

/** Expands a snippet body the way accepting every default placeholder in VS Code would. */
export function expandSnippet(body: string | string[], options: ExpandOptions = {}): ExpandedSnippet {
  const variables = options.variables ?? defaultSnippetVariables;
  const nodes = parseSnippet(body);
  const unknownVariables: string[] = [];

  // A tabstop's value is its first default or choice anywhere in the body; bare mirrors copy it.
  const defaults = new Map<number, SnippetNode[] | string>();
  const collect = (list: SnippetNode[]): void => {
    for (const node of list) {
      if (node.kind === 'tabstop' && node.children && !defaults.has(node.index)) defaults.set(node.index, node.children);
      if (node.kind === 'choice' && !defaults.has(node.index)) defaults.set(node.index, node.options[0] ?? '');
      if ((node.kind === 'tabstop' || node.kind === 'variable') && node.children) collect(node.children);
    }
  };
  collect(nodes);

  const render = (list: SnippetNode[]): string =>
    list
      .map((node): string => {
        switch (node.kind) {
          case 'text':
            return node.value;
          case 'choice':
          case 'tabstop': {
            const value = defaults.get(node.index);
            if (value === undefined) return '';
            return typeof value === 'string' ? value : render(value);
          }
          case 'variable': {
            const known = variables[node.name];
            if (known !== undefined) return known;
            if (node.children) return render(node.children);
            unknownVariables.push(node.name);
            return node.name;
          }
        }
      })
      .join('');

  const text = render(nodes).replace(/\t/g, options.indent ?? '  ');
  return { text, unknownVariables };
}
