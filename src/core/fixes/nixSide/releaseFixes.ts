/**
 * Quick fixes for the release-dependent Nix-side rules: renamed or removed options (`option-renamed`) and an insecure
 * default Docker package (`docker-package-insecure`).
 */
import { ensureModuleArgument } from '../../nix/moduleArgs';
import type { NixConfiguration } from '../../nix/model';
import type { Finding, FileReader } from '../../types';
import type { CodeFix } from '../model';
import { attrPath } from '../../edits/nixExpr';
import { removeEntry } from './bindingEdits';
import { FixDraft } from './fixDraft';
import { dataString, definitionOfFinding } from './findingDefinition';
import { insertBinding, locateBinding } from './placeBinding';

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
}

/**
 * option-renamed: the segments of the binding that spell the old path are replaced by the new one, when the binding
 * sits in a set the new path shares (`services.openssh = { permitRootLogin = …; }` → `settings.PermitRootLogin`);
 * a binding inside a set the new path leaves (`hardware = { pulseaudio… }`) would have to move and gets no fix. A
 * removed option gets a non-preferred fix that deletes the binding.
 */
export function optionRenamedFixes(finding: Finding, nix: NixConfiguration, reader: FileReader): CodeFix[] {
  const def = definitionOfFinding(finding, nix);
  const from = stringList(finding.data?.['from']);
  if (!def || !from) return [];
  const draft = new FixDraft(reader, nix);
  const located = locateBinding(draft, def);
  if (!located) return [];
  const to = stringList(finding.data?.['to']);
  if (!to) {
    const fix = removeEntry(draft, located.source, located.binding) ? draft.toFix(`Remove ${attrPath(from)} (removed from NixOS)`, finding.code, false) : undefined;
    return fix ? [fix] : [];
  }
  const depth = located.container.length;
  const sharesContainer = located.container.every((segment, index) => to[index] === segment);
  const segments = located.binding.attrpath.segments;
  const last = segments[from.length - depth - 1];
  const first = segments[0];
  if (!sharesContainer || depth >= from.length || !first || !last) return [];
  if (!draft.replace(located.source.file, first.start, last.end, attrPath(to.slice(depth)))) return [];
  const fix = draft.toFix(`Rename ${attrPath(from)} to ${attrPath(to)}`, finding.code, true);
  return fix ? [fix] : [];
}

/** docker-package-insecure: `virtualisation.docker.package = pkgs.docker_29;` (an explicit package is replaced). */
export function dockerPackageFixes(finding: Finding, nix: NixConfiguration, reader: FileReader): CodeFix[] {
  const replacement = dataString(finding, 'replacement');
  const def = definitionOfFinding(finding, nix);
  if (!replacement || !def) return [];
  const draft = new FixDraft(reader, nix);
  const valueText = `pkgs.${replacement}`;
  let ok: boolean;
  if (finding.data?.['explicitPackage'] === true) {
    const source = draft.source(def.file);
    ok = source !== undefined && draft.replace(def.file, source.lines.offsetAt(def.exprLoc.range.start), source.lines.offsetAt(def.exprLoc.range.end), valueText);
  } else {
    ok = insertBinding(draft, nix, ['virtualisation', 'docker', 'package'], valueText, def.file);
  }
  if (!ok) return [];
  // `pkgs` must be bound in every module the fix writes it into.
  for (const { file } of draft.fileEdits()) {
    const source = draft.source(file);
    const edit = source ? ensureModuleArgument(source.text, source.tree, 'pkgs') : undefined;
    if (edit && !draft.addTextEdit(file, edit)) return [];
  }
  const fix = draft.toFix(`Use ${valueText} for Docker`, finding.code, true);
  return fix ? [fix] : [];
}
