import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMAND_IDS, COMMANDS, NEEDS_TRUST } from '../../../src/client/commands/commandList';
import { CONTEXT_KEYS } from '../../../src/client/state/contextKeys';

const repo = path.resolve(__dirname, '..', '..', '..');
interface Step { id: string; title: string; description: string; media: { markdown?: string }; completionEvents: string[] }
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: { commands: { command: string; enablement?: string }[]; walkthroughs: { id: string; steps: Step[] }[] };
};
const contributed = new Set(manifest.contributes.commands.map((c) => c.command));

test('commands that run programs or write files are disabled in restricted mode, and only those', () => {
  const trusted = manifest.contributes.commands.filter((c) => /\bisWorkspaceTrusted\b/.test(c.enablement ?? '')).map((c) => c.command).sort();
  assert.deepEqual(trusted, [...NEEDS_TRUST].map((name) => COMMAND_IDS[name]).sort());
});

test('every command activates the extension when invoked', () => {
  for (const { id } of COMMANDS) assert.ok(manifest.activationEvents.includes(`onCommand:${id}`), id);
});

test('the walkthrough: Extract → Review → Generate → Verify, each with text, a button to a real command and completion on it or on the state', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  assert.ok(walkthrough);
  assert.deepEqual(walkthrough.steps.map((s) => s.id), ['extract', 'review', 'generate', 'verify']);
  const ignore = fs.readFileSync(path.join(repo, '.vscodeignore'), 'utf8');
  for (const step of walkthrough.steps) {
    const links = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1] ?? '');
    assert.ok(links.length > 0, `${step.id} has a command button`);
    for (const link of links) assert.ok(contributed.has(link), `${step.id} links ${link}`);
    assert.ok(step.completionEvents.length > 0, step.id);
    for (const event of step.completionEvents) {
      const context = /^onContext:(.+)$/.exec(event)?.[1];
      if (context) {
        assert.ok((Object.values(CONTEXT_KEYS) as string[]).includes(context), `${step.id}: ${event} is a key the extension sets`);
        continue;
      }
      const command = /^onCommand:(.+)$/.exec(event)?.[1];
      assert.ok(command && contributed.has(command), `${step.id}: ${event}`);
      assert.ok(links.includes(command), `${step.id}: completes on a command its text offers (${command})`);
    }
    const media = step.media.markdown;
    assert.ok(media && fs.statSync(path.join(repo, media)).size > 200, `${step.id} media`);
    assert.ok(ignore.includes(`!${path.dirname(media)}/*.md`), `${media} is shipped in the vsix`);
  }
});

test('the steps a state can complete are ticked from it: a snapshot, a generated module, a passed verify', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  const events = (id: string) => walkthrough?.steps.find((s) => s.id === id)?.completionEvents ?? [];
  assert.ok(events('extract').includes(`onContext:${CONTEXT_KEYS.hasSnapshot}`));
  assert.ok(events('generate').includes(`onContext:${CONTEXT_KEYS.moduleGenerated}`));
  assert.ok(events('verify').includes(`onContext:${CONTEXT_KEYS.hostVerified}`));
});

test('the status item opens the menu; link-only commands stay out of the palette', () => {
  const palette = (manifest.contributes as { menus?: { commandPalette?: { command: string; when?: string }[] } }).menus?.commandPalette ?? [];
  assert.ok(contributed.has(COMMAND_IDS.showMenu));
  assert.deepEqual(palette.filter((m) => m.when === 'false').map((m) => m.command), [COMMAND_IDS.openFindingLocation]);
});
