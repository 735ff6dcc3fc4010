import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAttrName, decodeString } from '../../../../src/core/nix/strings';
import { initNixParser, parseNix } from '../../../../src/core/nix/syntax';
import type { NixStringExpression } from '../../../../src/core/nix/syntaxTree';

before(async () => {
  await initNixParser();
});

/** Parses `{ s = <literal>; }` and returns the source and the string expression. */
function stringOf(literal: string, prefix = '{ s = '): { source: string; string: NixStringExpression } {
  const source = `${prefix}${literal}; }`;
  const tree = parseNix(source);
  assert.deepEqual(tree.errors, [], 'fixture parses');
  const root = tree.root;
  assert.equal(root?.kind, 'attrset');
  const binding = root?.kind === 'attrset' ? root.bindings[0] : undefined;
  assert.equal(binding?.kind, 'binding');
  const value = binding?.kind === 'binding' ? binding.value : undefined;
  assert.equal(value?.kind, 'string');
  return { source, string: value as NixStringExpression };
}

test('double-quoted strings: escapes, CRLF normalisation, interpolations kept or dropped', () => {
  const { source, string } = stringOf('"a\\tb\\n\\"q\\" \\${x} ${y}z"');
  assert.equal(decodeString(source, string, 'keep').text, 'a\tb\n"q" ${x} ${y}z');
  const dropped = decodeString(source, string, 'drop');
  assert.equal(dropped.text, 'a\tb\n"q" ${x} z');
  assert.equal(dropped.interpolated, true);
  const crlf = stringOf('"a\r\nb"');
  assert.equal(decodeString(crlf.source, crlf.string, 'keep').text, 'a\nb');
});

test("indented strings: common indentation, first and last blank lines removed like Nix", () => {
  const { source, string } = stringOf("''\n    line one\n      indented\n\n    line three\n  ''");
  assert.equal(decodeString(source, string, 'keep').text, 'line one\n  indented\n\nline three\n');
});

test("indented strings: ''$, ''' and ''\\n escapes", () => {
  const { source, string } = stringOf("''\n  echo ''${HOME} '''quoted''' ''\\tTab\n''");
  assert.equal(decodeString(source, string, 'keep').text, "echo ${HOME} ''quoted'' \tTab\n");
});

test('indented strings: an interpolation at line start counts as content for the indentation', () => {
  const { source, string } = stringOf("''\n    ${pkgs.docker}/bin/docker compose up\n      -d\n  ''");
  assert.equal(decodeString(source, string, 'keep').text, '${pkgs.docker}/bin/docker compose up\n  -d\n');
  assert.equal(decodeString(source, string, 'drop').text, '/bin/docker compose up\n  -d\n');
});

test('every character maps back to its exact offset in the file (sourceOffset)', () => {
  const { source, string } = stringOf("''\n      #!/bin/bash\n      find /srv -print0 | while IFS= read -r f; do echo ''${f}; done\n    ''", '# ✓ café\n{ s = ');
  const decoded = decodeString(source, string, 'keep');
  const readAt = decoded.text.indexOf('read -r');
  assert.ok(readAt > 0);
  assert.equal(source.slice(decoded.offsets[readAt], decoded.offsets[readAt]! + 7), 'read -r');
  for (let i = 0; i < decoded.text.length; i++) {
    const ch = decoded.text[i];
    const offset = decoded.offsets[i]!;
    // Escapes map to their first character; every other character maps to itself.
    if (ch === '$' && decoded.text[i + 1] === '{' && source.slice(offset, offset + 3) === "''$") continue;
    assert.equal(source[offset], ch, `text[${i}] = ${JSON.stringify(ch)}`);
  }
  // The escaped `''${f}` maps to the escape.
  const dollar = decoded.text.indexOf('${f}');
  assert.equal(source.slice(decoded.offsets[dollar], decoded.offsets[dollar]! + 3), "''$");
  assert.equal(decoded.offsets[decoded.text.length], string.content.end);
});

test('CRLF indented strings decode like LF ones, offsets on the original text', () => {
  const { source, string } = stringOf("''\r\n    echo a\r\n      echo b\r\n  ''");
  const decoded = decodeString(source, string, 'keep');
  assert.equal(decoded.text, 'echo a\n  echo b\n');
  const b = decoded.text.indexOf('echo b');
  assert.equal(source.slice(decoded.offsets[b], decoded.offsets[b]! + 6), 'echo b');
});

test('a quoted attribute name reads as its decoded text, with or without anything to decode', () => {
  const names = ['"svc0/conf1"', '"/mnt/PlexStorage"', '"a\\"b"', '"tab\\there"', '"line\r\nbreak"', '"dollar $ sign"', '"ünï ✓"', '""', '"\\${not}"'];
  for (const literal of names) {
    const { source, string } = stringOf(literal);
    assert.equal(decodeAttrName(source, string), decodeString(source, string, 'drop').text, literal);
  }
  const { source, string } = stringOf('"${x}y"');
  assert.equal(decodeAttrName(source, string), undefined, 'a computed name');
});
