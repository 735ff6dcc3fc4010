// Runs inside VS Code's extension host (loaded as `extensionTestsPath` through a small entry
// file that test/e2e/run.mjs writes). The host reports no pass/fail of its own and exits 0
// even when run() throws, so this module writes every outcome to a result JSON file that
// the runner polls; a run that never writes it counts as failed there.
//
// A test file is any `*.test.js` in the suite folder (CommonJS; `require('vscode')` works).
// Each exported function is one test, named by its key; it receives
// `{ vscode, workspaceFolder, suiteDir }`. A numeric `timeoutMs` export sets the per-test
// timeout for that file (default 30 s). Non-function exports are ignored.
'use strict';

const fs = require('fs');
const path = require('path');

const DEFAULT_TEST_TIMEOUT_MS = 30000;

/** Lists the suite's test files, sorted so runs are repeatable. */
function listTestFiles(suiteDir, filter = '') {
  return fs
    .readdirSync(suiteDir)
    .filter((name) => name.endsWith('.test.js') && name.includes(filter))
    .sort()
    .map((name) => path.join(suiteDir, name));
}

function describeError(error) {
  if (error instanceof Error) return error.stack || `${error.name}: ${error.message}`;
  return String(error);
}

function withTimeout(promise, timeoutMs, name) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`test "${name}" did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Writes the result atomically, so the polling runner never reads half a file. */
function writeResult(resultFile, result) {
  fs.mkdirSync(path.dirname(resultFile), { recursive: true });
  const partial = `${resultFile}.partial`;
  fs.writeFileSync(partial, JSON.stringify(result, null, 2));
  fs.renameSync(partial, resultFile);
}

/**
 * Runs every test in `suiteDir` and writes `{ tests: [{ name, file, passed, durationMs, error? }],
 * passed, failed }` to `resultFile`.
 * @param {{ suiteDir: string, resultFile: string, filter?: string }} options `filter`: only files whose name contains it
 */
async function runSuite({ suiteDir, resultFile, filter = '' }) {
  const startedAt = new Date().toISOString();
  const tests = [];
  try {
    const vscode = require('vscode');
    const workspaceFolder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0]
      ? vscode.workspace.workspaceFolders[0].uri.fsPath
      : undefined;
    for (const file of listTestFiles(suiteDir, filter)) {
      const fileName = path.basename(file);
      let testModule;
      try {
        testModule = require(file);
      } catch (error) {
        tests.push({ name: `${fileName} (load)`, file, passed: false, durationMs: 0, error: describeError(error) });
        continue;
      }
      const entries = typeof testModule === 'function'
        ? [[fileName.replace(/\.test\.js$/, ''), testModule]]
        : Object.entries(testModule).filter(([, value]) => typeof value === 'function');
      const timeoutMs = typeof testModule.timeoutMs === 'number' ? testModule.timeoutMs : DEFAULT_TEST_TIMEOUT_MS;
      for (const [testName, testFunction] of entries) {
        const name = `${fileName} › ${testName}`;
        const started = Date.now();
        try {
          await withTimeout(Promise.resolve().then(() => testFunction({ vscode, workspaceFolder, suiteDir })), timeoutMs, name);
          tests.push({ name, file, passed: true, durationMs: Date.now() - started });
        } catch (error) {
          tests.push({ name, file, passed: false, durationMs: Date.now() - started, error: describeError(error) });
        }
      }
    }
  } catch (error) {
    // Anything outside a single test (vscode API missing, unreadable folder) still fails visibly.
    tests.push({ name: 'suite setup', file: suiteDir, passed: false, durationMs: 0, error: describeError(error) });
  }
  const passed = tests.filter((test) => test.passed).length;
  writeResult(resultFile, {
    startedAt,
    finishedAt: new Date().toISOString(),
    suiteDir,
    tests,
    passed,
    failed: tests.length - passed,
  });
}

/**
 * The `extensionTestsPath` entry point VS Code calls. Without the runner's entry file, the
 * folder and result file come from the environment (the extension host inherits code-server's).
 */
async function run() {
  const resultFile = process.env.NIXOS_HOMELAB_E2E_RESULT_FILE;
  if (!resultFile) throw new Error('NIXOS_HOMELAB_E2E_RESULT_FILE is not set: start the suite through test/e2e/run.mjs');
  await runSuite({ suiteDir: process.env.NIXOS_HOMELAB_E2E_SUITE_DIR || __dirname, resultFile });
}

module.exports = { run, runSuite, listTestFiles };
