import type { NixConfiguration } from '../../nix/model';
import { isEnabled } from '../../nix/views';
import type { Finding, FileHost } from '../../types';
import type { CodeFix } from '../model';
import { appendToList, removeEntry } from './bindingEdits';
import { FixDraft } from './fixDraft';
import { definitionOfFinding } from './findingDefinition';
import { insertBinding, locateBinding } from './placeBinding';
import { listAt } from './syntaxLookup';

const TOOLKIT_ENABLE = ['hardware', 'nvidia-container-toolkit', 'enable'];

/** nvidia-open-unset: two fixes, `open = true` (preferred: every GPU from Turing on) and `open = false`. */
export function nvidiaOpenFixes(finding: Finding, nix: NixConfiguration, host: FileHost): CodeFix[] {
  const near = definitionOfFinding(finding, nix)?.file ?? finding.file;
  const fixes: CodeFix[] = [];
  for (const open of [true, false]) {
    const draft = new FixDraft(host, nix);
    if (!insertBinding(draft, nix, ['hardware', 'nvidia', 'open'], String(open), near)) continue;
    const title = open ? 'Set hardware.nvidia.open = true (open kernel modules: Turing / RTX 20xx and newer)' : 'Set hardware.nvidia.open = false (proprietary modules: GTX 10xx and older)';
    const fix = draft.toFix(title, finding.code, open);
    if (fix) fixes.push(fix);
  }
  return fixes;
}

/** docker-enable-nvidia-deprecated: the binding becomes `hardware.nvidia-container-toolkit.enable = …;`. */
export function dockerEnableNvidiaFixes(finding: Finding, nix: NixConfiguration, host: FileHost): CodeFix[] {
  const def = definitionOfFinding(finding, nix);
  if (!def) return [];
  const draft = new FixDraft(host, nix);
  const located = locateBinding(draft, def);
  if (!located) return [];
  const { source } = located;
  const valueText = source.text.slice(source.lines.offsetAt(def.exprLoc.range.start), source.lines.offsetAt(def.exprLoc.range.end));
  let ok: boolean;
  if (isEnabled(nix.definitions, TOOLKIT_ENABLE)) {
    ok = removeEntry(draft, source, located.binding);
  } else if (located.container.length === 0) {
    // Written in full at the module's top level: replace the binding in place.
    ok = draft.replace(source.file, located.binding.start, located.binding.end, `hardware.nvidia-container-toolkit.enable = ${valueText};`);
  } else {
    // Inside `virtualisation.docker = { … }`: remove it there, declare the toolkit where hardware settings go.
    ok = removeEntry(draft, source, located.binding) && insertBinding(draft, nix, TOOLKIT_ENABLE, valueText, def.file);
  }
  const fix = ok ? draft.toFix('Replace enableNvidia with hardware.nvidia-container-toolkit.enable', finding.code, true) : undefined;
  return fix ? [fix] : [];
}

/** toolkit-without-nvidia-driver: `"nvidia"` appended to services.xserver.videoDrivers (declared when absent). */
export function toolkitDriverFixes(finding: Finding, nix: NixConfiguration, host: FileHost): CodeFix[] {
  const draft = new FixDraft(host, nix);
  let ok = false;
  for (const def of nix.definitionsOf(['services', 'xserver', 'videoDrivers'])) {
    if (def.conditional) continue;
    const source = draft.source(def.file);
    const list = source ? listAt(source.tree, source.lines.offsetAt(def.valueLoc.range.start)) : undefined;
    if (source && list) {
      ok = appendToList(draft, source, list, ['"nvidia"']);
      break;
    }
  }
  if (!ok) ok = insertBinding(draft, nix, ['services', 'xserver', 'videoDrivers'], '[ "nvidia" ]', definitionOfFinding(finding, nix)?.file ?? finding.file);
  const fix = ok ? draft.toFix('Add "nvidia" to services.xserver.videoDrivers', finding.code, true) : undefined;
  return fix ? [fix] : [];
}
