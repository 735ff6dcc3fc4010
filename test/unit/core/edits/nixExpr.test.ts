import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attrName, commentText, escapeIndentedLine, quoteString } from '../../../../src/core/edits/nixExpr';

// The oracle tier (test/oracle/nameInjection.test.ts) proves with the real Nix parser that these texts evaluate
// to the intended strings; these tests pin the exact text written.

test('double-quoted strings escape backslash, quote, interpolation and every line break', () => {
  assert.equal(quoteString('a"b\\c${d}$e'), '"a\\"b\\\\c\\${d}$e"');
  assert.equal(quoteString('a\rb\nc\td'), '"a\\rb\\nc\\td"');
  assert.equal(quoteString('$${x}'), '"$\\${x}"');
  // Nix strings cannot hold NUL: it becomes U+FFFD rather than cutting the file short.
  assert.equal(quoteString('a\0b'), '"a\uFFFDb"');
  // Unicode separators are no line break for Nix inside a string: kept as they are.
  assert.equal(quoteString('a\u2028b'), '"a\u2028b"');
});

test('attribute names are bare only when they are identifiers that are not keywords', () => {
  assert.equal(attrName('palav'), 'palav');
  assert.equal(attrName('max-size'), 'max-size');
  assert.equal(attrName('in'), '"in"');
  assert.equal(attrName('/mnt/x'), '"/mnt/x"');
  assert.equal(attrName('a\rb = 1; c'), '"a\\rb = 1; c"');
  assert.equal(attrName('${x}'), '"\\${x}"');
});

test('indented-string lines escape quote pairs, interpolations and line breaks without creating a closing quote', () => {
  assert.equal(escapeIndentedLine("a''b"), "a'''b");
  assert.equal(escapeIndentedLine("a'''b"), "a''''b");
  assert.equal(escapeIndentedLine('${x}'), "''${x}");
  // A lone quote before `${` would read as `'''` + a live interpolation.
  assert.equal(escapeIndentedLine("a'${x}"), "a''\\'''${x}");
  assert.equal(escapeIndentedLine("''${x}"), "'''''${x}");
  assert.equal(escapeIndentedLine("it's $HOME"), "it's $HOME");
  assert.equal(escapeIndentedLine('a\rb\nc\td\0'), "a''\\rb''\\nc''\\td\uFFFD");
});

test('comment text escapes everything that ends a comment or hides where it ends', () => {
  assert.equal(commentText('a\rb\nc'), 'a\\rb\\nc');
  assert.equal(commentText('a\0b'), 'a\\0b');
  assert.equal(commentText('a\u2028b\u2029c\u0085d'), 'a\\u2028b\\u2029c\\u0085d');
  assert.equal(commentText('a\u202Eb\u2066c\x1bd'), 'a\\u202Eb\\u2066c\\u001Bd');
  // Ordinary text, tabs and `*/` (Nix has block comments, but a `#` line does not end at `*/`) stay as written.
  assert.equal(commentText("tab\there */ ''${x} — ok"), "tab\there */ ''${x} — ok");
});
