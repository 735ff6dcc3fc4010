// Issue #18 item 8: a snippet ranks above a plain word suggestion of the same name. VS Code sorts equal matches by
// label, then by kind (a word, kind Text, before a Snippet), so typing "homel" in a Nix file that already holds the
// word "homelab" would list the word first; the extension's configurationDefaults (editor.snippetSuggestions "top"
// for nix and dockercompose only) put the snippet first. Screenshot: the suggest widget.
import assert from 'node:assert/strict';
import { exampleWorkspace } from './exampleWorkspace.mjs';

export const timeoutMs = 90_000;

export default async function (ctx) {
  const { page } = ctx;
  await ctx.openWorkspace(exampleWorkspace(ctx));
  await ctx.openFileFromExplorer('nixos/configuration.nix');
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('# homelab notes', { delay: 10 });
  await page.keyboard.press('Enter');
  await page.keyboard.type('homel', { delay: 30 }); // VS Code never suggests the very word being typed
  const rows = page.locator('.suggest-widget .monaco-list-row');
  const readLabels = () => rows.evaluateAll((elements) => elements.map((element) => (element.getAttribute('aria-label') ?? element.textContent ?? '').trim()));
  // The snippet service loads the extension's snippets lazily: the first Ctrl+Space of a session can list the word
  // alone. Ask again (at most three times) until both kinds are listed, then judge their order.
  let labels = [];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await page.keyboard.press('Control+Space');
    await rows.first().waitFor({ timeout: 15_000 });
    const both = await rows.filter({ hasText: /homelab-/ }).first().waitFor({ timeout: 5_000 }).then(() => true, () => false);
    labels = await readLabels();
    if (both) break;
    await page.keyboard.press('Escape');
  }
  await ctx.screenshot('suggest-widget');
  assert.ok(labels.some((label) => /^homelab,/.test(label)), `the plain word "homelab" is suggested too: ${JSON.stringify(labels)}`);
  assert.match(labels[0] ?? '', /^homelab-/, `a homelab-* snippet first: ${JSON.stringify(labels)}`);
  await page.keyboard.press('Escape');
}
