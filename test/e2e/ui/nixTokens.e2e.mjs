// A user opens configuration.nix and sees it highlighted by our Nix grammar: comments, keywords, attribute names,
// strings and numbers each get their own colour. VS Code has no Nix grammar of its own, so colours prove ours.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { exampleWorkspace } from './exampleWorkspace.mjs';

export const timeoutMs = 90_000;

/** The colour classes (`mtkN`) of the rendered tokens on the first line containing `text`. */
async function tokenClasses(page, text) {
  return page.locator('.editor-group-container .monaco-editor .view-line', { hasText: text }).first().evaluate((line) =>
    [...line.querySelectorAll('span > span')].map((span) => ({ text: span.textContent ?? '', cls: span.className })),
  );
}

export default async function (ctx) {
  const workspace = exampleWorkspace(ctx);
  fs.writeFileSync(
    path.join(workspace, 'nixos', 'tokens.nix'),
    '# homelab\n{ config, lib, pkgs, ... }:\n{\n  users.groups.render.gid = lib.mkForce 110;\n  networking.hostName = "homelab";\n}\n',
  );
  await ctx.openWorkspace(workspace);
  await ctx.openFileFromExplorer('nixos/tokens.nix');
  await ctx.page.locator('.editor-group-container .monaco-editor .view-line', { hasText: 'mkForce' }).first().waitFor({ timeout: 20_000 });
  // Tokenisation is asynchronous: wait until the gid line shows more than one colour.
  await ctx.page.waitForFunction(() => {
    const line = [...document.querySelectorAll('.editor-group-container .monaco-editor .view-line')].find((l) => (l.textContent ?? '').includes('mkForce'));
    return line ? new Set([...line.querySelectorAll('span > span')].map((s) => s.className)).size >= 3 : false;
  }, undefined, { timeout: 20_000 });
  await ctx.screenshot('nix-highlighted');

  const gid = await tokenClasses(ctx.page, 'mkForce');
  const classOf = (tokens, text) => tokens.find((t) => t.text.includes(text))?.cls;
  assert.notEqual(classOf(gid, 'gid'), classOf(gid, '110'), `attribute name and number share a colour: ${JSON.stringify(gid)}`);
  const host = await tokenClasses(ctx.page, 'hostName');
  assert.notEqual(classOf(host, 'hostName'), classOf(host, '"homelab"'), `attribute name and string share a colour: ${JSON.stringify(host)}`);
  const comment = await tokenClasses(ctx.page, '# homelab');
  assert.notEqual(classOf(comment, '# homelab'), classOf(host, '"homelab"'), 'comment and string share a colour');
}
