import * as path from 'node:path';
import type { NixExpr } from '../edits/nixExpr';
import type { DesiredSetting } from '../edits/setting';
import type { NixConfiguration, NixDefinition, NixValue } from '../nix/model';

/**
 * The generated module is added to the `imports` of a configuration that may already set some of its options. Two
 * definitions of one option merge only when they are equal (or one has the lower priority); anything else fails
 * evaluation ("The option … has conflicting definition values") or silently overrides the user's choice. This finds,
 * for one `set` setting, the user's definition it would clash with.
 */

const FORCED = /^lib\.mkForce (-?\d+)$/;

/** The module system's priority of what we write: `lib.mkForce` 50, a plain value 100. */
function ourPriority(value: NixExpr): number {
  return value.kind === 'raw' && FORCED.test(value.text) ? 50 : 100;
}

/** Whether the user's value (as read, mk* wrapper removed) is the value we would write. */
function sameValue(theirs: NixValue, ours: NixExpr): boolean {
  const forced = ours.kind === 'raw' ? FORCED.exec(ours.text) : null;
  if (forced) return theirs.kind === 'int' && theirs.value === Number(forced[1]);
  switch (ours.kind) {
    case 'bool':
    case 'int':
      return theirs.kind === ours.kind && theirs.value === ours.value;
    case 'string':
      return theirs.kind === 'string' && !theirs.interpolated && theirs.value === ours.value;
    case 'raw':
      return theirs.kind === 'unknown' && theirs.text.trim() === ours.text;
    case 'list':
      return theirs.kind === 'list' && theirs.items.length === ours.items.length && theirs.items.every((item, i) => {
        const other = ours.items[i];
        return other !== undefined && sameValue(item, other);
      });
    default:
      return false;
  }
}

/**
 * The configuration's definition that `setting` would clash with: one with another value at the same or a stronger
 * priority. Definitions in `replaces` (the file the module is about to overwrite) and weaker ones (`lib.mkDefault`,
 * which our value simply wins over) do not count; appended list items always merge.
 */
export function clashingDefinition(setting: DesiredSetting, nix: NixConfiguration | undefined, replaces?: string): NixDefinition | undefined {
  if (!nix || setting.mode !== 'set') return undefined;
  const ours = ourPriority(setting.value);
  const replaced = replaces === undefined ? undefined : path.resolve(replaces);
  return nix.definitionsOf(setting.path).find((definition) => {
    if (replaced !== undefined && path.resolve(definition.file) === replaced) return false;
    if (sameValue(definition.value, setting.value)) return false;
    return definition.numericPriority === undefined || definition.numericPriority <= ours;
  });
}

/** The user's value for a message: the literal when it is one, else "another value". */
export function describeDefinition(definition: NixDefinition): string {
  const value = definition.value;
  if (value.kind === 'int' || value.kind === 'bool') return String(value.value);
  if (value.kind === 'string' && !value.interpolated) return JSON.stringify(value.value);
  return 'another value';
}
