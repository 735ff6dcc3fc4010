import { ensureModuleArgument } from '../../nix/moduleArgs';
import type { NixConfiguration } from '../../nix/model';
import type { Finding, FileReader } from '../../types';
import type { CodeFix } from '../model';
import { FixDraft } from './fixDraft';
import { dataNumber, dataString, definitionOfFinding } from './findingDefinition';

/** A value that may follow a function name without parentheses. */
function asArgument(text: string): string {
  return /^[\w.'-]+$/.test(text) ? text : `(${text})`;
}

/** reserved-gid-conflict: `gid = 110;` / `gid = lib.mkDefault 110;` → `gid = lib.mkForce 110;`, binding `lib` if needed. */
export function reservedGidFixes(finding: Finding, nix: NixConfiguration, reader: FileReader): CodeFix[] {
  const def = definitionOfFinding(finding, nix);
  const gid = dataNumber(finding, 'gid');
  const group = dataString(finding, 'group');
  if (!def || gid === undefined || !group) return [];
  const draft = new FixDraft(reader, nix);
  const source = draft.source(def.file);
  if (!source) return [];
  const valueText = source.text.slice(source.lines.offsetAt(def.valueLoc.range.start), source.lines.offsetAt(def.valueLoc.range.end));
  draft.replace(def.file, source.lines.offsetAt(def.exprLoc.range.start), source.lines.offsetAt(def.exprLoc.range.end), `lib.mkForce ${asArgument(valueText)}`);
  const libEdit = ensureModuleArgument(source.text, source.tree, 'lib');
  if (libEdit) draft.addTextEdit(def.file, libEdit);
  const fix = draft.toFix(`Force the ${group} gid: lib.mkForce ${gid}`, finding.code, true);
  return fix ? [fix] : [];
}
