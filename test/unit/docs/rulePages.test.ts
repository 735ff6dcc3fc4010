/**
 * Every finding id has a page in docs/rules/, and every page says what its claims rest on: a `## Sources` section
 * naming at least one nixpkgs file (`nixos/…`, `pkgs/…`, `lib/…`) or an upstream URL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMPOSE_RULES, INPUT_FINDINGS, NIX_RULES } from '../../../src/core/rules';
import { RULE_ALIASES } from '../../../src/core/rules/ruleAliases';

const RULES_DIR = path.resolve(__dirname, '..', '..', '..', 'docs', 'rules');

const ids = [...COMPOSE_RULES.map((rule) => rule.id), ...NIX_RULES.map((rule) => rule.id), ...Object.values(INPUT_FINDINGS).map((finding) => finding.id)];

/** The text of the page's `## Sources` section (up to the next level-2 heading), or undefined. */
function sourcesSection(markdown: string): string | undefined {
  const match = /^## Sources[ \t]*\r?\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
  return match?.[1];
}

const NIXPKGS_PATH = /`(?:nixos|pkgs|lib)\/[\w./+-]+`|\b(?:nixos|pkgs)\/(?:modules|lib|top-level|applications|build-support|os-specific|servers|tools|development|by-name|doc)\/[\w./+-]+/;
const UPSTREAM_URL = /https?:\/\/[^\s)>\]]+/;

test('the sources check reads a Sources section up to the next heading and no further', () => {
  assert.equal(sourcesSection('# x\n\n## Fix\ntext\n'), undefined);
  assert.equal(sourcesSection('# x\n## Sources\n- `nixos/modules/a.nix`\n## Notes\nhttps://example.org\n'), '- `nixos/modules/a.nix`\n');
  assert.equal(sourcesSection('## Sources\n- https://example.org/a\n'), '- https://example.org/a\n');
  assert.ok(NIXPKGS_PATH.test('nixpkgs `nixos/modules/virtualisation/docker.nix`: …'));
  assert.ok(!NIXPKGS_PATH.test('see the NixOS manual'));
});

for (const id of ids) {
  test(`docs/rules/${id}.md exists and has a Sources section with a nixpkgs path or an upstream URL`, () => {
    const file = path.join(RULES_DIR, `${id}.md`);
    assert.ok(fs.existsSync(file), `rule ${id} has no page: write docs/rules/${id}.md`);
    const sources = sourcesSection(fs.readFileSync(file, 'utf8'));
    assert.ok(sources !== undefined, `docs/rules/${id}.md has no "## Sources" section`);
    assert.ok(NIXPKGS_PATH.test(sources) || UPSTREAM_URL.test(sources), `the Sources section of docs/rules/${id}.md names no nixpkgs file (nixos/…, pkgs/…) and no upstream URL`);
  });
}

test('every page in docs/rules/ is a rule\'s or a former id\'s (which points to the new one)', () => {
  const pages = fs.readdirSync(RULES_DIR).filter((name) => name.endsWith('.md')).map((name) => name.slice(0, -'.md'.length));
  assert.deepEqual(pages.filter((page) => !ids.includes(page) && !Object.prototype.hasOwnProperty.call(RULE_ALIASES, page)), []);
});
