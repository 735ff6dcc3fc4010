// Bundles the three faces of the product (CLI, language server, VS Code client) into dist/.
// The tree-sitter runtime and the Nix grammar are wasm files loaded at run time: copy them beside the bundles.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const entries = [
  { in: 'src/cli/cli.ts', out: 'cli', banner: '#!/usr/bin/env node' },
  { in: 'src/server/server.ts', out: 'server' },
  { in: 'src/client/extension.ts', out: 'extension' },
].filter((entry) => fs.existsSync(entry.in));

const wasmFiles = [
  [require.resolve('web-tree-sitter/tree-sitter.wasm'), 'tree-sitter.wasm'],
  [require.resolve('@cursorless/tree-sitter-wasms/out/tree-sitter-nix.wasm'), 'tree-sitter-nix.wasm'],
];

/** Resolves the bare `web-tree-sitter` import to its CommonJS build (subpaths such as the wasm stay as they are). */
const treeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

/**
 * The language server's files import `vscode-languageserver/node` (a CommonJS module re-exporting the whole protocol,
 * some 700 names) one by one; esbuild gives each importing file its own copy of those names, made when the bundle
 * loads (~2 ms apiece on a cold start). The server's files reach it through one shared ES module instead: one copy.
 */
const languageServerOnce = {
  name: 'vscode-languageserver-once',
  setup(build) {
    build.onResolve({ filter: /^vscode-languageserver\/node$/ }, (args) => (args.namespace === 'languageserver-once' ? undefined : { path: 'vscode-languageserver/node', namespace: 'languageserver-once' }));
    build.onLoad({ filter: /.*/, namespace: 'languageserver-once' }, () => ({ contents: "export * from 'vscode-languageserver/node';", resolveDir: __dirname, loader: 'js' }));
  },
};

async function main() {
  fs.mkdirSync('dist', { recursive: true });
  for (const [from, to] of wasmFiles) fs.copyFileSync(from, path.join('dist', to));
  const contexts = await Promise.all(entries.map((entry) => esbuild.context({
    entryPoints: { [entry.out]: entry.in },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: 'dist',
    external: ['vscode'],
    // web-tree-sitter's ESM build needs import.meta.url, which a CJS bundle lacks: bundle its CJS build instead.
    plugins: [treeSitterCjs, languageServerOnce],
    // The wasm look-ups fall back to require.resolve in development; in the bundle they sit beside it (copied above).
    logOverride: { 'require-resolve-not-external': 'silent' },
    sourcemap: production ? false : 'linked',
    minify: production,
    banner: entry.banner ? { js: entry.banner } : undefined,
    logLevel: 'warning',
    legalComments: 'none',
    define: { PACKAGE_VERSION: JSON.stringify(require('./package.json').version) },
  })));
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    return;
  }
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
