/**
 * Imports run one way (#14, docs/architecture.md): the faces (cli, server, client) sit on core and never on each
 * other; inside core, a layer imports only its own layer and those below it. Every import of every file in src/ is
 * read with a regular expression (static `from '…'`, `import('…')`, `require('…')`, side-effect `import '…'`) and
 * resolved to a file; a wrong-way import fails the test, naming the file and the import.
 *
 * The tables below are the rules, and docs/architecture.md shows the same ones: change both together.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '..', '..', 'src');

/** The folders of src/ and the other folders each may import (its own always). */
const FOLDERS: Readonly<Record<string, readonly string[]>> = {
  core: [],
  platform: ['core'],
  shared: ['core'],
  cli: ['core', 'platform'],
  server: ['core', 'shared', 'platform'],
  // The client talks to the server over LSP (shared/protocol.ts), never by importing it.
  client: ['core', 'shared', 'platform'],
};

/** Packages a folder may not import: core is pure logic (no editor, no LSP, no processes). */
const FORBIDDEN_PACKAGES: Readonly<Record<string, readonly RegExp[]>> = {
  core: [/^vscode($|-)/, /^(node:)?child_process$/],
};

/**
 * Core's layers, low to high. A path ending in `/` is a folder of src/core, any other a file; `*` is every core file
 * the table does not name (today envFileLinks.ts).
 */
const CORE_LAYERS: readonly { layer: string; paths: readonly string[] }[] = [
  { layer: 'base', paths: ['types.ts', 'text.ts', 'settings.ts', 'messages.ts', 'edits/'] },
  { layer: 'readers', paths: ['compose/', 'nix/', 'host/'] },
  // evaluation/ merges what Nix evaluated into the Nix model and turns the configuration's own assertions into findings.
  // analysis/types.ts is the pipeline's options and result types, declarations only: evaluation/ targets a NixosHost,
  // fixes and products read a WorkspaceAnalysis, so the types sit here while the code that fills them is the pipeline's.
  { layer: 'rules', paths: ['rules/', 'evaluation/', 'analysis/types.ts'] },
  { layer: 'fixes', paths: ['fixes/'] },
  { layer: 'products', paths: ['generate/', 'verify/', 'report/', 'explain.ts'] },
  // applyFixes.ts re-runs the incremental analysis after every fix, so it sits with the pipeline.
  { layer: 'pipeline', paths: ['analysis/', 'applyFixes.ts', '*'] },
];

/**
 * Imports against the layers that stay for now, each with why. The test fails when one is no longer needed, so the
 * list only shrinks. Paths are relative to src/.
 */
const EXEMPTIONS: readonly { from: string; to: string; why: string }[] = [];

interface Import {
  /** Path of the importing file, relative to src/. */
  file: string;
  /** The specifier as written. */
  specifier: string;
  /** The imported file relative to src/, for a relative specifier that resolves to a file in src/. */
  target?: string;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])([^'"\n]+)\1/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function resolveImport(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromFile), specifier.replace(/\.js$/, ''));
  const found = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), base].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
  return found && !path.relative(SRC, found).startsWith('..') ? path.relative(SRC, found).split(path.sep).join('/') : undefined;
}

/** Every import of every source file below `root` (src/). */
function importsOf(root: string = SRC): Import[] {
  return sourceFiles(root).flatMap((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const relative = path.relative(SRC, file).split(path.sep).join('/');
    return [...text.matchAll(IMPORT)].map((match): Import => {
      const specifier = match[2] ?? '';
      const target = resolveImport(file, specifier);
      return target === undefined ? { file: relative, specifier } : { file: relative, specifier, target };
    });
  });
}

const folderOf = (file: string): string => file.split('/')[0] ?? '';

/** The index in CORE_LAYERS of a file of src/core (`core/nix/model.ts`). */
function coreLayerOf(file: string): number {
  const inCore = file.slice('core/'.length);
  const index = CORE_LAYERS.findIndex(({ paths }) => paths.some((p) => (p.endsWith('/') ? inCore.startsWith(p) : inCore === p)));
  return index >= 0 ? index : CORE_LAYERS.findIndex(({ paths }) => paths.includes('*'));
}

/** Why an import breaks the rules, or undefined when it keeps them (exemptions not applied). */
function violation(entry: Import): string | undefined {
  const from = folderOf(entry.file);
  if (entry.target === undefined) {
    const forbidden = FORBIDDEN_PACKAGES[from]?.find((pattern) => pattern.test(entry.specifier));
    return forbidden ? `src/${from}/ may not import the package '${entry.specifier}'` : undefined;
  }
  const to = folderOf(entry.target);
  if (from !== to) {
    const allowed = FOLDERS[from];
    if (allowed === undefined) return `src/${from}/ is not in the table of folders (test/unit/architecture.test.ts)`;
    return allowed.includes(to) ? undefined : `src/${from}/ may import ${allowed.length ? allowed.map((f) => `src/${f}/`).join(', ') : 'nothing outside itself'}, not src/${to}/`;
  }
  if (from !== 'core') return undefined;
  const own = coreLayerOf(entry.file);
  const imported = coreLayerOf(entry.target);
  return imported > own ? `core layer '${CORE_LAYERS[own]?.layer}' may not import the higher layer '${CORE_LAYERS[imported]?.layer}'` : undefined;
}

test('every folder of src/ is in the table of what it may import', () => {
  const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  assert.deepEqual(folders.sort(), Object.keys(FOLDERS).sort());
});

test('imports run one way: faces on core, never on each other; inside core, never to a higher layer', () => {
  const exempt = (entry: Import): boolean => EXEMPTIONS.some((e) => e.from === entry.file && e.to === entry.target);
  const problems = importsOf()
    .map((entry) => ({ entry, why: violation(entry) }))
    .filter(({ entry, why }) => why !== undefined && !exempt(entry))
    .map(({ entry, why }) => `src/${entry.file} imports '${entry.specifier}'${entry.target ? ` (src/${entry.target})` : ''}: ${why}`);
  assert.deepEqual(problems, [], `wrong-way imports (see docs/architecture.md):\n${problems.join('\n')}`);
});

test('every exemption is still needed (the list only shrinks)', () => {
  const imports = importsOf();
  const unused = EXEMPTIONS.filter((e) => !imports.some((entry) => entry.file === e.from && entry.target === e.to && violation(entry) !== undefined));
  assert.deepEqual(unused.map((e) => `${e.from} -> ${e.to}`), [], 'remove these from EXEMPTIONS in test/unit/architecture.test.ts');
});

test('the import reader finds every form of import, and the rules catch a wrong-way one', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-architecture-'));
  try {
    const file = path.join(dir, 'sample.ts');
    fs.writeFileSync(
      file,
      [
        "import type { A } from './a';",
        "import {\n  B,\n  C,\n} from \"./b\";",
        "export * from './c';",
        "import './d';",
        "const e = await import('./e');",
        "const f = require('./f');",
      ].join('\n'),
    );
    assert.deepEqual(
      importsOf(dir).map((entry) => entry.specifier),
      ['./a', './b', './c', './d', './e', './f'],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.match(violation({ file: 'core/nix/editFiles.ts', specifier: '../fixes/model', target: 'core/fixes/model.ts' }) ?? '', /'readers' may not import the higher layer 'fixes'/);
  assert.match(violation({ file: 'core/workspace.ts', specifier: '../core/settings', target: 'shared/settings.ts' }) ?? '', /src\/core\/ may import nothing outside itself, not src\/shared\//);
  assert.match(violation({ file: 'client/extension.ts', specifier: '../server/server', target: 'server/server.ts' }) ?? '', /not src\/server\//);
  assert.match(violation({ file: 'core/nix/syntax.ts', specifier: 'vscode' }) ?? '', /may not import the package 'vscode'/);
  assert.equal(violation({ file: 'core/rules/rule.ts', specifier: '../nix/model', target: 'core/nix/model.ts' }), undefined);
  assert.equal(violation({ file: 'core/analysis/pipeline.ts', specifier: '../rules', target: 'core/rules/index.ts' }), undefined);
});
