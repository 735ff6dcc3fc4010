/**
 * Reads a host's NixOS configuration from its modules (nixosHosts.ts). One file is read as today's entry module;
 * several — a flake's `modules = [ … ]` list, a Colmena node's own set plus `defaults` — are read as if one module
 * imported them all. A module that is an expression inside a file (a Colmena node, `flake.modules.nixos.nas = { … }`)
 * is read from that file with everything around the expression blanked, so every position stays the file's own.
 */
import * as path from 'node:path';
import { loadNixConfiguration, type LoadNixOptions } from '../nix/configuration';
import type { NixConfiguration } from '../nix/model';
import type { HostModule, NixosHost } from './types';
import type { FileReader } from '../types';

/** The name of the module that stands for "imports every module of the host"; never on disk, never reported. */
const COMBINED_ENTRY = '.nixos-homelab-host-modules.nix';

/** Loads the configuration of a host; `entry` is the host's own module whichever way it was read. */
export function loadHostConfiguration(host: NixosHost, reader: FileReader, options: LoadNixOptions = {}): NixConfiguration {
  const [only] = host.modules;
  if (host.modules.length === 1 && only && !only.span) return loadNixConfiguration(only.file, reader, options);
  const spans = new Map<string, HostModule>();
  const listed: string[] = [];
  for (const module of host.modules) {
    // One expression per file can be read this way; a second one in the same file is left out.
    if (module.span && spans.has(module.file)) continue;
    if (module.span) spans.set(module.file, module);
    if (!listed.includes(module.file) && /^[\w./+-]+$/.test(module.file)) listed.push(module.file);
  }
  const combined = path.join(host.folder, COMBINED_ENTRY);
  const combinedText = `{ imports = [ ${listed.join(' ')} ]; }\n`;
  const view: FileReader = {
    readText(file) {
      if (file === combined) return combinedText;
      const text = reader.readText(file);
      const module = spans.get(file);
      return text === undefined || !module?.span ? text : maskOutside(text, module);
    },
    exists: (file) => file === combined || reader.exists(file),
  };
  const loaded = loadNixConfiguration(combined, view, options);
  return {
    ...loaded,
    entry: host.entry,
    files: loaded.files.filter((file) => file !== combined),
    problems: loaded.problems.filter((problem) => problem.file !== combined),
    unreadableImports: loaded.unreadableImports.filter((unreadable) => unreadable.loc.file !== combined),
  };
}

/** The text with everything but the module's expression (and its `blank` parts) turned into spaces, line breaks kept. */
function maskOutside(text: string, module: HostModule): string {
  const span = module.span as { start: number; end: number };
  const blank = module.blank ?? [];
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const inside = i >= span.start && i < span.end && !blank.some((part) => i >= part.start && i < part.end);
    out += inside || ch === '\n' || ch === '\r' ? ch : ' ';
  }
  return out;
}
