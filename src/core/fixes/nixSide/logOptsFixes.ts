import type { NixConfiguration } from '../../nix/model';
import type { Finding, FileReader } from '../../types';
import type { CodeFix } from '../model';
import { quoteString } from '../../edits/nixExpr';
import { FixDraft } from './fixDraft';
import { definitionOfFinding } from './findingDefinition';

/** log-opts-not-strings: `max-file = 3;` → `max-file = "3";` (a variable becomes `toString name`). */
export function logOptsFixes(finding: Finding, nix: NixConfiguration, reader: FileReader): CodeFix[] {
  const def = definitionOfFinding(finding, nix);
  if (!def || !(def.value.kind === 'int' || def.value.kind === 'float' || def.value.kind === 'bool')) return [];
  const draft = new FixDraft(reader, nix);
  const source = draft.source(def.file);
  if (!source) return [];
  const start = source.lines.offsetAt(def.valueLoc.range.start);
  const end = source.lines.offsetAt(def.valueLoc.range.end);
  const written = source.text.slice(start, end);
  const literal = /^(-?[\d.]+(e-?\d+)?|true|false)$/.test(written);
  const replacement = literal || def.value.kind === 'bool' ? quoteString(String(def.value.value)) : `(toString ${written})`;
  draft.replace(def.file, start, end, replacement);
  const fix = draft.toFix(`Quote the log option: ${replacement}`, finding.code, true);
  return fix ? [fix] : [];
}
