import type { NixConfiguration } from '../../nix/model';
import { stringItems } from '../../nix/values';
import type { Finding, FileReader } from '../../types';
import type { CodeFix } from '../model';
import { quoteString } from '../../edits/nixExpr';
import { appendToList } from './bindingEdits';
import { FixDraft } from './fixDraft';
import { dataNumber, dataString, definitionOfFinding } from './findingDefinition';
import { insertBinding, insertNextTo } from './placeBinding';
import { listAt } from './syntaxLookup';

const NETWORK_ONLINE = 'network-online.target';

/** Appends items to the first unconditional list literal among the definitions of `path`; false when there is none. */
function appendToExistingList(draft: FixDraft, nix: NixConfiguration, path: string[], items: string[]): boolean {
  for (const def of nix.definitionsOf(path)) {
    if (def.conditional) continue;
    const source = draft.source(def.file);
    const list = source ? listAt(source.tree, source.lines.offsetAt(def.valueLoc.range.start)) : undefined;
    if (source && list) return appendToList(draft, source, list, items);
  }
  return false;
}

/** network-online-not-wanted: `wants = [ "network-online.target" ];` next to `after` (or appended to `wants`). */
export function networkOnlineFixes(finding: Finding, nix: NixConfiguration, reader: FileReader): CodeFix[] {
  const service = dataString(finding, 'service');
  const after = definitionOfFinding(finding, nix);
  if (!service || !after) return [];
  const wantsPath = ['systemd', 'services', service, 'wants'];
  const draft = new FixDraft(reader, nix);
  const value = `[ ${quoteString(NETWORK_ONLINE)} ]`;
  const ok = appendToExistingList(draft, nix, wantsPath, [quoteString(NETWORK_ONLINE)]) || insertNextTo(draft, after, wantsPath, value) || insertBinding(draft, nix, wantsPath, value, after.file);
  const fix = ok ? draft.toFix(`Add wants = [ "${NETWORK_ONLINE}" ] to ${service}`, finding.code, true) : undefined;
  return fix ? [fix] : [];
}

/** print0-read-without-nul: ` -d ''` after read's options (written `-d '''` inside an indented string). */
export function print0ReadFixes(finding: Finding, nix: NixConfiguration, reader: FileReader): CodeFix[] {
  const offset = dataNumber(finding, 'insertOffset');
  const indented = finding.data?.['indented'];
  if (offset === undefined || typeof indented !== 'boolean') return [];
  const draft = new FixDraft(reader, nix);
  draft.insert(finding.file, offset, indented ? " -d '''" : " -d ''");
  const fix = draft.toFix("Add -d '' to read (split on NUL like -print0)", finding.code, true);
  return fix ? [fix] : [];
}

/** script-shebang-ignored: remove the `#!` line. */
export function shebangFixes(finding: Finding, nix: NixConfiguration, reader: FileReader): CodeFix[] {
  const start = dataNumber(finding, 'deleteStart');
  const end = dataNumber(finding, 'deleteEnd');
  if (start === undefined || end === undefined || end < start) return [];
  const draft = new FixDraft(reader, nix);
  draft.replace(finding.file, start, end, '');
  const fix = draft.toFix('Remove the ignored #! line', finding.code, true);
  return fix ? [fix] : [];
}

/** autostart-without-mount-deps: the missing mount points added to `unitConfig.RequiresMountsFor`. */
export function requiresMountsForFixes(finding: Finding, nix: NixConfiguration, reader: FileReader): CodeFix[] {
  const service = dataString(finding, 'service');
  const missing = finding.data?.['missing'];
  if (!service || !Array.isArray(missing) || missing.length === 0) return [];
  const mounts = missing.map(String);
  const path = ['systemd', 'services', service, 'unitConfig', 'RequiresMountsFor'];
  const draft = new FixDraft(reader, nix);
  let ok = appendToExistingList(draft, nix, path, mounts.map(quoteString));
  if (!ok) {
    // A space-separated string (systemd's own syntax) becomes a list holding its items and the missing ones.
    const stringDef = nix.definitionsOf(path).find((def) => def.value.kind === 'string' && !def.value.interpolated && !def.conditional);
    const source = stringDef ? draft.source(stringDef.file) : undefined;
    if (stringDef && source) {
      const items = [...stringItems(stringDef.value).flatMap((value) => value.split(/\s+/).filter(Boolean)), ...mounts];
      ok = draft.replace(source.file, source.lines.offsetAt(stringDef.valueLoc.range.start), source.lines.offsetAt(stringDef.valueLoc.range.end), `[ ${items.map(quoteString).join(' ')} ]`);
    } else {
      ok = insertBinding(draft, nix, path, `[ ${mounts.map(quoteString).join(' ')} ]`, finding.file);
    }
  }
  const fix = ok ? draft.toFix(`Add unitConfig.RequiresMountsFor = [ ${mounts.join(' ')} ] to ${service}`, finding.code, true) : undefined;
  return fix ? [fix] : [];
}
