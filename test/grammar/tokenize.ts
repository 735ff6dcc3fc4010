// Loads the Nix grammars the way VS Code does (vscode-textmate + the Oniguruma wasm) and renders tokens as
// snapshot lines, so grammar tests can compare whole files and pick single tokens.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

export const repoRoot = join(__dirname, '..', '..');
export const grammarFixtures = join(repoRoot, 'test', 'fixtures', 'grammar');

const grammarFiles: Record<string, string> = {
  'source.nix': join(repoRoot, 'syntaxes', 'nix.tmLanguage.json'),
  'source.nix.shell-injection': join(repoRoot, 'syntaxes', 'nix-shell-injection.tmLanguage.json'),
  // VS Code ships the real shellscript grammar; tests use a small stand-in with the same scope names.
  'source.shell': join(grammarFixtures, 'shellscript.stub.tmLanguage.json'),
};

/** One token of one line; `line` and the columns are 1-based, `end` exclusive. */
export interface Token {
  line: number;
  start: number;
  end: number;
  text: string;
  scopes: string[];
}

let wasmLoaded: Promise<void> | undefined;
function loadOniguruma(): Promise<void> {
  wasmLoaded ??= (async () => {
    const wasm = readFileSync(join(repoRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  })();
  return wasmLoaded;
}

/** Options for {@link loadNixGrammar}: `withShell: false` simulates a VS Code without the shellscript grammar. */
export interface GrammarOptions {
  withShell?: boolean;
  withInjection?: boolean;
  /** Replace our source.nix by a stand-in for another extension's grammar, to test the injection on top of it. */
  foreignNixGrammar?: boolean;
}

/** Loads `source.nix` with the shell injection, as the extension contributes them. */
export async function loadNixGrammar(options: GrammarOptions = {}): Promise<vsctm.IGrammar> {
  const { withShell = true, withInjection = true, foreignNixGrammar = false } = options;
  await loadOniguruma();
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName === 'source.shell' && !withShell) return null;
      const file = scopeName === 'source.nix' && foreignNixGrammar ? join(grammarFixtures, 'foreign-nix.stub.tmLanguage.json') : grammarFiles[scopeName];
      return file === undefined ? null : vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file);
    },
    getInjections: (scopeName: string) =>
      scopeName === 'source.nix' && withInjection ? ['source.nix.shell-injection'] : undefined,
  });
  const grammar = await registry.loadGrammar('source.nix');
  if (grammar === null) throw new Error('source.nix did not load');
  return grammar;
}

/** Tokenizes a whole text line by line, carrying the rule stack across lines as an editor does. */
export function tokenize(grammar: vsctm.IGrammar, text: string): Token[] {
  const tokens: Token[] = [];
  let state = vsctm.INITIAL;
  text.split('\n').forEach((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    for (const token of result.tokens) {
      const end = Math.min(token.endIndex, line.length);
      if (end <= token.startIndex) continue;
      tokens.push({ line: index + 1, start: token.startIndex + 1, end: end + 1, text: line.slice(token.startIndex, end), scopes: token.scopes });
    }
  });
  return tokens;
}

/**
 * Snapshot line of a token: `line:col-col 'text' scopes` (root scope left out). Whitespace-only tokens are
 * skipped: their scopes only repeat their neighbours' and make diffs noisy.
 */
export function snapshotLines(tokens: Token[]): string[] {
  return tokens
    .filter((token) => token.text.trim() !== '')
    .map((token) => {
      const text = token.text.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
      return `${token.line}:${token.start}-${token.end} '${text}' ${token.scopes.slice(1).join(' ')}`;
    });
}
