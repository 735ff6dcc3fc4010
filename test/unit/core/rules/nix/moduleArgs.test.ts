import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTextEdits } from '../../../../../src/core/fixes/nixSide';
import { ensureModuleArgument } from '../../../../../src/core/nix/moduleArgs';
import { initNixParser } from '../../../../../src/core/nix/syntax';
import { assertAllParse } from './nixRuleFixture';

before(async () => {
  await initNixParser();
});

const results: string[] = [];

function withArgument(text: string, name: 'lib' | 'pkgs' = 'lib'): string | undefined {
  const edit = ensureModuleArgument(text, undefined, name);
  if (!edit) return undefined;
  const result = applyTextEdits(text, [edit]);
  results.push(result);
  // Idempotent: a second call finds the argument bound.
  assert.equal(ensureModuleArgument(result, undefined, name), undefined, `second call is a no-op on:\n${result}`);
  return result;
}

test('adds lib among the formals in sorted position, keeping the one-line style', () => {
  assert.equal(withArgument('{ config, pkgs, ... }:\n{ }\n'), '{ config, lib, pkgs, ... }:\n{ }\n');
  assert.equal(withArgument('{ pkgs, ... }:\n{ }\n'), '{ lib, pkgs, ... }:\n{ }\n');
  assert.equal(withArgument('{ config, ... }:\n{ }\n'), '{ config, lib, ... }:\n{ }\n');
  assert.equal(withArgument('{ config }:\n{ }\n'), '{ config, lib }:\n{ }\n');
  assert.equal(withArgument('{config,pkgs,...}: { }'), '{config,lib,pkgs,...}: { }');
  assert.equal(withArgument('{ ... }: { }'), '{ lib, ... }: { }');
  assert.equal(withArgument('{ }: { }'), '{ lib }: { }');
  assert.equal(withArgument('{ config, lib, ... }:\n{ }\n', 'pkgs'), '{ config, lib, pkgs, ... }:\n{ }\n');
});

test('keeps one-per-line and comma-first layouts', () => {
  assert.equal(withArgument('{\n  config,\n  pkgs,\n  ...\n}:\n{ }\n'), '{\n  config,\n  lib,\n  pkgs,\n  ...\n}:\n{ }\n');
  assert.equal(withArgument('{ config\n, pkgs\n, ...\n}:\n{ }\n'), '{ config\n, lib\n, pkgs\n, ...\n}:\n{ }\n');
  assert.equal(withArgument('{ config, pkgs ? import <nixpkgs> { }, ... }:\n{ }\n'), '{ config, lib, pkgs ? import <nixpkgs> { }, ... }:\n{ }\n');
});

test('undefined when lib is already bound (formal, let), not when only `with lib;` or `args@` are there', () => {
  assert.equal(ensureModuleArgument('{ config, lib, pkgs, ... }:\n{ }\n', undefined, 'lib'), undefined);
  assert.equal(ensureModuleArgument('{ pkgs, ... }:\nlet lib = pkgs.lib; in\n{ }\n', undefined, 'lib'), undefined);
  assert.equal(ensureModuleArgument('{ pkgs, ... }:\nlet inherit (pkgs) lib; in\n{ }\n', undefined, 'lib'), undefined);
  assert.equal(withArgument('{ config, pkgs, ... }:\nwith lib;\n{ }\n'), '{ config, lib, pkgs, ... }:\nwith lib;\n{ }\n');
  assert.equal(withArgument('args@{ config, pkgs, ... }:\n{ }\n'), 'args@{ config, lib, pkgs, ... }:\n{ }\n');
  assert.equal(withArgument('{ config, pkgs, ... }@args:\n{ }\n'), '{ config, lib, pkgs, ... }@args:\n{ }\n');
});

test('a bare module becomes a function; a plain parameter gains a pattern', () => {
  assert.equal(withArgument('# my module\n{\n  networking.hostName = "nas";\n}\n'), '# my module\n{ lib, ... }:\n{\n  networking.hostName = "nas";\n}\n');
  assert.equal(withArgument('let x = 1; in { a = x; }\n'), '{ lib, ... }:\nlet x = 1; in { a = x; }\n');
  assert.equal(withArgument('args: { }\n'), 'args@{ lib, ... }: { }\n');
  assert.equal(withArgument('{ inputs, ... }: { config, pkgs, ... }: { }\n'), '{ inputs, ... }: { config, lib, pkgs, ... }: { }\n');
});

test('an empty file has nothing to edit', () => {
  assert.equal(ensureModuleArgument('', undefined, 'lib'), undefined);
  assert.equal(ensureModuleArgument('# only a comment\n', undefined, 'lib'), undefined);
});

test('every result parses (one nix-instantiate call)', () => {
  assert.ok(results.length >= 15);
  assertAllParse(results);
});
