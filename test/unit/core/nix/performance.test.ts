import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initNixParser, NixIncrementalParser, parseNix } from '../../../../src/core/nix/syntax';
import { loadModule } from './nixFixture';

before(async () => {
  await initNixParser();
});

/** A realistic ~60 KB module: users, units with indented scripts, file systems. */
function bigModule(): { text: string; blocks: number } {
  let text = '{ config, lib, pkgs, ... }:\nlet\n  base = 1000;\nin {\n';
  let blocks = 0;
  while (text.length < 60_000) {
    text += `  users.users.u${blocks} = {\n    isNormalUser = true;\n    uid = ${2000 + blocks};\n    extraGroups = [ "wheel" "docker" ];\n  };\n`;
    text += `  systemd.services.s${blocks} = {\n    after = [ "network-online.target" ];\n    script = ''\n      cd /srv/stack${blocks}\n      \${pkgs.docker}/bin/docker compose up -d\n    '';\n  };\n`;
    text += `  fileSystems."/mnt/d${blocks}" = { device = "/dev/disk/by-uuid/${blocks}"; fsType = "ext4"; };\n`;
    blocks++;
  }
  return { text: `${text}}\n`, blocks };
}

test('a 60 KB module parses and loads completely (timing logged, bounded only against blow-ups)', () => {
  const { text, blocks } = bigModule();
  loadModule(text); // warm-up
  const started = performance.now();
  const configuration = loadModule(text);
  const elapsed = performance.now() - started;
  console.log(`# parse + model of ${text.length} chars: ${elapsed.toFixed(1)} ms`);
  assert.deepEqual(configuration.problems, []);
  assert.equal(configuration.users.size, blocks);
  assert.equal(configuration.systemdServices.size, blocks);
  assert.equal(configuration.systemdServices.get('s7')?.scripts[0]?.text, 'cd /srv/stack7\n${pkgs.docker}/bin/docker compose up -d\n');
  assert.equal(configuration.findUserByUid(2000 + blocks - 1)?.name, `u${blocks - 1}`);
  assert.ok(elapsed < 5_000, `took ${elapsed} ms`);
});

test('incremental re-parse of a one-character edit in a 60 KB module', () => {
  const { text } = bigModule();
  const parser = new NixIncrementalParser();
  try {
    parser.parse(text);
    const edited = text.replace('uid = 2005;', 'uid = 2006;');
    const started = performance.now();
    const tree = parser.parse(edited);
    console.log(`# incremental re-parse + conversion: ${(performance.now() - started).toFixed(1)} ms`);
    assert.deepEqual(tree, parseNix(edited));
  } finally {
    parser.dispose();
  }
});
