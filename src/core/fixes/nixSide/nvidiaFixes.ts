import type { NixConfiguration } from '../../nix/model';
import { isEnabled } from '../../nix/views';
import type { Finding, FileReader } from '../../types';
import { serviceCdiEdit } from '../cdiEdits';
import type { FileEdit, TextEdit } from '../../edits/model';
import type { CodeFix } from '../model';
import { appendToList, removeEntry } from './bindingEdits';
import { FixDraft } from './fixDraft';
import { definitionOfFinding } from './findingDefinition';
import { insertBinding, locateBinding } from './placeBinding';
import { listAt } from './syntaxLookup';

const TOOLKIT_ENABLE = ['hardware', 'nvidia-container-toolkit', 'enable'];

/**
 * nvidia-open-unset: two fixes, `open = true` and `open = false`. The one the old host's GPU takes is preferred
 * (the finding's `openModules`); without GPU data neither is: which modules a card takes is the user's call.
 */
export function nvidiaOpenFixes(finding: Finding, nix: NixConfiguration, reader: FileReader): CodeFix[] {
  const near = definitionOfFinding(finding, nix)?.file ?? finding.file;
  const known = finding.data?.['openModules'];
  const fixes: CodeFix[] = [];
  for (const open of [true, false]) {
    const draft = new FixDraft(reader, nix);
    if (!insertBinding(draft, nix, ['hardware', 'nvidia', 'open'], String(open), near)) continue;
    const title = open ? 'Set hardware.nvidia.open = true (open kernel modules: Turing / RTX 20xx and newer)' : 'Set hardware.nvidia.open = false (proprietary modules: GTX 10xx and older)';
    const fix = draft.toFix(title, finding.code, known === open);
    if (fix) fixes.push(fix);
  }
  return fixes;
}

/**
 * docker-enable-nvidia-deprecated: the binding becomes `hardware.nvidia-container-toolkit.enable = …;`, and in the
 * same fix every service that relied on the `nvidia` runtime it registered is rewritten to a CDI request (the rule
 * lists them in the finding's data), so no stack is left asking for a runtime that is gone. When a service cannot be
 * rewritten, the Nix edit alone is offered, not preferred.
 */
export function dockerEnableNvidiaFixes(finding: Finding, nix: NixConfiguration, reader: FileReader): CodeFix[] {
  const def = definitionOfFinding(finding, nix);
  if (!def) return [];
  const draft = new FixDraft(reader, nix);
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
  if (!ok) return [];
  const stacks = composeRewrites(finding, reader);
  const rewritable = finding.data?.['rewritable'] !== false && !('error' in stacks);
  const services = 'error' in stacks ? [] : stacks.services;
  const title = services.length
    ? `Replace enableNvidia with hardware.nvidia-container-toolkit.enable and request the GPU of ${services.join(', ')} through CDI`
    : rewritable
      ? 'Replace enableNvidia with hardware.nvidia-container-toolkit.enable'
      : 'Replace enableNvidia with hardware.nvidia-container-toolkit.enable (rewrite the services that use runtime: nvidia by hand first)';
  const fix = draft.toFix(title, finding.code, rewritable);
  if (!fix) return [];
  if (!('error' in stacks)) fix.edits.push(...stacks.edits);
  return [fix];
}

/** The compose edits of the fix: each listed service rewritten to CDI, grouped by file. */
function composeRewrites(finding: Finding, reader: FileReader): { edits: FileEdit[]; services: string[] } | { error: string } {
  const data = finding.data;
  const list = (key: string): string[] => (Array.isArray(data?.[key]) ? (data[key] as unknown[]).filter((v): v is string => typeof v === 'string') : []);
  const files = list('gpuFiles');
  const services = list('gpuServices');
  const ids = list('gpuIds');
  const byFile = new Map<string, { baseText: string; edits: TextEdit[] }>();
  for (const [index, file] of files.entries()) {
    const service = services[index];
    if (service === undefined) continue;
    const current = byFile.get(file);
    const text = current?.baseText ?? reader.readText(file);
    if (text === undefined) return { error: `${file} cannot be read` };
    const names = (ids[index] ?? '').split(',').filter(Boolean);
    const result = serviceCdiEdit(text, service, names, { environmentRequests: data?.['gpuFromEnvironment'] === true });
    if ('error' in result) return result;
    byFile.set(file, { baseText: text, edits: [...(current?.edits ?? []), ...result.edits] });
  }
  const edits = [...byFile].filter(([, entry]) => entry.edits.length > 0).map(([file, entry]) => ({ file, baseText: entry.baseText, edits: entry.edits }));
  return { edits, services };
}

/** toolkit-without-nvidia-driver: `"nvidia"` appended to services.xserver.videoDrivers (declared when absent). */
export function toolkitDriverFixes(finding: Finding, nix: NixConfiguration, reader: FileReader): CodeFix[] {
  const draft = new FixDraft(reader, nix);
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
