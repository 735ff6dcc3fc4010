import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../../src/core/edits/applyEdits';
import { detectIndentUnit, detectLineEnding, TextDraft } from '../../../../src/core/nix/editText';

test('a draft records successive edits as minimal edits of the original, merging edits of inserted text', () => {
  const original = 'alpha\nbeta\ngamma\n';
  const draft = new TextDraft(original);
  draft.replace(6, 6, 'inserted\n'); // before "beta"
  draft.replace(6 + 'ins'.length, 6 + 'inserted'.length, 'ide'); // inside the inserted text
  draft.replace(draft.text.indexOf('gamma'), draft.text.indexOf('gamma') + 5, 'GAMMA');
  draft.replace(0, 0, '# head\n');
  assert.equal(draft.text, '# head\nalpha\ninside\nbeta\nGAMMA\n');
  const edits = draft.edits();
  assert.equal(edits.length, 3);
  assert.equal(applyEdits(original, edits), draft.text);
});

test('CRLF pairs are never split by an edit', () => {
  const original = 'a\r\nb\r\n';
  const draft = new TextDraft(original);
  draft.replace(1, 3, '\r\nx\r\n');
  for (const edit of draft.edits()) assert.notEqual(edit.range.start.character, 2, 'no edit starts between \\r and \\n');
  assert.equal(applyEdits(original, draft.edits()), draft.text);
});

test('indentation unit and line ending are read from the file', () => {
  assert.equal(detectIndentUnit('{\n    a = {\n        b = 1;\n    };\n}\n'), '    ');
  assert.equal(detectIndentUnit('{ ... }:\nlet\n  x = 1;\nin\n{\n    a = 1;\n    b = {\n        c = 2;\n    };\n}\n'), '    ');
  assert.equal(detectIndentUnit('{\n\ta = 1;\n}\n'), '\t');
  assert.equal(detectIndentUnit('{ a = 1; }'), '  ');
  assert.equal(detectLineEnding('a\r\nb\r\n'), '\r\n');
  assert.equal(detectLineEnding('a\nb\r\n'), '\n');
});
