import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { grammarFixtures, loadNixGrammar, repoRoot, snapshotLines, tokenize, type Token } from './tokenize';
import { describeFirstDifference, matchSnapshot } from './snapshot';

const fixtureNames = readdirSync(grammarFixtures).filter((name) => name.endsWith('.nix')).sort();

function readFixture(name: string): string {
  return readFileSync(join(grammarFixtures, name), 'utf8');
}

/** The `occurrence`-th token on `line` whose text is exactly `text` (1-based line). */
function tokenAt(tokens: Token[], line: number, text: string, occurrence = 1): Token {
  const found = tokens.filter((token) => token.line === line && token.text === text);
  const token = found[occurrence - 1];
  assert.ok(token, `no token ${JSON.stringify(text)} (#${occurrence}) on line ${line}; line has: ${tokens.filter((t) => t.line === line).map((t) => JSON.stringify(t.text)).join(' ')}`);
  return token;
}

/** Line number (1-based) of the first fixture line containing `needle`. */
function lineOf(source: string, needle: string): number {
  const index = source.split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `fixture has no line containing ${JSON.stringify(needle)}`);
  return index + 1;
}

function hasScope(token: Token, prefix: string): boolean {
  return token.scopes.some((scope) => scope === prefix || scope.startsWith(prefix + '.'));
}

test('grammar fixtures are present', () => {
  assert.deepEqual(fixtureNames, ['all-constructs.nix', 'half-typed.nix', 'homelab-configuration.nix', 'unit-scripts.nix']);
});

for (const name of fixtureNames) {
  test(`tokens of ${name} match the committed snapshot`, async () => {
    const grammar = await loadNixGrammar();
    const lines = snapshotLines(tokenize(grammar, readFixture(name)));
    const result = matchSnapshot(join(grammarFixtures, `${name}.snap`), lines);
    if (result.status === 'mismatch') assert.fail(result.message);
  });
}

test('every regex compiles with Oniguruma and every local include resolves', async () => {
  await loadNixGrammar(); // loads the wasm
  for (const file of ['nix.tmLanguage.json', 'nix-shell-injection.tmLanguage.json']) {
    const grammar = JSON.parse(readFileSync(join(repoRoot, 'syntaxes', file), 'utf8')) as Record<string, unknown>;
    const repository = (grammar.repository ?? {}) as Record<string, unknown>;
    const problems: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((child, index) => walk(child, `${path}[${index}]`));
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (['match', 'begin', 'end', 'while'].includes(key) && typeof value === 'string') {
          try {
            new oniguruma.OnigScanner([value]).dispose();
          } catch (error) {
            problems.push(`${path}.${key}: ${String(error)}`);
          }
        }
        if (key === 'include' && typeof value === 'string' && value.startsWith('#') && !(value.slice(1) in repository)) {
          problems.push(`${path}: include ${value} has no repository entry`);
        }
        walk(value, `${path}.${key}`);
      }
    };
    walk(grammar, file);
    assert.deepEqual(problems, []);
  }
});

test('homelab configuration: key tokens', async () => {
  const source = readFixture('homelab-configuration.nix');
  const tokens = tokenize(await loadNixGrammar(), source);

  const renderLine = lineOf(source, 'users.groups.render.gid');
  assert.ok(hasScope(tokenAt(tokens, renderLine, 'gid'), 'entity.other.attribute-name'));
  assert.ok(hasScope(tokenAt(tokens, renderLine, 'render'), 'entity.other.attribute-name'));
  assert.ok(hasScope(tokenAt(tokens, renderLine, 'mkForce'), 'support.function.lib'));
  assert.ok(hasScope(tokenAt(tokens, renderLine, '110'), 'constant.numeric'));

  const header = tokenAt(tokens, lineOf(source, '{ config, lib, pkgs, ... }:'), 'pkgs');
  assert.ok(hasScope(header, 'variable.parameter') && hasScope(header, 'meta.function.parameters'));

  const graphicsLine = lineOf(source, 'intel-media-driver');
  const driver = tokenAt(tokens, graphicsLine, 'intel-media-driver');
  assert.ok(hasScope(driver, 'variable.other'), 'list elements are values');
  assert.ok(!hasScope(driver, 'entity.name.function'), 'juxtaposed list elements are not a function call');

  const logOpts = tokenAt(tokens, lineOf(source, 'max-size'), 'max-size');
  assert.ok(hasScope(logOpts, 'entity.other.attribute-name'));

  // The systemd script: bash inside, Nix escapes and interpolation kept.
  const escapedLine = lineOf(source, "''${HOME} stays for bash");
  const escape = tokenAt(tokens, escapedLine, "''$");
  assert.ok(hasScope(escape, 'constant.character.escape'));
  const afterEscape = tokens.find((t) => t.line === escapedLine && t.text.startsWith('{HOME}'));
  assert.ok(afterEscape && !hasScope(afterEscape, 'meta.embedded.interpolation'), "''${ is an escape, not interpolation");

  const dockerLine = lineOf(source, '${pkgs.docker}/bin/docker');
  const open = tokenAt(tokens, dockerLine, '${');
  assert.ok(hasScope(open, 'punctuation.section.embedded.begin'));
  assert.ok(hasScope(open, 'meta.embedded.block.shell'), 'interpolation sits inside the embedded shell block');
  assert.ok(hasScope(tokenAt(tokens, dockerLine, 'docker'), 'variable.other.member'));
  assert.ok(hasScope(tokenAt(tokens, dockerLine, '||'), 'keyword.operator.pipe.shell'), 'bash is highlighted');

  const readLine = lineOf(source, 'read -r -d');
  const nul = tokenAt(tokens, readLine, "'''");
  assert.ok(hasScope(nul, 'constant.character.escape'), "''' is the Nix escape for '' (read -d '')");
  assert.ok(!hasScope(nul, 'string.quoted.single.shell'), "''' does not open a shell single-quoted string");
  assert.ok(hasScope(tokenAt(tokens, readLine, 'do'), 'keyword.control.shell'));

  const closing = tokenAt(tokens, lineOf(source, "    '';"), "''");
  assert.ok(hasScope(closing, 'punctuation.definition.string.end'));
  assert.ok(!hasScope(closing, 'meta.embedded.block.shell'));
  // After the script the grammar is back in plain Nix.
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'allowedTCPPorts'), 'allowedTCPPorts'), 'entity.other.attribute-name'));
});

test('all constructs: strings, comments, formals, attribute names', async () => {
  const source = readFixture('all-constructs.nix');
  const tokens = tokenize(await loadNixGrammar(), source);

  const plainLine = lineOf(source, 'plain = ');
  const hashInString = tokens.find((t) => t.line === plainLine && t.text.includes('# not a comment'));
  assert.ok(hashInString && hasScope(hashInString, 'string.quoted.double') && !hasScope(hashInString, 'comment'), '# in a string is text');
  assert.ok(hasScope(tokenAt(tokens, plainLine, '\\"'), 'constant.character.escape'));
  assert.ok(hasScope(tokenAt(tokens, plainLine, '\\$'), 'constant.character.escape'));

  // Nested braces inside an interpolation do not end it early.
  const nestedLine = lineOf(source, 'nested = ');
  const closers = tokens.filter((t) => t.line === nestedLine && hasScope(t, 'punctuation.section.embedded.end'));
  assert.equal(closers.length, 3);
  const tail = tokenAt(tokens, nestedLine, ' d');
  assert.deepEqual(tail.scopes.slice(1), ['string.quoted.double.nix'], 'back in the string after both interpolations');

  assert.ok(hasScope(tokenAt(tokens, lineOf(source, "keep ''${shellVar}"), "''\\n"), 'constant.character.escape'));
  const indentedHash = tokens.find((t) => t.line === lineOf(source, 'hash inside string') && t.text.includes('# hash'));
  assert.ok(indentedHash && !hasScope(indentedHash, 'comment'));

  // nixfmt-style header: `{` alone on the first line, formals below.
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, '  config,'), 'config'), 'variable.parameter'));
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, '}@args:'), 'args'), 'variable.parameter'));
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'named = args@'), 'args'), 'variable.parameter'));

  const quoted = tokenAt(tokens, lineOf(source, '"quoted-name" = 1'), 'quoted-name');
  assert.ok(hasScope(quoted, 'entity.other.attribute-name'));

  const pathsLine = lineOf(source, 'paths = [');
  for (const path of ['./foo', '../x/y.nix', '/etc/nixos', '~/src', '<nixpkgs>', './hosts/']) {
    assert.ok(hasScope(tokenAt(tokens, pathsLine, path), 'string.unquoted.path'), path);
  }
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'url = '), 'https://example.org/archive.tar.gz?rev=1'), 'string.unquoted.url'));
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'numbers = '), '2.0e3'), 'constant.numeric.float'));
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'selected = '), 'or'), 'keyword.operator.or'));
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'checked = '), 'inc'), 'entity.name.function.call'));
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'checked = '), 'throw'), 'support.function.builtin'));
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'ops = '), '//'), 'keyword.operator.update'));
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'ops = '), '++'), 'keyword.operator.concat'));
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'inherit (pkgs)'), 'findutils'), 'entity.other.attribute-name'));
});

test('half-typed file: highlighting recovers after an unclosed list', async () => {
  const source = readFixture('half-typed.nix');
  const tokens = tokenize(await loadNixGrammar(), source);
  const recovered = tokenAt(tokens, lineOf(source, '{ a = 1; }'), 'a');
  assert.ok(hasScope(recovered, 'entity.other.attribute-name'));
  assert.ok(!hasScope(recovered, 'meta.list'), 'the unclosed list ended at the `}`');
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'lib.mkForce'), 'mkForce'), 'support.function.lib'));
});

test('unit scripts: one-line, multi-line, derivation writers; other strings stay plain', async () => {
  const source = readFixture('unit-scripts.nix');
  const tokens = tokenize(await loadNixGrammar(), source);

  const preStart = lineOf(source, 'preStart = ');
  assert.ok(hasScope(tokenAt(tokens, preStart, 'echo'), 'meta.embedded.line.shell'));
  assert.ok(hasScope(tokenAt(tokens, preStart, 'restic'), 'meta.embedded.interpolation'));
  const preStartEnd = tokens.filter((t) => t.line === preStart && hasScope(t, 'punctuation.definition.string.end'));
  assert.equal(preStartEnd.length, 1, "the closing '' after ''' escapes is found");

  const singleQuoted = lineOf(source, "echo 'single");
  const escapeInShellString = tokenAt(tokens, singleQuoted, "''$");
  assert.ok(hasScope(escapeInShellString, 'string.quoted.single.shell') && hasScope(escapeInShellString, 'constant.character.escape'));
  const hello = tokenAt(tokens, singleQuoted, 'hello');
  assert.ok(hasScope(hello, 'string.quoted.double.shell') && hasScope(hello, 'meta.embedded.interpolation'), 'Nix interpolation wins inside a shell string');
  const notComment = tokens.find((t) => t.line === singleQuoted && t.text.includes('# not a comment'));
  assert.ok(notComment && !hasScope(notComment, 'comment'));

  const commentLine = lineOf(source, 'trailing comment');
  assert.ok(hasScope(tokenAt(tokens, commentLine, 'coreutils'), 'meta.embedded.interpolation'), 'Nix interpolates inside bash comments');

  assert.ok(hasScope(tokenAt(tokens, lineOf(source, "      echo stopping''"), 'echo'), 'support.function.builtin.shell'));
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'serviceConfig.ExecStartPre'), 'ExecStartPre'), 'entity.other.attribute-name'));
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'echo "hi'), 'echo'), 'meta.embedded.block.shell'));

  const motd = tokens.find((t) => t.line === lineOf(source, 'Welcome ') && t.text.includes('echo is just text'));
  assert.ok(motd && !motd.scopes.some((scope) => scope.endsWith('.shell') || scope.includes('.shell.')), 'environment.etc text is not bash');
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'systemPackages = ['), 'systemPackages'), 'entity.other.attribute-name'));
});

test('without a source.shell grammar the script content falls back to the string scope', async () => {
  const source = readFixture('homelab-configuration.nix');
  const tokens = tokenize(await loadNixGrammar({ withShell: false }), source);
  const dockerLine = lineOf(source, '${pkgs.docker}/bin/docker');
  const text = tokens.find((t) => t.line === dockerLine && t.text.startsWith('/bin/docker compose'));
  assert.ok(text && hasScope(text, 'string.quoted.other'));
  // Only our own comment rule (which keeps ${…} visible in bash comments) may carry a .shell scope.
  const fromShellGrammar = tokens.filter((t) => t.scopes.some((scope) => /^(keyword|support|string|variable)\..*\.shell$/.test(scope)));
  assert.deepEqual(fromShellGrammar, []);
  assert.ok(hasScope(tokenAt(tokens, dockerLine, 'docker'), 'meta.embedded.interpolation'));
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'read -r -d'), "'''"), 'constant.character.escape'));
});

test('without the injection grammar, scripts are plain indented strings', async () => {
  const source = readFixture('homelab-configuration.nix');
  const tokens = tokenize(await loadNixGrammar({ withInjection: false }), source);
  const escape = tokenAt(tokens, lineOf(source, 'read -r -d'), "'''");
  assert.deepEqual(escape.scopes.slice(1), ['string.quoted.other.nix', 'constant.character.escape.nix']);
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'allowedTCPPorts'), 'allowedTCPPorts'), 'entity.other.attribute-name'));
});

test('the shell injection also works on top of another extension\'s source.nix grammar', async () => {
  const source = readFixture('homelab-configuration.nix');
  const tokens = tokenize(await loadNixGrammar({ foreignNixGrammar: true }), source);
  const readLine = lineOf(source, 'read -r -d');
  assert.ok(hasScope(tokenAt(tokens, readLine, "'''"), 'constant.character.escape'));
  assert.ok(hasScope(tokenAt(tokens, readLine, 'while'), 'keyword.control.shell'));
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, '${pkgs.docker}/bin/docker'), '${'), 'meta.embedded.interpolation'));
  assert.ok(hasScope(tokenAt(tokens, lineOf(source, 'script = '), 'script'), 'entity.other.attribute-name'));
  // The foreign grammar takes over again after the script.
  const after = tokenAt(tokens, lineOf(source, 'allowedTCPPorts'), 'networking.firewall.allowedTCPPorts');
  assert.ok(hasScope(after, 'meta.binding'), 'the next binding is the other grammar\'s');
});

test('snapshot differences are reported from the first differing line', () => {
  assert.equal(describeFirstDifference(['a', 'b'], ['a', 'b']), undefined);
  const message = describeFirstDifference(['a', 'b', 'c', 'd'], ['a', 'b', 'X', 'd']);
  assert.ok(message?.startsWith('first difference at snapshot line 3'));
  assert.match(message ?? '', /^- c$/m);
  assert.match(message ?? '', /^\+ X$/m);
  assert.match(message ?? '', /^ {2}b$/m);
  assert.match(describeFirstDifference(['a'], ['a', 'extra']) ?? '', /expected 1 lines, got 2/);
});
