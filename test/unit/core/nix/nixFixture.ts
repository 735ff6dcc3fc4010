import assert from 'node:assert/strict';
import { loadNixConfiguration } from '../../../../src/core/nix/configuration';
import type { NixConfiguration, NixDefinition, NixValue } from '../../../../src/core/nix/model';
import { memoryHost } from '../../helpers/memoryHost';

/** Loads a configuration from in-memory files; the first file is the entry. */
export function loadFiles(files: Record<string, string>): NixConfiguration {
  const [entry] = Object.keys(files);
  assert.ok(entry, 'at least one file');
  return loadNixConfiguration(entry, memoryHost(files));
}

/** Loads a one-file configuration at /etc/nixos/configuration.nix. */
export function loadModule(text: string): NixConfiguration {
  return loadFiles({ '/etc/nixos/configuration.nix': text });
}

/** path → value of the leaf definitions (attribute-set definitions left out), in order. */
export function leaves(configuration: NixConfiguration): Array<[string, NixValue]> {
  return configuration.definitions.filter((definition) => definition.value.kind !== 'attrs').map((definition) => [definition.path.join('.'), definition.value]);
}

/** The only definition of a dotted path. */
export function only(configuration: NixConfiguration, dottedPath: string): NixDefinition {
  const definitions = configuration.definitionsOf(dottedPath.split('.'));
  assert.equal(definitions.length, 1, `one definition of ${dottedPath}, got ${definitions.length}`);
  return definitions[0] as NixDefinition;
}

/** The source text a location covers, for a single-file fixture. */
export function textAt(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  const offset = (position: { line: number; character: number }): number =>
    lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
  return text.slice(offset(range.start), offset(range.end));
}
