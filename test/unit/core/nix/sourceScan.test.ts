import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { blankComments } from '../../../../src/core/nix/sourceScan';
import { prng } from '../../helpers/prng';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

/** blankComments as it was written first (one array element per character): the reference the faster one must equal. */
function reference(text: string): string {
  const out = text.split('');
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' || (ch === "'" && text[i + 1] === "'")) {
      i = referenceStringEnd(text, i);
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') out[i++] = ' ';
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      for (; i < end; i++) if (out[i] !== '\n') out[i] = ' ';
      continue;
    }
    i++;
  }
  return out.join('');
}

function referenceStringEnd(text: string, start: number): number {
  if (text[start] === '"') {
    for (let i = start + 1; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') return i + 1;
    }
    return text.length;
  }
  for (let i = start + 2; i < text.length; i++) {
    if (text[i] === "'" && text[i + 1] === "'") {
      if (text[i + 2] === "'" || text[i + 2] === '$' || text[i + 2] === '\\') {
        i += 2;
        continue;
      }
      return i + 2;
    }
  }
  return text.length;
}

function nixFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) nixFiles(full, out);
    else if (entry.name.endsWith('.nix')) out.push(full);
  }
  return out;
}

test('blankComments: comments become spaces with their line breaks, strings and the length stay', () => {
  const text = 'a = "# not" ; # gone\n/* two\nlines */ b = \'\'x # kept\'\'; # end';
  const blanked = blankComments(text);
  assert.equal(blanked.length, text.length);
  assert.equal(blanked, 'a = "# not" ;       \n      \n         b = \'\'x # kept\'\';      ');
  assert.equal(blankComments('no comment'), 'no comment');
});

test('blankComments equals the per-character reference on every .nix file of the repository and on random texts', () => {
  const files = nixFiles(REPO);
  assert.ok(files.length > 10);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    assert.equal(blankComments(text), reference(text), file);
  }
  const random = prng(15);
  const pieces = ['#', '/*', '*/', '"', '\\', "''", "'''", "''$", "''\\", '\n', ' ', 'x', '${', '}', '😀', '/', '*'];
  for (let round = 0; round < 3000; round++) {
    const length = Math.floor(random() * 30);
    let text = '';
    for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
    assert.equal(blankComments(text), reference(text), JSON.stringify(text));
  }
});
