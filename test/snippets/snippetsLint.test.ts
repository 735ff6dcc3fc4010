import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DiskFileSource } from '../../src/core/analysis/fileSource';
import { initNixParser } from '../../src/core/nix';
import { analyseWorkspace } from '../../src/core/analysis/pipeline';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { expandSnippet } from './expandSnippet';

const repoRoot = join(__dirname, '..', '..');
type Snippets = Record<string, { prefix: string | string[]; body: string | string[]; isFileTemplate?: boolean }>;
const load = (file: string): Snippets => JSON.parse(readFileSync(join(repoRoot, 'snippets', file), 'utf8')) as Snippets;
const byPrefix = (snippets: Snippets, prefix: string): string => {
  const found = Object.values(snippets).find((s) => (Array.isArray(s.prefix) ? s.prefix : [s.prefix]).includes(prefix));
  assert.ok(found, `snippet ${prefix}`);
  return expandSnippet(found.body).text;
};
const indent = (text: string, by: string): string => text.split('\n').map((line) => (line ? by + line : line)).join('\n');

test('the snippets, expanded with their defaults, make a homelab our own lint finds no error in', async () => {
  const nix = load('nix.json');
  const compose = load('compose.json');
  const root = mkdtempSync(join(tmpdir(), 'nhl-snippets-'));
  try {
    mkdirSync(join(root, 'nixos'));
    // Each configuration snippet in its own module (as users split them), all imported by the entry.
    const modules = ['homelab-user', 'homelab-graphics-intel', 'homelab-nvidia', 'homelab-docker', 'homelab-filesystem', 'homelab-autostart'];
    modules.forEach((prefix, index) => writeFileSync(join(root, 'nixos', `m${index}.nix`), `{ config, lib, pkgs, ... }:\n{\n${indent(byPrefix(nix, prefix), '  ')}\n}\n`));
    writeFileSync(join(root, 'nixos', 'configuration.nix'), `{ ... }:\n{\n  imports = [ ${modules.map((_, i) => `./m${i}.nix`).join(' ')} ];\n}\n`);
    // The user snippet forces render to the old host's 110: the dri snippet's group_add must say the same number.
    const dri = byPrefix(compose, 'compose-dri').replace('"303"', '"110"');
    const stack = [
      'services:',
      indent(byPrefix(compose, 'compose-linuxserver'), '  '),
      '  transcoder:\n    image: jellyfin/jellyfin\n    user: "1000:1000"',
      indent(dri, '    '),
      '  ml:\n    image: ghcr.io/immich-app/immich-machine-learning:release-cuda',
      indent(byPrefix(compose, 'compose-nvidia-cdi'), '    '),
      '',
    ].join('\n');
    mkdirSync(join(root, 'stacks', 'media'), { recursive: true });
    writeFileSync(join(root, 'stacks', 'media', 'docker-compose.yml'), stack.replace(/\t/g, '  '));

    await initNixParser();
    const analysis = analyseWorkspace({ roots: [root], settings: DEFAULT_SETTINGS }, new DiskFileSource());
    const errors = analysis.findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => `${f.code}: ${f.message}`), []);
    assert.ok(analysis.projects[0]?.services.length === 3, 'the three compose snippets were read as services');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
