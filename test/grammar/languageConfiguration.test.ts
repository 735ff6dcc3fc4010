import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './tokenize';

interface LanguageConfiguration {
  comments: { lineComment: string; blockComment: [string, string] };
  autoClosingPairs: Array<{ open: string; close: string; notIn?: string[] }>;
  folding: { markers: { start: string; end: string } };
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
  wordPattern: string;
}

// VS Code compiles these patterns as JavaScript regular expressions, as done here.
const configuration = JSON.parse(readFileSync(join(repoRoot, 'language-configuration.json'), 'utf8')) as LanguageConfiguration;

test('comments and auto-closing pairs', () => {
  assert.deepEqual(configuration.comments, { lineComment: '#', blockComment: ['/*', '*/'] });
  const indented = configuration.autoClosingPairs.find((pair) => pair.open === "''");
  assert.deepEqual(indented, { open: "''", close: "''", notIn: ['string', 'comment'] });
  assert.ok(configuration.autoClosingPairs.some((pair) => pair.open === '"' && pair.notIn?.includes('string')));
});

test('indentation rules', () => {
  const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(configuration.indentationRules.decreaseIndentPattern);
  for (const line of ['  users.users.palav = {', 'let', '  script = \'\'', '  extraGroups = [', '  f = (', '{ config, lib, ... }: { # comment']) {
    assert.ok(increase.test(line), `indent after ${JSON.stringify(line)}`);
  }
  for (const line of ['  uid = 1000;', '  # a { in a comment', '  inherit pkgs;', '  letsencrypt = true;']) {
    assert.ok(!increase.test(line), `no indent after ${JSON.stringify(line)}`);
  }
  for (const line of ['  };', '  ]', ')', 'in', 'in {', "  '';"]) assert.ok(decrease.test(line), `outdent ${JSON.stringify(line)}`);
  for (const line of ['  inherit x;', '  input = 1;', "  ''${HOME}"]) assert.ok(!decrease.test(line), `no outdent ${JSON.stringify(line)}`);
});

test('folding markers and word pattern', () => {
  assert.ok(new RegExp(configuration.folding.markers.start).test('  # region users'));
  assert.ok(new RegExp(configuration.folding.markers.end).test('  #endregion'));
  const word = new RegExp(configuration.wordPattern, 'g');
  assert.deepEqual('with pkgs; [ intel-media-driver nvidia-container-toolkit ];'.match(word), ['with', 'pkgs', 'intel-media-driver', 'nvidia-container-toolkit']);
  assert.deepEqual("hardware.nvidia-container-toolkit.enable mapAttrs' x".match(word), ['hardware', 'nvidia-container-toolkit', 'enable', "mapAttrs'", 'x']);
});
