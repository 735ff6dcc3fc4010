import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_IDS } from '../../../src/client/commands/commandList';
import { buildMenu, WALKTHROUGH_ID, type MenuFolder } from '../../../src/client/menu/menuItems';

const folder: MenuFolder = { name: 'homelab', snapshotPath: '.nixos-homelab/snapshot', candidates: [], entry: 'nixos/configuration.nix', entryFile: '/ws/nixos/configuration.nix' };
const labels = (entries: ReturnType<typeof buildMenu>) => entries.map((e) => e.label);

test('the menu shows state first, then the migration commands by their palette titles, then help', () => {
  const entries = buildMenu({ ready: true, fixable: 31, folders: [{ ...folder, snapshot: { host: 'pop-os' }, snapshotPath: 'snapshot', snapshotJson: '/ws/snapshot/snapshot.json' }] });
  assert.deepEqual(
    labels(entries).map((l) => l.replace(/^\$\([\w~-]+\) /, '')),
    [
      'Now',
      'Host snapshot: pop-os',
      'Configuration: nixos/configuration.nix',
      'Migration',
      'Show Migration Report',
      'Apply All Fixes',
      'Generate NixOS Module…',
      'Extract Host State over SSH…',
      'Import Extraction Files…',
      'Verify NixOS Host over SSH…',
      'Help',
      'Open Walkthrough',
      'Show Output',
      'Restart Language Server',
    ],
  );
  assert.equal(entries.find((e) => e.label.includes('Apply All Fixes'))?.description, '31 findings have a quick fix');
  assert.deepEqual(entries.find((e) => e.label.includes('Walkthrough'))?.args, [WALKTHROUGH_ID, false]);
  assert.ok(entries.filter((e) => !e.separator).every((e) => e.command), 'every entry does something');
  assert.ok(!labels(entries).some((l) => /\d+ errors?/.test(l)), 'no counts in the labels');
});

test('without a snapshot: says so and offers the snapshot folders found', () => {
  const entries = buildMenu({ ready: true, fixable: 0, folders: [{ ...folder, candidates: [{ relative: 'snapshot', dir: '/ws/snapshot' }] }] });
  const none = entries.find((e) => e.label.includes('No host snapshot'));
  assert.match(none?.description ?? '', /nothing in \.nixos-homelab\/snapshot\//);
  const use = entries.find((e) => e.label.includes('Use snapshot/ as Host Snapshot'));
  assert.equal(use?.command, COMMAND_IDS.useSnapshotFolder);
  assert.deepEqual(use?.args, [{ file: '/ws/snapshot' }]);
  assert.equal(entries.find((e) => e.label.includes('Apply All Fixes'))?.description, 'nothing to fix automatically now');
});

test('a generated module is offered for the imports only while it is not imported', () => {
  const generated = { relative: 'nixos/homelab.nix', file: '/ws/nixos/homelab.nix', entryName: 'configuration.nix' };
  const offered = buildMenu({ ready: true, fixable: 0, folders: [{ ...folder, generated: { ...generated, imported: false } }] });
  const add = offered.find((e) => e.command === COMMAND_IDS.addModuleToImports);
  assert.equal(add?.label, '$(add) Add nixos/homelab.nix to the imports of configuration.nix');
  const done = buildMenu({ ready: true, fixable: 0, folders: [{ ...folder, generated: { ...generated, imported: true } }] });
  assert.equal(done.find((e) => e.command === COMMAND_IDS.addModuleToImports), undefined);
});

test('analysing, a stopped server and several folders are shown as such', () => {
  assert.match(labels(buildMenu({ ready: false, fixable: 0, folders: [folder] }))[0] ?? '', /Analysing the workspace/);
  const failed = buildMenu({ ready: false, serverFailed: 'it did not start', fixable: 0, folders: [folder] });
  assert.equal(failed[0]?.command, COMMAND_IDS.restartServer);
  const two = buildMenu({ ready: true, fixable: 0, folders: [folder, { ...folder, name: 'nas' }] });
  assert.deepEqual(two.filter((e) => e.separator).map((e) => e.label), ['homelab', 'nas', 'Migration', 'Help']);
});

test('each host\'s evaluation by Nix: running, evaluated, or not evaluated with Nix\'s message', () => {
  const entries = buildMenu({
    ready: true,
    fixable: 0,
    folders: [{ ...folder, evaluation: [{ host: 'nas', state: 'evaluated', message: 'nix eval /ws#nixosConfigurations.nas, 1.2 s' }, { host: 'media', state: 'evaluating' }, { host: 'old', state: 'failed', message: 'host old: evaluation failed (…): `error: syntax error`; the static checks ran' }] }],
  });
  const evaluated = entries.find((e) => e.label === '$(check) Evaluated by Nix: nas');
  assert.equal(evaluated?.description, 'nix eval /ws#nixosConfigurations.nas, 1.2 s');
  assert.ok(entries.some((e) => e.label === '$(sync~spin) Evaluating media…'));
  assert.match(entries.find((e) => e.label === '$(warning) Not evaluated: old')?.description ?? '', /syntax error/);
  assert.ok(entries.filter((e) => /Evaluat/.test(e.label)).every((e) => e.command === COMMAND_IDS.showOutput), 'the output has the whole story');
  assert.ok(!buildMenu({ ready: true, fixable: 0, folders: [folder] }).some((e) => /valuat/.test(e.label)), 'nothing when nothing was evaluated');
});
