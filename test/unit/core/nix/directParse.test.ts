import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseNixDirect } from '../../../../src/core/nix/directParse';
import { initNixParser, parseNixWithTreeSitter } from '../../../../src/core/nix/syntax';
import type { NixSyntaxTree } from '../../../../src/core/nix/syntaxTree';
import { prng } from '../../helpers/prng';

// The direct reader is a fast path for tree-sitter: wherever it gives a tree, that tree must be tree-sitter's.

const REPO = path.resolve(__dirname, '../../../..');
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 300);

before(async () => {
  await initNixParser();
});

/** Compares as data: the trees must be equal property for property, `undefined` properties included. */
function assertSameTree(text: string, label: string): 'read' | 'left' {
  const direct = parseNixDirect(text);
  const reference = parseNixWithTreeSitter(text);
  if (!direct) return 'left';
  assert.deepStrictEqual(reference.errors, [], `${label}: the direct reader accepted a text tree-sitter finds errors in:\n${text}`);
  assert.deepStrictEqual(direct, reference, `${label}: trees differ for:\n${text}`);
  return 'read';
}

function nixFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.git', 'dist', '.generated'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) nixFiles(full, out);
    else if (entry.name.endsWith('.nix')) out.push(full);
  }
  return out;
}

test('every Nix file of the repository reads to the tree tree-sitter gives', () => {
  const files = nixFiles(REPO);
  assert.ok(files.length >= 10, `found ${files.length} .nix files`);
  const left: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (assertSameTree(text, path.relative(REPO, file)) === 'left' && parseNixWithTreeSitter(text).errors.length === 0) left.push(path.relative(REPO, file));
  }
  // The one file left to tree-sitter although it has no error shows every rare form on purpose (URIs, `.5`, `$${`).
  assert.deepStrictEqual(left, ['test/fixtures/grammar/all-constructs.nix']);
});

test('each form reads the same as with tree-sitter', () => {
  const cases = [
    '',
    '  # only a comment\n',
    '{ }',
    '{ config, lib, pkgs, ... }: { }',
    '{ a, b ? 1, ... }@args: a',
    'args@{ a }: a',
    '{ }: 1',
    '{ }@x: x',
    'x: y: x',
    '{ a, }: a',
    '{\n  lib,\n  pkgs ? import <nixpkgs> { },\n}:\nlib',
    'args@{ a ? [ ], b, }: a',
    '{ a = !x + y == z -> w // v ++ u; b = -f x.y or z; c = a ? b.c; d = a ? b ? c; }',
    '!a ? b',
    '-a ? b',
    'a + b ? c * d',
    'a < b <= c > d >= e && f || g != h / i',
    'a -> b -> c',
    'f -1',
    'f (-1)',
    'a.b or c d',
    'a.b.c or d.e or f',
    'a."b c".${d} or null',
    'if a then b else if c then d else e',
    'assert a; with b; let x = 1; y.z = 2; in x',
    '[ 1 1.5 0.5 01 ./a ../b/c.nix /etc/x ~/y <nixpkgs> <nixpkgs/lib> a/b f x "s" (g y) { } [ ] ]',
    'rec { a = 1; b = a; }',
    'f rec { } { a = 1; }',
    '{ inherit a b; inherit (x) c "d"; inherit (y.z) ${e}; }',
    '{ a /* c */ . /* d */ b = 1 /* e */ ; }',
    '{ inherit a # comment\n b; }',
    '{ "a\\"b" = 1; "${x}" = 2; "a${x}" = 3; ${y} = 4; }',
    '"a\\n\\${b}c${d}e${"f${g}"}"',
    "''\n  a ''${b} '''' ''\\n ${c}\n  $d\n''",
    "''${x}${y}''",
    '{ a = "é😀"; b = 1; }',
    'x: x.y.z',
    'a // b // c ++ d ++ e',
    '{ a = { b = { c = 1; }; }; }',
    'let in 1',
    'with a; b c',
    '(x: x) 1',
    'a-b-c a\'b',
    'a*b+c*d',
    'a/ b',
    // Interpolated paths (a flake's `./hosts/${name}`): the `${` after a `/` of a path, then anything Nix reads on.
    '[\n  ./hosts/${name}\n  ./modules/common.nix\n]',
    '{ a = /a/${b}.c/d; b = ~/a/${b}/c; c = ./a/b/${c}/d/${e}.nix; }',
    '[ ./a/${b}c ./a/${b}${c}d ./a/${b}.${c} ./a/${b}-1 ./a/${"x"} ./a/${ { x = "}"; }.x } ]',
    '(./a/${b}).c',
    './a/${./c/${d}} + ./e/${f}',
    '{ a ? ./x/${b}, c }: a',
    // `//` not followed by a path character is the update operator to tree-sitter-nix's path scanner too.
    'a//{ b = 1; }',
    'a//(b)',
    'a// b',
    'x.a // b',
    // A comment after a path ends it unless a path character follows the comment at once.
    './a /**/ b',
    './a /**/"s"',
    '<n> /**/x',
  ];
  for (const text of cases) assertSameTree(text, JSON.stringify(text));
});

test('forms read differently by Nix and tree-sitter-nix, errors and half-typed texts are left to tree-sitter', () => {
  const left = [
    '{ a = ; }',
    '{ a = 1 }',
    '{ a, ..., }: a',
    '{ a,, }: a',
    '{ a = 1;',
    'x:y',
    'https://example.org',
    'let { a = 1; }',
    '[ .5 ]',
    '[ 1.5e3 ]',
    '[ 1. ]',
    './a${b}',
    './${b}',
    'a/${b}',
    '[ ./a/${b}/ ]',
    '[ ./a/${b}//c ]',
    '[ ./a/${b}"s" ]',
    '[ ./a/${b}# c\n]',
    './a/',
    '"$${x}"',
    'a or b',
    '{ or = 1; }',
    '"unterminated',
    "''unterminated",
    '/* unterminated',
    '1 + if a then b else c',
    'a & b',
    // tree-sitter-nix's external scanner (scan_path_start) reads `[a-zA-Z0-9._+-/]*` as one path wherever an operand
    // may start, once a path character (or a `$`) follows a `/`: these are paths to it, `//` to Nix.
    '2.51//q',
    'b//q',
    'x.a//b',
    'b///q',
    '1 //q',
    '"x"//q',
    "''x''//q",
    '<n>//1',
    'a//${b}',
    // Where no operand may start, `//` is the operator again: rare, left too.
    'a ? b//c',
    // After a path, path characters right after a block comment go on with the path (scan_path_fragment).
    './a /**/b',
    './a /**/-1',
    '/a\n/**//q',
    '~/h /**/x',
    './a/${b} /**/c',
  ];
  for (const text of left) assert.equal(parseNixDirect(text), undefined, JSON.stringify(text));
});

/** Random Nix expressions from tree-sitter-nix's grammar, with comments and line breaks between the tokens. */
function generator(random: () => number): () => string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const names = ['a', 'b', 'x', 'pkgs', 'lib', 'config', 'true', 'null', 'foo-bar', "x'", '_u'];
  const separators = [' ', ' ', ' ', '\n  ', ' # note\n', ' /* c */ ', '\t'];
  const join = (tokens: string[]): string => tokens.reduce((text, token) => (text === '' ? token : text + pick(separators) + token), '');

  const attrName = (depth: number): string => pick([() => pick(names.slice(2)), () => '"q/r"', () => '"e\\"s"', () => `\${${expression(depth + 1)}}`, () => `"x\${${expression(depth + 1)}}"`])();
  const attrpath = (depth: number): string => join(Array.from({ length: 1 + Math.floor(random() * 3) }, () => attrName(depth)).flatMap((name, i) => (i === 0 ? [name] : ['.', name])));
  const bindings = (depth: number): string => join(Array.from({ length: Math.floor(random() * 4) }, () =>
    random() < 0.2 ? join(['inherit', ...(random() < 0.5 ? ['(', expression(depth + 1), ')'] : []), pick(names.slice(2)), ';']) : join([attrpath(depth), '=', expression(depth + 1), ';'])));
  const string = (depth: number): string => {
    const parts = Array.from({ length: Math.floor(random() * 4) }, () => pick([() => 'text', () => '\\n', () => '\\"', () => '\\${no}', () => '$', () => `\${${expression(depth + 1)}}`])());
    return `"${parts.join('')}"`;
  };
  const indentedString = (depth: number): string => {
    const parts = Array.from({ length: Math.floor(random() * 4) }, () => pick([() => 'line\n  ', () => "'''", () => "''${x}", () => "''\\n", () => '$', () => `\${${expression(depth + 1)}}`])());
    return `''\n  ${parts.join('')}\n''`;
  };
  const simple = (depth: number): string => {
    const leaves = [
      () => pick(names), () => String(Math.floor(random() * 100)), () => pick(['1.5', '0.25', '10.0']),
      () => pick(['./a.nix', '../b/c', '/etc/x', '~/y', '<nixpkgs>', 'a/b']), () => string(depth), () => indentedString(depth),
      () => `${pick(['./hosts', '/etc', '~/y', '../b/c'])}/\${${random() < 0.7 ? pick(names.slice(2)) : simple(depth + 1)}}${pick(['', '.nix', '/default.nix', '-1', '${x}'])}`,
    ];
    if (depth > 3) return pick(leaves)();
    return pick([
      ...leaves,
      () => join(['(', expression(depth + 1), ')']),
      () => join([random() < 0.2 ? 'rec {' : '{', bindings(depth), '}']),
      () => join(['[', ...Array.from({ length: Math.floor(random() * 3) }, () => select(depth + 1)), ']']),
    ])();
  };
  const select = (depth: number): string => {
    const target = simple(depth);
    if (random() < 0.7) return target;
    return join([target, '.', attrpath(depth), ...(random() < 0.3 ? ['or', select(depth + 1)] : [])]);
  };
  const application = (depth: number): string => (random() < 0.7 ? select(depth) : join([select(depth), ...Array.from({ length: 1 + Math.floor(random() * 2) }, () => select(depth + 1))]));
  const operators = ['->', '||', '&&', '==', '!=', '<', '<=', '>', '>=', '//', '+', '-', '*', '++'];
  const operation = (depth: number): string => {
    if (depth > 4) return application(depth);
    const r = random();
    if (r < 0.1) return join(['!', operation(depth + 1)]);
    if (r < 0.15) return join(['-', operation(depth + 1)]);
    if (r < 0.45) return join([operation(depth + 1), pick(operators), operation(depth + 1)]);
    if (r < 0.5) return join([operation(depth + 1), '?', attrpath(depth)]);
    return application(depth);
  };
  const formals = (depth: number): string => {
    const list = Array.from({ length: Math.floor(random() * 3) }, () => (random() < 0.3 ? join([pick(names.slice(2)), '?', expression(depth + 1)]) : pick(names.slice(2))));
    if (random() < 0.4) list.push('...');
    // nixfmt writes a comma after the last formal.
    const trailing = list.length > 0 && list[list.length - 1] !== '...' && random() < 0.4 ? [','] : [];
    return join(['{', ...list.flatMap((formal, i) => (i === 0 ? [formal] : [',', formal])), ...trailing, '}']);
  };
  function expression(depth: number): string {
    if (depth > 4) return operation(depth);
    return pick([
      () => join([pick(names.slice(2)), ':', expression(depth + 1)]),
      () => join([formals(depth), ':', expression(depth + 1)]),
      () => join([formals(depth), '@', 'args', ':', expression(depth + 1)]),
      () => join(['args', '@', formals(depth), ':', expression(depth + 1)]),
      () => join(['assert', expression(depth + 1), ';', expression(depth + 1)]),
      () => join(['with', expression(depth + 1), ';', expression(depth + 1)]),
      () => join(['let', bindings(depth), 'in', expression(depth + 1)]),
      () => join(['if', expression(depth + 1), 'then', expression(depth + 1), 'else', expression(depth + 1)]),
      () => operation(depth), () => operation(depth), () => operation(depth),
    ])();
  }
  return () => expression(0);
}

test(`generated expressions read to tree-sitter's tree (seed ${SEED}, ${ITERATIONS} cases)`, () => {
  const random = prng(SEED);
  const next = generator(random);
  let read = 0;
  for (let i = 0; i < ITERATIONS; i++) if (assertSameTree(next(), `generated case ${i} (seed ${SEED})`) === 'read') read++;
  // Most generated texts are plain Nix: the direct reader must take them, or this test checks little.
  assert.ok(read >= ITERATIONS * 0.6, `the direct reader took ${read} of ${ITERATIONS}`);
});

test(`half-typed versions of the repository's modules are left to tree-sitter or read the same (seed ${SEED})`, () => {
  const random = prng(SEED + 1);
  const texts = nixFiles(REPO).map((file) => readFileSync(file, 'utf8')).filter((text) => text.length < 20_000);
  const inserts = ['', '', ';', '}', '{', '"', "''", '=', '.', ' ', 'a', '${', '#', '/*', '(', ')', '[', ']', ':', '@', ',', '?', 'or', 'in', 'let ', '-', '/'];
  for (let i = 0; i < ITERATIONS; i++) {
    const text = texts[Math.floor(random() * texts.length)] as string;
    const at = Math.floor(random() * text.length);
    const removed = Math.floor(random() * 3);
    const edited = text.slice(0, at) + (inserts[Math.floor(random() * inserts.length)] as string) + text.slice(at + removed);
    assertSameTree(edited, `edit ${i} (seed ${SEED}) at ${at}`);
  }
});

test('a tree read directly is the same object type as one from tree-sitter (no extra keys, no missing ones)', () => {
  const text = readFileSync(path.join(REPO, 'examples/pop-os-homelab/nixos/configuration.nix'), 'utf8');
  const direct = parseNixDirect(text) as NixSyntaxTree;
  assert.ok(direct, 'the example configuration is read directly');
  assert.equal(JSON.stringify(direct), JSON.stringify(parseNixWithTreeSitter(text)));
});

test(`random strings of Nix tokens are left to tree-sitter or read the same (seed ${SEED})`, () => {
  const random = prng(SEED + 2);
  const tokens = ['{', '}', '[', ']', '(', ')', ';', ':', ',', '.', '=', '?', '@', '...', '${', '"', "''", "'", '\\', '$', '#', '/*', '*/', '\n', ' ', ' ', 'a', 'b', 'or', 'in', 'let', 'rec', 'inherit', 'if', 'then', 'else', 'with', 'assert', '1', '2.5', './p', '/q', '<n>', '~/h', '+', '-', '*', '/', '//', '++', '==', '!', '&&', '||', '->', '<', '>', 'é', '\t', '\r'];
  let read = 0;
  for (let i = 0; i < ITERATIONS * 20; i++) {
    let text = '';
    for (let k = 1 + Math.floor(random() * 14); k > 0; k--) text += tokens[Math.floor(random() * tokens.length)] as string;
    if (assertSameTree(text, `token string ${i} (seed ${SEED})`) === 'read') read++;
  }
  assert.ok(read > 0);
});
