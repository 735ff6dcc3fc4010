import type { NixConfiguration, NixScript } from '../../nix/model';
import type { Range } from '../../text';
import { offsetRange, sourceOf } from './nixRuleHelpers';

/** Script attributes NixOS wraps in its own bash script (`#!…/bash` + `set -e`): ExecStart is a command line. */
export const WRAPPED_SCRIPT_ATTRIBUTES = new Set(['script', 'preStart', 'postStart']);

/** The unit scripts the rules read, with their service name. */
export function wrappedScripts(nix: NixConfiguration): { service: string; script: NixScript }[] {
  const scripts: { service: string; script: NixScript }[] = [];
  for (const service of nix.systemdServices.values()) {
    for (const script of service.scripts) if (WRAPPED_SCRIPT_ATTRIBUTES.has(script.attribute)) scripts.push({ service: service.name, script });
  }
  return scripts;
}

/** File offset just after the script character at `textIndex - 1` (the end of a span ending at `textIndex`). */
export function endOffset(script: NixScript, textIndex: number): number {
  return textIndex === 0 ? script.sourceOffset(0) : script.sourceOffset(textIndex - 1) + 1;
}

/** The file range of the script text [start, end); the whole string when the file's text is unavailable. */
export function scriptRange(nix: NixConfiguration, script: NixScript, start: number, end: number): Range {
  return offsetRange(nix, script.file, script.sourceOffset(start), endOffset(script, end)) ?? script.definition.valueLoc.range;
}

/** True when the script is an indented string (`''…''`), where `''` must be written `'''`. */
export function isIndentedString(nix: NixConfiguration, script: NixScript): boolean | undefined {
  const source = sourceOf(nix, script.file);
  if (!source) return undefined;
  return source.text.startsWith("''", source.lines.offsetAt(script.definition.valueLoc.range.start));
}
