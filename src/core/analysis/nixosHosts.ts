/**
 * The NixOS hosts of a repository, found without evaluating anything:
 *
 * - entry modules given explicitly (`--nix`, `nixosHomelab.nixosConfiguration`), one host each;
 * - `nixosConfigurations.<name> = nixpkgs.lib.nixosSystem { modules = [ … ]; }` in a flake (or in a flake-parts
 *   module: `flake.nixosConfigurations.<name>`), and the shapes that build them with a function whose host list is
 *   written down: `nas = mkHost "nas";`, `lib.mapAttrs mkHost { nas = …; }`, `lib.genAttrs [ "nas" ] mkHost`,
 *   `mapAttrs mkHost (builtins.readDir ./hosts)`. A function's `modules` list is read with the host's name put in
 *   for its interpolation (`./hosts/${name}`); without one, the host's folder is looked for (`hosts/<name>/`…);
 * - Colmena hives (`colmena = { meta = …; nas = { imports = [ … ]; … }; }`, `colmenaHive = colmena.lib.makeHive
 *   { … }`): each node's own set is a module of the host, `defaults`' imports are shared by all;
 * - flake-parts / import-tree layouts: `flake.modules.nixos.<name> = { … }` (or `nixosModules.<name>`) defined in
 *   any .nix file, referenced from a host's `modules` or another such module's `imports`;
 * - every `configuration.nix` of the workspace, named by its folder — unless another host imports it (a shared
 *   `hosts/common/configuration.nix` is a module, not a host: see `withoutImportedHosts`).
 */
import * as path from 'node:path';
import type { FileSource } from './fileSource';
import type { FileReader } from '../types';
import type { DiscoveredFiles, HostModule, NixosHost } from './types';
import { bindingValue, blankComments, closingBracket, listStrings, pathLiterals, setBindings, unquote, valueSpan, type Span } from '../nix/sourceScan';

/** Folders where repositories keep one folder (or file) per host, relative to the flake. */
const HOST_FOLDERS = ['hosts', 'machines', 'systems', 'nodes', 'hosts/nixos', 'nixos/hosts', 'nixos/machines', 'nixos', 'systems/x86_64-linux', 'systems/aarch64-linux'];

/** A stable key for a host's configuration (its modules), for caches. */
export function hostKey(host: NixosHost): string {
  // A host known only from Nix has no modules (core/analysis/nixOnlyHosts.ts): its flake and name tell it.
  if (host.modules.length === 0) return `${host.entry}#${host.name}`;
  return host.modules.map((module) => (module.span ? `${module.file}@${module.span.start}-${module.span.end}` : module.file)).join('\n');
}

/** Finds the hosts: explicit entry modules, else the flakes' and hives' hosts plus every configuration.nix. */
export function findHosts(files: DiscoveredFiles, roots: readonly string[], explicitEntries: readonly string[], disk: FileSource): NixosHost[] {
  const base = path.resolve(roots[0] ?? '.');
  if (explicitEntries.length > 0) {
    return explicitEntries.map((written) => {
      const entry = path.resolve(base, written);
      return { name: folderName(entry), entry, modules: [{ file: entry }], folder: path.dirname(entry), source: 'explicit' };
    });
  }
  const hosts: NixosHost[] = [];
  const add = (host: NixosHost): void => {
    if (!hosts.some((known) => known.name === host.name && known.entry === host.entry)) hosts.push(host);
  };
  for (const flake of files.flakeFiles) for (const host of flakeHosts(flake, disk)) add(host);
  const inFlakeHosts = new Set(hosts.flatMap((host) => host.modules.map((module) => module.file)));
  for (const file of files.configurationFiles) {
    if (inFlakeHosts.has(file)) continue;
    add({ name: folderName(file), entry: file, modules: [{ file }], folder: path.dirname(file), source: 'configuration.nix' });
  }
  return hosts;
}

/**
 * Drops the configuration.nix hosts that another host imports: a `hosts/common/configuration.nix` every host reads
 * is a shared module. `filesOf` gives the files a host's configuration read.
 */
export function withoutImportedHosts(hosts: readonly NixosHost[], filesOf: (host: NixosHost) => readonly string[]): NixosHost[] {
  return hosts.filter((host) => host.source !== 'configuration.nix' || !hosts.some((other) => other !== host && other.entry !== host.entry && filesOf(other).includes(host.entry)));
}

/** The name a host module's folder gives it: `hosts/nas/configuration.nix` → nas. */
function folderName(file: string): string {
  const base = path.basename(file, '.nix');
  return ['configuration', 'default'].includes(base) ? path.basename(path.dirname(file)) : base;
}

/** The hosts one flake.nix declares (and the flake-parts modules next to it). */
function flakeHosts(flake: string, disk: FileSource): NixosHost[] {
  const raw = disk.readText(flake);
  if (raw === undefined) return [];
  const text = blankComments(raw);
  const dir = path.dirname(flake);
  const sources: SourceFile[] = [{ file: flake, text }];
  // flake-parts and import-tree spread the flake over modules: read the .nix files beside it too.
  if (/flake-parts|import-tree|modules\.nixos|flake\.nixosConfigurations/.test(text)) {
    for (const file of nixFilesUnder(dir, disk, 400)) {
      if (file === flake) continue;
      const other = disk.readText(file);
      if (other !== undefined) sources.push({ file, text: blankComments(other) });
    }
  }
  const named = new FlakeModules(sources);
  const hosts: NixosHost[] = [];
  for (const source of sources) {
    for (const declared of declaredHosts(source, disk)) {
      const host = hostFromDeclaration(declared, source, sources, named, dir, disk);
      if (host) hosts.push(host);
    }
    for (const node of colmenaNodes(source, disk)) hosts.push(node);
  }
  return hosts;
}

interface SourceFile {
  file: string;
  text: string;
}

/** A host named in `nixosConfigurations`, with the expression that builds it when it is written per host. */
interface DeclaredHost {
  name: string;
  value?: Span;
  /** The whole `nixosConfigurations = …` expression (for the function it applies). */
  builder?: Span;
}

/** The hosts a `nixosConfigurations` in this file names. */
function declaredHosts(source: SourceFile, disk: FileSource): DeclaredHost[] {
  const { text } = source;
  const found: DeclaredHost[] = [];
  for (const match of text.matchAll(/(?<![\w'-])nixosConfigurations\s*(?:\.\s*([A-Za-z_][\w'-]*|"[^"$]*")\s*)?=(?!=)/g)) {
    const value = valueSpan(text, (match.index ?? 0) + match[0].length);
    if (match[1] !== undefined) {
      found.push({ name: unquote(match[1]), value });
      continue;
    }
    const expression = text.slice(value.start, value.end);
    if (expression.startsWith('{')) {
      for (const binding of setBindings(text, value.start)) if (!binding.name.includes('.')) found.push({ name: binding.name, value: binding.value });
      continue;
    }
    for (const name of namesFromBuilder(expression, value.start, source, disk)) found.push({ name, builder: value });
  }
  return found;
}

/** `lib.mapAttrs mkHost { nas = …; }`, `genAttrs [ "nas" ] mkHost`, `mapAttrs mkHost hosts`, `… (readDir ./hosts)`. */
function namesFromBuilder(expression: string, offset: number, source: SourceFile, disk: FileSource, depth = 0): string[] {
  if (depth > 3) return [];
  const readDir = /readDir\s+(\.{1,2}\/[\w./-]*)/.exec(expression);
  if (readDir) return hostFolderNames(path.resolve(path.dirname(source.file), readDir[1] as string), disk);
  const trimmed = expression.trim();
  // The set or list the function is applied to: the last argument, written in place or bound to a name.
  if (trimmed.endsWith('}')) {
    const open = matchingOpen(trimmed, trimmed.length - 1);
    if (open >= 0) return setBindings(source.text, offset + expression.indexOf(trimmed) + open).map((binding) => binding.name).filter((name) => !name.includes('.'));
  }
  const list = /\[([^\]]*)\]/.exec(trimmed);
  if (list && /genAttrs/.test(trimmed)) return listStrings(list[1] as string);
  const last = /([A-Za-z_][\w'-]*)\s*\)?\s*$/.exec(trimmed);
  const name = last?.[1];
  if (name && !['mkHost', 'mkSystem', 'mkNixos'].includes(name)) {
    const bound = bindingValue(source.text, name);
    if (bound) {
      const value = source.text.slice(bound.start, bound.end);
      if (value.startsWith('{')) return setBindings(source.text, bound.start).map((binding) => binding.name).filter((n) => !n.includes('.'));
      if (value.startsWith('[')) return listStrings(value);
      const imported = /^import\s+(\.{1,2}\/[\w./-]*)/.exec(value);
      if (imported) {
        const file = resolveNixFile(path.resolve(path.dirname(source.file), imported[1] as string), disk);
        const other = file && disk.readText(file);
        if (other !== undefined && other !== '' && file) {
          const otherText = blankComments(other);
          const open = otherText.indexOf('{');
          if (open >= 0) return setBindings(otherText, open).map((binding) => binding.name).filter((n) => !n.includes('.'));
        }
      }
      return namesFromBuilder(value, bound.start, source, disk, depth + 1);
    }
  }
  return [];
}

/** The offset of the bracket that `close` closes, scanning backwards (strings are not expected here). */
function matchingOpen(text: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const ch = text[i];
    if (ch === '}' || ch === ']' || ch === ')') depth++;
    else if (ch === '{' || ch === '[' || ch === '(') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** A host's modules: its own `modules` list, else the builder function's with its name put in, else its folder. */
function hostFromDeclaration(declared: DeclaredHost, source: SourceFile, sources: readonly SourceFile[], named: FlakeModules, flakeDir: string, disk: FileSource): NixosHost | undefined {
  const { text, file } = source;
  const modules: HostModule[] = [];
  const own = declared.value ? text.slice(declared.value.start, declared.value.end) : '';
  const direct = /nixosSystem/.test(own) ? modulesList(own) : undefined;
  let listed: string | undefined = direct;
  let functionFile: string | undefined;
  if (listed === undefined) {
    // `mkHost "nas"`, `mapAttrs mkHost …`: the function's body, wherever in the file it is bound.
    // The first name in the host's expression (or in the builder) that is bound to a function building a system.
    const words = [...`${own} ${declared.builder ? text.slice(declared.builder.start, declared.builder.end) : ''}`.matchAll(/(?<![\w.'-])([A-Za-z_][\w'-]*)/g)].map((match) => match[1] as string);
    const body = words.map((word) => functionBody(word, sources)).find((found) => found !== undefined);
    if (body) {
      listed = modulesList(body.text)?.replace(/\$\{[^}]*\}/g, declared.name);
      functionFile = body.file;
    }
  }
  const moduleSource = listed !== undefined && direct === undefined ? undefined : source;
  if (listed !== undefined) {
    const relativeTo = moduleSource?.file ?? functionFile ?? file;
    for (const literal of pathLiterals(listed)) {
      if (literal.written.includes('${')) continue;
      const resolved = resolveNixFile(path.resolve(path.dirname(relativeTo), literal.written), disk);
      if (resolved) modules.push({ file: resolved });
    }
    for (const reference of flakeModuleReferences(listed)) modules.push(...named.resolve(reference));
  }
  if (modules.length === 0) {
    const folder = conventionalHostModule(declared.name, flakeDir, disk);
    if (folder) modules.push({ file: folder });
  }
  if (modules.length === 0) return undefined;
  const entryModule = modules.find((module) => !module.span && isOwnModule(module.file, declared.name)) ?? modules.find((module) => !module.span) ?? (modules[0] as HostModule);
  const entry = entryModule.file;
  return { name: declared.name, entry, modules: [entryModule, ...modules.filter((module) => module !== entryModule)], folder: path.dirname(entry), source: source.file.endsWith('flake.nix') ? 'flake' : 'flake-parts' };
}

/** The text of a `modules = [ … ]` list in an expression. */
function modulesList(expression: string): string | undefined {
  const match = /(?<![\w.])modules\s*=\s*(?:\[|[^;[]*?\+\+\s*\[)/.exec(expression);
  if (!match) return undefined;
  const open = (match.index ?? 0) + match[0].length - 1;
  const close = closingBracket(expression, open);
  // A list concatenated with another one (`[ … ] ++ extraModules`) keeps its literal part.
  return expression.slice(open + 1, close);
}

/** The body of a function bound to `name` (`mkHost = name: …;`, `mkHost = { hostname, … }: …;`) in one of the files. */
function functionBody(name: string, sources: readonly SourceFile[]): { file: string; text: string } | undefined {
  for (const source of sources) {
    const bound = bindingValue(source.text, name);
    if (!bound) continue;
    const value = source.text.slice(bound.start, bound.end);
    if (/^(?:[A-Za-z_][\w'-]*\s*:|\{[^}]*\}\s*(?:@\s*\w+\s*)?:|\w+\s*@\s*\{)/.test(value) && /nixosSystem|modules\s*=/.test(value)) return { file: source.file, text: value };
  }
  return undefined;
}

/** Whether a module file is the host's own (its folder or file carries the host's name). */
function isOwnModule(file: string, name: string): boolean {
  return file.split(path.sep).includes(name) || path.basename(file, '.nix') === name;
}

/** `hosts/<name>/` (its default.nix or configuration.nix) or `hosts/<name>.nix`, in the usual folders. */
function conventionalHostModule(name: string, flakeDir: string, disk: FileReader): string | undefined {
  for (const folder of HOST_FOLDERS) {
    const dir = path.join(flakeDir, folder, name);
    for (const candidate of [path.join(dir, 'configuration.nix'), path.join(dir, 'default.nix'), `${dir}.nix`]) if (disk.exists(candidate)) return candidate;
  }
  return undefined;
}

/** The names of the folders (and .nix files) in a folder: `readDir ./hosts`. */
function hostFolderNames(dir: string, disk: FileSource): string[] {
  return (disk.listDir(dir) ?? [])
    .filter((entry) => !entry.startsWith('.') && (entry.endsWith('.nix') ? entry !== 'default.nix' : disk.exists(path.join(dir, entry, 'default.nix')) || disk.exists(path.join(dir, entry, 'configuration.nix'))))
    .map((entry) => entry.replace(/\.nix$/, ''))
    .sort();
}

/** A module path as Nix reads it: a folder means its default.nix. */
function resolveNixFile(target: string, disk: FileReader): string | undefined {
  if (target.endsWith('.nix')) return disk.exists(target) ? target : undefined;
  for (const candidate of [path.join(target, 'default.nix'), path.join(target, 'configuration.nix')]) if (disk.exists(candidate)) return candidate;
  return undefined;
}

/** Every .nix file under a folder (hidden folders, result links and node_modules skipped), at most `limit`. */
function nixFilesUnder(dir: string, disk: FileSource, limit: number): string[] {
  const found: string[] = [];
  const walk = (folder: string, depth: number): void => {
    if (depth > 8 || found.length >= limit) return;
    for (const entry of disk.listDir(folder) ?? []) {
      if (entry.startsWith('.') || entry === 'node_modules' || entry === 'result') continue;
      const full = path.join(folder, entry);
      if (entry.endsWith('.nix')) found.push(full);
      else if (!entry.includes('.')) walk(full, depth + 1);
    }
  };
  walk(dir, 0);
  return found.sort();
}

/** `config.flake.modules.nixos.nas`, `self.nixosModules.docker`, `modules.nixos."hosts/nas"` in a text. */
function flakeModuleReferences(text: string): string[] {
  const names = [...text.matchAll(/(?:modules\.nixos|nixosModules)\s*\.\s*([A-Za-z_][\w'-]*|"[^"$]*")/g)].map((match) => unquote(match[1] as string));
  // `with config.flake.modules.nixos; [ docker base ]`
  for (const match of text.matchAll(/with\s+[\w.]*(?:modules\.nixos|nixosModules)\s*;\s*\[([^\]]*)\]/g)) {
    for (const word of (match[1] as string).matchAll(/(?<![\w.'-])([A-Za-z_][\w'-]*)(?![\w.'-])/g)) names.push(word[1] as string);
  }
  return names;
}

/** The flake-parts modules (`flake.modules.nixos.<name> = …`, `nixosModules.<name> = …`) defined in the files. */
class FlakeModules {
  private readonly byName = new Map<string, { file: string; span: Span; text: string }[]>();

  constructor(sources: readonly SourceFile[]) {
    for (const source of sources) {
      for (const match of source.text.matchAll(/(?:modules\.nixos|nixosModules)\s*\.\s*([A-Za-z_][\w'-]*|"[^"$]*")\s*=(?!=)/g)) {
        const span = valueSpan(source.text, (match.index ?? 0) + match[0].length);
        const name = unquote(match[1] as string);
        const list = this.byName.get(name) ?? [];
        list.push({ file: source.file, span, text: source.text });
        this.byName.set(name, list);
      }
    }
  }

  /** The modules a reference stands for, with the ones their `imports` reference (each once). */
  resolve(name: string, seen = new Set<string>()): HostModule[] {
    if (seen.has(name)) return [];
    seen.add(name);
    const modules: HostModule[] = [];
    for (const defined of this.byName.get(name) ?? []) {
      const body = defined.text.slice(defined.span.start, defined.span.end);
      const module: HostModule = { file: defined.file, span: defined.span };
      const imports = /(?<![\w.])imports\s*=/.exec(body);
      if (imports) {
        let value = valueSpan(defined.text, defined.span.start + (imports.index ?? 0) + imports[0].length);
        // `imports = with config.flake.modules.nixos; [ docker users ];`: the `with` has a `;` of its own.
        if (/^with\s/.test(defined.text.slice(value.start, value.end))) value = { start: value.start, end: valueSpan(defined.text, value.end + 1).end };
        const list = defined.text.slice(value.start, value.end);
        const references = flakeModuleReferences(list);
        if (references.length > 0) {
          // Read here: the module reader would see names it cannot follow.
          module.blank = [{ start: defined.span.start + (imports.index ?? 0), end: value.end + 1 }];
          for (const literal of pathLiterals(list)) {
            if (literal.written.includes('${')) continue;
            const file = path.resolve(path.dirname(defined.file), literal.written);
            modules.push({ file });
          }
          for (const reference of references) modules.push(...this.resolve(reference, seen));
        }
      }
      modules.unshift(module);
    }
    return modules;
  }

}

/** The nodes of a Colmena hive in this file: `colmena = { … }` or `colmenaHive = colmena.lib.makeHive { … }`. */
function colmenaNodes(source: SourceFile, disk: FileReader): NixosHost[] {
  const { text, file } = source;
  const hosts: NixosHost[] = [];
  for (const match of text.matchAll(/(?<![\w'.-])(colmena|colmenaHive)\s*=(?!=)/g)) {
    const value = valueSpan(text, (match.index ?? 0) + match[0].length);
    const expression = text.slice(value.start, value.end);
    // `colmenaHive = colmena.lib.makeHive self.colmena;` names the hive defined elsewhere in the file.
    const open = expression.startsWith('{') ? value.start : /makeHive\s*\{/.test(expression) ? value.start + expression.search(/\{/) : -1;
    if (open < 0) continue;
    const bindings = setBindings(text, open);
    const defaults = bindings.find((binding) => binding.name === 'defaults');
    const shared: HostModule[] = [];
    if (defaults) {
      for (const literal of pathLiterals(text.slice(defaults.value.start, defaults.value.end))) {
        if (literal.written.includes('${')) continue;
        shared.push({ file: path.resolve(path.dirname(file), literal.written) });
      }
    }
    for (const binding of bindings) {
      if (['meta', 'defaults'].includes(binding.name) || binding.name.includes('.')) continue;
      const nodeText = text.slice(binding.value.start, binding.value.end);
      const imported = /^import\s+(\.{1,2}\/[\w./-]*)\s*$/.exec(nodeText);
      const own: HostModule = imported ? { file: path.resolve(path.dirname(file), imported[1] as string) } : { file, span: binding.value };
      const firstImport = pathLiterals(nodeText).find((literal) => !literal.written.includes('${') && isOwnModule(literal.written, binding.name));
      const entry = (imported ? resolveNixFile(own.file, disk) : firstImport ? resolveNixFile(path.resolve(path.dirname(file), firstImport.written), disk) : undefined) ?? file;
      if (hosts.some((host) => host.name === binding.name)) continue;
      hosts.push({ name: binding.name, entry, modules: [own, ...shared], folder: entry === file ? path.join(path.dirname(file), binding.name) : path.dirname(entry), source: 'colmena' });
    }
  }
  return hosts;
}
