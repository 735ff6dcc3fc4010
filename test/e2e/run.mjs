#!/usr/bin/env node
// Entry point of the end-to-end tests: installs the toolchain if needed, starts code-server
// with the packaged extension, runs the UI tests (browser) and the extension-host tests,
// and closes with the line `N passed, N failed` (non-zero exit on any failure).
//
//   node test/e2e/run.mjs [--vsix nixos-homelab.vsix] [--ui-dir test/e2e/ui] [--suite-dir test/e2e/suite]
//                         [--suite-workspace DIR] [--extension-development-path DIR]
//                         [--output .test-output/e2e] [--filter TEXT] [--suite-filter TEXT] [--keep-temp]
//
// --filter TEXT runs only the UI tests whose file name contains TEXT, --suite-filter TEXT only the extension-host
// test files whose name contains TEXT; `--suite-filter none` (or `--filter none`) skips that half.
//
// How to add tests: test/e2e/ui/README.md and test/e2e/suite/README.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { E2E_CACHE_DIR, isCacheInstalled, startHarness } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const DEFAULT_UI_TIMEOUT_MS = 90_000;
const DEFAULT_SUITE_TIMEOUT_MS = 180_000;

const { values: options } = parseArgs({
  options: {
    vsix: { type: 'string', default: path.join(repoRoot, 'nixos-homelab.vsix') },
    'ui-dir': { type: 'string', default: path.join(here, 'ui') },
    'suite-dir': { type: 'string', default: path.join(here, 'suite') },
    'suite-workspace': { type: 'string' },
    'extension-development-path': { type: 'string' },
    output: { type: 'string', default: path.join(repoRoot, '.test-output', 'e2e') },
    filter: { type: 'string' },
    'suite-filter': { type: 'string' },
    'keep-temp': { type: 'boolean', default: false },
  },
});

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const results = []; // { name, passed, error? }

function record(name, passed, durationMs, error) {
  results.push({ name, passed });
  console.log(`${passed ? '✔' : '✖'} ${name} (${seconds(durationMs)})`);
  // Playwright colours its call logs; escape codes only clutter CI output.
  if (error) console.log(indent(String(error).replace(/\x1b\[[0-9;]*m/g, '')));
}

function indent(text) {
  return String(text)
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function finish() {
  const passed = results.filter((r) => r.passed).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
  process.exit(results.length > 0 && passed === results.length ? 0 : 1);
}

/** A failure before any test could run: still counted, so the closing line tells the truth. */
function failSetup(message) {
  console.error(`e2e: ${message}`);
  results.push({ name: 'e2e setup', passed: false });
  finish();
}

function ensureToolchain() {
  if (isCacheInstalled()) return;
  console.log(`e2e: toolchain missing in ${E2E_CACHE_DIR}, running scripts/e2e-setup.sh`);
  const setup = spawnSync('bash', [path.join(repoRoot, 'scripts', 'e2e-setup.sh')], { stdio: 'inherit' });
  if (setup.status !== 0 || !isCacheInstalled()) failSetup('scripts/e2e-setup.sh could not install the toolchain (see above)');
}

function listFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => path.join(dir, name));
}

function withTimeout(promise, timeoutMs, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runUiTest(harness, file) {
  const name = path.basename(file, '.e2e.mjs');
  const started = Date.now();
  let session;
  try {
    const testModule = await import(pathToFileURL(file).href);
    if (typeof testModule.default !== 'function') throw new Error(`${file} has no default export function (ctx) => ...`);
    const timeoutMs = typeof testModule.timeoutMs === 'number' ? testModule.timeoutMs : DEFAULT_UI_TIMEOUT_MS;
    session = await harness.newUiSession(name);
    await withTimeout(testModule.default(session), timeoutMs, `UI test ${name}`);
    record(`ui: ${name}`, true, Date.now() - started);
  } catch (error) {
    const shot = session ? await session.screenshot('failure').catch(() => undefined) : undefined;
    const detail = `${error?.stack ?? error}${shot ? `\nscreenshot: ${shot}` : ''}`;
    record(`ui: ${name}`, false, Date.now() - started, detail);
  } finally {
    await session?.close();
  }
}

async function runSuiteTests(harness, suiteDir, filter) {
  const started = Date.now();
  const resultFile = path.join(options.output, 'extension-tests-result.json');
  // The entry file hands the folder and result file to index.js without relying on environment
  // variables reaching the extension host.
  const entry = path.join(harness.tempRoot, 'extension-tests-entry.js');
  fs.writeFileSync(
    entry,
    `module.exports.run = () => require(${JSON.stringify(path.join(here, 'suite', 'index.js'))})` +
      `.runSuite({ suiteDir: ${JSON.stringify(suiteDir)}, resultFile: ${JSON.stringify(resultFile)}, filter: ${JSON.stringify(filter ?? '')} });\n`,
  );
  const workspace = options['suite-workspace'] ?? fs.mkdtempSync(path.join(harness.tempRoot, 'suite-workspace-'));
  const extensionDevelopmentPath = options['extension-development-path'] ?? harness.extensions[0].path;
  try {
    const result = await harness.runExtensionTests({
      extensionDevelopmentPath: path.resolve(extensionDevelopmentPath),
      extensionTestsPath: entry,
      workspace: path.resolve(workspace),
      resultFile,
      timeoutMs: DEFAULT_SUITE_TIMEOUT_MS,
    });
    for (const test of result.tests) record(`extension host: ${test.name}`, test.passed, test.durationMs, test.error);
    console.log(`e2e: extension host run took ${seconds(Date.now() - started)}`);
  } catch (error) {
    record('extension host: suite', false, Date.now() - started, error?.message ?? error);
  }
}

async function main() {
  ensureToolchain();
  const vsix = path.resolve(options.vsix);
  if (!fs.existsSync(vsix)) failSetup(`no extension package at ${vsix}: run \`npm run package\` first (or pass --vsix)`);

  const uiDir = path.resolve(options['ui-dir']);
  const suiteDir = path.resolve(options['suite-dir']);
  const matches = (file) => !options.filter || path.basename(file).includes(options.filter);
  const uiTests = listFiles(uiDir, '.e2e.mjs').filter(matches);
  const suiteMatches = (file) => !options['suite-filter'] || path.basename(file).includes(options['suite-filter']);
  const suiteTests = listFiles(suiteDir, '.test.js').filter(suiteMatches);
  if (uiTests.length === 0 && suiteTests.length === 0) {
    failSetup(`no tests: no *.e2e.mjs in ${uiDir} and no *.test.js in ${suiteDir}`);
  }

  fs.rmSync(options.output, { recursive: true, force: true }); // old screenshots must not pass for new proof
  fs.mkdirSync(options.output, { recursive: true });
  const started = Date.now();
  let harness;
  try {
    harness = await startHarness({ vsix, outputDir: options.output, keepTemp: options['keep-temp'] });
  } catch (error) {
    failSetup(`code-server did not start: ${error?.message ?? error}`);
  }
  const installed = harness.extensions.map((e) => `${e.id} ${e.version}`).join(', ');
  console.log(`e2e: code-server up at ${harness.url} in ${seconds(Date.now() - started)} with ${installed}`);

  const stopOnSignal = (signal) => {
    console.error(`e2e: ${signal}, stopping code-server`);
    process.exit(130); // the harness's 'exit' hook kills code-server's process group
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    for (const file of uiTests) await runUiTest(harness, file);
    if (suiteTests.length > 0) await runSuiteTests(harness, suiteDir, options['suite-filter']);
  } finally {
    await harness.stop();
  }
  console.log(`e2e: output in ${path.relative(process.cwd(), options.output) || '.'}; total ${seconds(Date.now() - started)}`);
  finish();
}

main().catch((error) => {
  console.error(error?.stack ?? error);
  results.push({ name: 'e2e runner', passed: false });
  finish();
});
