// The second launcher of the extension-host suite (test/e2e/suite): @vscode/test-electron, which downloads a desktop
// VS Code of the version given (internet needed, so it is for desktops — CI here runs the suite in code-server
// through test/e2e/run.mjs). Same suite, same result file, same closing line.
//
//   npm run test:electron                 # VS Code stable
//   VSCODE_VERSION=1.91.0 npm run test:electron
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

const repo = resolve(import.meta.dirname, '..', '..');
const suiteDir = join(repo, 'test', 'e2e', 'suite');
const scratch = mkdtempSync(join(tmpdir(), 'nixos-homelab-electron-'));
const workspace = mkdtempSync(join(scratch, 'workspace-'));
const resultFile = join(scratch, 'result.json');

let status = 1;
try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: repo,
    extensionTestsPath: join(suiteDir, 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: { NIXOS_HOMELAB_E2E_RESULT_FILE: resultFile, NIXOS_HOMELAB_E2E_SUITE_DIR: suiteDir },
  });
  const result = JSON.parse(readFileSync(resultFile, 'utf8'));
  for (const test of result.tests) console.log(`${test.passed ? '✔' : '✖'} ${test.name}${test.error ? `\n${test.error}` : ''}`);
  console.log(`${result.passed} passed, ${result.failed} failed`);
  status = result.failed === 0 && result.passed > 0 ? 0 : 1;
} catch (error) {
  console.error(`test:electron: ${error instanceof Error ? error.message : String(error)} (no result file means the suite never ran: is VS Code downloadable from here?)`);
  console.log('0 passed, 1 failed');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);
