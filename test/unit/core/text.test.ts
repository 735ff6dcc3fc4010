import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../src/core/text';

test('lone CR, LF and CRLF are each one line break, as in LSP and VS Code', () => {
  const index = new LineIndex('a\rbb\ncc\r\nd');
  assert.equal(index.lineCount, 4);
  assert.deepEqual([0, 2, 5, 9].map((offset) => index.positionAt(offset)), [
    { line: 0, character: 0 },
    { line: 1, character: 0 },
    { line: 2, character: 0 },
    { line: 3, character: 0 },
  ]);
  assert.equal(index.offsetAt({ line: 1, character: 1 }), 3);
});

test('a position never points into or past a line break', () => {
  const index = new LineIndex('ab\r\ncd\ref\n');
  // The \n of a CRLF is inside the line break: the end of line 0.
  assert.deepEqual(index.positionAt(3), { line: 0, character: 2 });
  assert.deepEqual(index.positionAt(2), { line: 0, character: 2 });
  assert.deepEqual(index.positionAt(6), { line: 1, character: 2 });
  // Characters beyond the end of a line stay on it.
  assert.equal(index.offsetAt({ line: 0, character: 99 }), 2);
  assert.equal(index.offsetAt({ line: 1, character: 3 }), 6);
  assert.equal(index.offsetAt({ line: 3, character: 5 }), 10);
  assert.equal(index.offsetAt({ line: 9, character: 0 }), 10);
  assert.deepEqual(index.rangeOf(0, 3), { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } });
});

test('round trip: every offset that is not inside a CRLF maps back to itself', () => {
  const text = 'x\r\ry\n\nz\r\n\r\nw';
  const index = new LineIndex(text);
  for (let offset = 0; offset <= text.length; offset++) {
    const insideCrlf = text[offset - 1] === '\r' && text[offset] === '\n';
    if (!insideCrlf) assert.equal(index.offsetAt(index.positionAt(offset)), offset, `offset ${offset}`);
  }
});
