import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, SETTING_SCOPES, settingsSchema, type Settings } from '../../../src/core/settings';
import { COMMANDS } from '../../../src/client/commands/commandList';

const repo = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default: unknown; enum?: string[]; scope?: string; markdownDescription?: string; properties?: Record<string, { enum?: string[] }>; additionalProperties?: { enum?: string[] } }> }; commands: { command: string; title: string; category: string }[] };
  activationEvents: string[];
};
const properties = manifest.contributes.configuration.properties;
const schemaKeys = Object.keys(settingsSchema.shape) as (keyof Settings)[];

test('package.json contributes exactly the settings of the zod schema', () => {
  assert.deepEqual(Object.keys(properties).sort(), schemaKeys.map((key) => `nixosHomelab.${key}`).sort());
});

test('every contributed setting has the schema default, its scope and a markdownDescription', () => {
  for (const key of schemaKeys) {
    const property = properties[`nixosHomelab.${key}`];
    assert.ok(property, key);
    assert.deepEqual(property.default, DEFAULT_SETTINGS[key], `default of ${key}`);
    assert.equal(property.scope, SETTING_SCOPES[key], `scope of ${key}`);
    assert.ok((property.markdownDescription ?? '').length > 30, `markdownDescription of ${key}`);
  }
});

test('enums in package.json match the schema', () => {
  assert.deepEqual(properties['nixosHomelab.fixTarget']?.enum, settingsSchema.shape.fixTarget.removeDefault().options);
  const severities = settingsSchema.shape.rules.removeDefault().valueSchema.options;
  assert.deepEqual(properties['nixosHomelab.rules']?.additionalProperties?.enum, severities);
  const perRule = properties['nixosHomelab.rules']?.properties ?? {};
  for (const rule of fs.readdirSync(path.join(repo, 'docs', 'rules')).map((f) => f.replace(/\.md$/, ''))) {
    assert.deepEqual(perRule[rule]?.enum, severities, `rules.${rule}`);
  }
});

test('contributed defaults are values the schema accepts', () => {
  const raw = Object.fromEntries(schemaKeys.map((key) => [key, properties[`nixosHomelab.${key}`]?.default]));
  assert.deepEqual(settingsSchema.parse(raw), DEFAULT_SETTINGS);
});

test('commands: every registered command is contributed with the category, and only those', () => {
  const contributed = manifest.contributes.commands;
  assert.deepEqual(contributed.map((c) => c.command).sort(), COMMANDS.map((c) => c.id).sort());
  for (const command of contributed) assert.equal(command.category, 'NixOS Homelab', command.command);
});

test('activation is by language, by file and by command, never "*"', () => {
  const events = manifest.activationEvents;
  assert.ok(!events.includes('*'));
  for (const event of ['onLanguage:nix', 'onLanguage:dockercompose', 'workspaceContains:**/docker-compose.y*ml', 'workspaceContains:**/compose.y*ml', 'workspaceContains:**/configuration.nix']) {
    assert.ok(events.includes(event), event);
  }
});
