// Drives the extension in a real VS Code: code-server (VS Code's workbench with a Node
// extension host) plus headless Debian Chromium through playwright-core, both installed
// into a cache folder by scripts/e2e-setup.sh. /work/shared/VSCODE-E2E.md explains why this
// stack and where its measured numbers come from.
//
// Plain Node ESM on purpose: it runs on whatever Node runs the project's tests, needs no
// build step, and loads playwright-core from the cache rather than from node_modules.
import { createRequire } from 'node:module';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The cache folder scripts/e2e-setup.sh installs into. */
export const E2E_CACHE_DIR =
  process.env.NIXOS_HOMELAB_E2E_CACHE || path.join(os.homedir(), '.cache', 'nixos-homelab-e2e');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-breakpad',
];

/** User settings that keep the workbench quiet and deterministic (no welcome page, no AI chat, no network). */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'update.mode': 'none',
  // The UI tests do not exercise evaluation with Nix: no Nix process, no evaluation notice, whatever the machine has.
  'nixosHomelab.evaluation.mode': 'off',
};

/** Where the pieces live inside the cache (the layout is written down in scripts/e2e-setup.sh). */
export function cachePaths(cacheDir = E2E_CACHE_DIR) {
  return {
    stamp: path.join(cacheDir, 'installed.stamp'),
    nodeBinDir: path.join(cacheDir, 'node', 'bin'),
    node: path.join(cacheDir, 'node', 'bin', 'node'),
    codeServerEntry: path.join(cacheDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    playwrightCore: path.join(cacheDir, 'playwright', 'node_modules', 'playwright-core'),
    chromium: CHROMIUM,
  };
}

/** True when scripts/e2e-setup.sh finished a complete install into `cacheDir`. */
export function isCacheInstalled(cacheDir = E2E_CACHE_DIR) {
  const p = cachePaths(cacheDir);
  return [p.stamp, p.node, p.codeServerEntry, p.playwrightCore, p.chromium].every((f) => fs.existsSync(f));
}

function loadPlaywright(cacheDir) {
  // createRequire + absolute path: the project's node_modules does not (and should not) hold playwright.
  const require = createRequire(import.meta.url);
  return require(cachePaths(cacheDir).playwrightCore);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function isGroupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function safeFileName(name) {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/**
 * Starts code-server with `vsix` installed, in a throwaway profile (user data, extensions
 * and XDG folders under one temp folder), and returns a Harness. Always pair with
 * `harness.stop()` (a process 'exit' hook kills the server's process group as a last resort).
 *
 * @param {{ vsix: string, outputDir: string, cacheDir?: string, settings?: Record<string, unknown>, keepTemp?: boolean }} options
 * @returns {Promise<Harness>}
 */
export async function startHarness({ vsix, outputDir, cacheDir = E2E_CACHE_DIR, settings = {}, keepTemp = false }) {
  const paths = cachePaths(cacheDir);
  if (!isCacheInstalled(cacheDir)) {
    throw new Error(`e2e toolchain not installed in ${cacheDir}: run scripts/e2e-setup.sh`);
  }
  if (!fs.existsSync(vsix)) throw new Error(`no extension package at ${vsix}: run \`npm run package\` first`);
  fs.mkdirSync(outputDir, { recursive: true });

  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-e2e-'));
  const userDataDir = path.join(tempRoot, 'data');
  const extensionsDir = path.join(userDataDir, 'ext');
  const configFile = path.join(userDataDir, 'config.yaml');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2),
  );
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  const env = isolatedEnv(tempRoot);
  env.PATH = `${paths.nodeBinDir}:${env.PATH ?? ''}`;
  const baseArgs = [paths.codeServerEntry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--config', configFile];

  const install = spawnSync(paths.node, [...baseArgs, '--install-extension', path.resolve(vsix)], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (install.status !== 0) {
    fs.rmSync(tempRoot, { recursive: true, force: true });
    throw new Error(`code-server could not install ${vsix}:\n${install.stdout}${install.stderr}`);
  }
  const installedExtensions = listInstalledExtensions(extensionsDir);
  if (installedExtensions.length === 0) {
    fs.rmSync(tempRoot, { recursive: true, force: true });
    throw new Error(`installing ${vsix} left no extension in ${extensionsDir}:\n${install.stdout}${install.stderr}`);
  }

  const port = await freePort();
  const logFile = path.join(outputDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'w');
  // detached: the child calls setsid(), so it leads a new process group that stop() can
  // kill whole: killing only the PID leaves code-server's file watchers and extension hosts behind.
  const child = spawn(
    paths.node,
    [
      ...baseArgs,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--vscode-option', 'enable-smoke-test-driver',
    ],
    { env, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  fs.closeSync(logFd);
  const harness = new Harness({ cacheDir, child, port, tempRoot, userDataDir, extensionsDir, logFile, outputDir, installedExtensions, keepTemp });
  try {
    await harness.waitUntilHealthy(30_000);
  } catch (error) {
    await harness.stop();
    throw error;
  }
  return harness;
}

/**
 * The environment for code-server and Chromium: HOME and the XDG folders inside the temp
 * folder, so neither writes to the real home (Chromium otherwise creates ~/.config/chromium
 * and ~/.cache/dconf).
 */
function isolatedEnv(tempRoot) {
  const env = { ...process.env, HOME: path.join(tempRoot, 'home') };
  // A VS Code terminal's variables would make code-server talk to that VS Code instead.
  for (const key of Object.keys(env)) if (key.startsWith('VSCODE_')) delete env[key];
  fs.mkdirSync(env.HOME, { recursive: true });
  for (const name of ['config', 'data', 'cache']) {
    const dir = path.join(tempRoot, 'xdg', name);
    fs.mkdirSync(dir, { recursive: true });
    env[`XDG_${name.toUpperCase()}_HOME`] = dir;
  }
  return env;
}

function listInstalledExtensions(extensionsDir) {
  return fs
    .readdirSync(extensionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => {
      const dir = path.join(extensionsDir, entry.name);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      return { id: `${manifest.publisher}.${manifest.name}`, version: manifest.version, path: dir };
    });
}

/** A running code-server plus the means to open browser windows on it. */
export class Harness {
  constructor(fields) {
    Object.assign(this, fields);
    this.url = `http://127.0.0.1:${this.port}`;
    this.exited = false;
    this.child.on('exit', () => {
      this.exited = true;
    });
    // Last resort when the runner dies without reaching stop(): 'exit' handlers must be synchronous.
    this.killOnExit = () => {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      if (!this.keepTemp) fs.rmSync(this.tempRoot, { recursive: true, force: true });
    };
    process.on('exit', this.killOnExit);
  }

  /** @returns {{ id: string, version: string, path: string }[]} extensions installed from the vsix */
  get extensions() {
    return this.installedExtensions;
  }

  async waitUntilHealthy(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`code-server exited while starting:\n${tail(this.logFile)}`);
      try {
        const response = await fetch(`${this.url}/healthz`);
        if (response.ok) return;
      } catch {
        /* not listening yet */
      }
      await sleep(100);
    }
    throw new Error(`code-server did not answer ${this.url}/healthz within ${timeoutMs} ms:\n${tail(this.logFile)}`);
  }

  /** A fresh Chromium profile (so no editor state leaks between tests) with one page. */
  async launchBrowser() {
    const { chromium } = loadPlaywright(this.cacheDir);
    const profileDir = fs.mkdtempSync(path.join(this.tempRoot, 'chromium-'));
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      env: isolatedEnv(this.tempRoot),
      viewport: { width: 1440, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return { context, page, profileDir };
  }

  /**
   * Opens a browser on the workbench for one UI test.
   * @param {string} name test name: screenshots and the console log go to outputDir/name/
   * @returns {Promise<UiSession>}
   */
  async newUiSession(name) {
    const outputDir = path.join(this.outputDir, safeFileName(name));
    fs.mkdirSync(outputDir, { recursive: true });
    const { context, page, profileDir } = await this.launchBrowser();
    return new UiSession({ harness: this, context, page, profileDir, outputDir });
  }

  /** vscode-remote URI the workbench resolves to a path on the code-server host. */
  remoteUri(absolutePath) {
    return `vscode-remote://127.0.0.1:${this.port}${path.resolve(absolutePath)}`;
  }

  /**
   * Runs an `extensionTestsPath` module inside the extension host (the @vscode/test-electron
   * style). The host reports nothing back and exits 0 even when `run()` throws, so the module
   * must write `resultFile` itself; this waits for that file and returns its parsed JSON.
   * A missing file after `timeoutMs` is an error naming the logs to read.
   *
   * @param {{ extensionDevelopmentPath: string, extensionTestsPath: string, workspace: string, resultFile: string, timeoutMs?: number }} options
   * @returns {Promise<unknown>} the parsed result file
   */
  async runExtensionTests({ extensionDevelopmentPath, extensionTestsPath, workspace, resultFile, timeoutMs = 120_000 }) {
    fs.rmSync(resultFile, { force: true }); // a stale result must never pass for a new run
    fs.mkdirSync(path.dirname(resultFile), { recursive: true });
    const payload = [
      ['extensionDevelopmentPath', this.remoteUri(extensionDevelopmentPath)],
      ['extensionTestsPath', this.remoteUri(extensionTestsPath)],
    ];
    const url = `${this.url}/?folder=${encodeURIComponent(path.resolve(workspace))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const deadline = Date.now() + timeoutMs;
    const { context, page, profileDir } = await this.launchBrowser();
    const consoleLog = path.join(this.outputDir, 'extension-tests-console.log');
    recordConsole(page, consoleLog);
    // When run() rejects, the workbench logs the error with the extension host's test-runner
    // frames in its stack: seeing it lets a broken run fail in seconds instead of at the timeout.
    let runError;
    let runErrorSeenAt = 0;
    page.on('console', (message) => {
      const text = message.text();
      if (runError === undefined && message.type() === 'error' && /extensionTestsExecute|HandleExtensionTests/.test(text)) {
        runError = text.replace(/^%c\s*ERR\s*color:\s*#\w+\s*/, '');
        runErrorSeenAt = Date.now();
      }
    });
    try {
      await page.goto(url, { timeout: timeoutMs });
      while (Date.now() < deadline) {
        if (this.exited) throw new Error(`code-server exited during the extension tests:\n${tail(this.logFile)}`);
        const result = readJsonIfComplete(resultFile);
        if (result !== undefined) return result;
        if (runError !== undefined && Date.now() - runErrorSeenAt > 2_000) {
          throw new Error(`extension tests wrote no result file ${resultFile}: run() in ${extensionTestsPath} threw\n${runError}`);
        }
        await sleep(250);
      }
      throw new Error(
        `extension tests wrote no result file ${resultFile} within ${timeoutMs} ms: ` +
          `run() in ${extensionTestsPath} did not finish or crashed before writing it ` +
          `(see ${consoleLog} and the exthost logs copied to ${path.join(this.outputDir, 'code-server-logs')})`,
      );
    } finally {
      await context.close().catch(() => {});
      fs.rmSync(profileDir, { recursive: true, force: true });
    }
  }

  /** Stops code-server's whole process group, keeps its logs in outputDir, removes the temp profile. */
  async stop() {
    const pgid = this.child.pid;
    if (pgid !== undefined && isGroupAlive(pgid)) {
      try {
        process.kill(-pgid, 'SIGTERM');
      } catch {
        /* raced with its exit */
      }
      const deadline = Date.now() + 5_000;
      while (isGroupAlive(pgid) && Date.now() < deadline) await sleep(100);
      if (isGroupAlive(pgid)) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          /* gone */
        }
        // SIGKILL is not instant; wait until the group is really gone so callers can check `ps`.
        const killDeadline = Date.now() + 2_000;
        while (isGroupAlive(pgid) && Date.now() < killDeadline) await sleep(50);
      }
    }
    process.off('exit', this.killOnExit);
    const logs = path.join(this.userDataDir, 'logs');
    if (fs.existsSync(logs)) {
      fs.cpSync(logs, path.join(this.outputDir, 'code-server-logs'), { recursive: true });
    }
    if (!this.keepTemp) fs.rmSync(this.tempRoot, { recursive: true, force: true });
  }
}

/** Returns the parsed JSON once the file holds a complete document, else undefined. */
function readJsonIfComplete(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // still being written
  }
}

function recordConsole(page, file) {
  const out = fs.createWriteStream(file, { flags: 'a' });
  page.on('console', (message) => out.write(`[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => out.write(`[pageerror] ${error.message}\n`));
  page.on('close', () => out.end());
}

/**
 * One browser window on the workbench: what a UI test receives as its context.
 * `page` is the playwright Page for anything the helpers do not cover.
 */
export class UiSession {
  constructor({ harness, context, page, profileDir, outputDir }) {
    this.harness = harness;
    this.context = context;
    this.page = page;
    this.profileDir = profileDir;
    this.outputDir = outputDir;
    recordConsole(page, path.join(outputDir, 'console.log'));
  }

  /** Copies `folder` into a temp folder (removed with the harness) so a test may edit it freely. */
  copyToTemp(folder) {
    const target = fs.mkdtempSync(path.join(this.harness.tempRoot, 'workspace-'));
    fs.cpSync(folder, target, { recursive: true });
    return target;
  }

  /** Opens `folder` (absolute path on this machine) as the workspace and waits for the Explorer. */
  async openWorkspace(folder, { timeoutMs = 30_000 } = {}) {
    await this.page.goto(`${this.harness.url}/?folder=${encodeURIComponent(path.resolve(folder))}`);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeoutMs });
  }

  /**
   * Opens a file by clicking its row in the Explorer, expanding folders on the way, the way a
   * user would (Quick Open loses keyboard focus to the chat view in this workbench).
   * @param {string} relativePath path inside the workspace, with '/' separators
   */
  async openFileFromExplorer(relativePath, { timeoutMs = 15_000 } = {}) {
    const segments = relativePath.split('/').filter(Boolean);
    for (const [index, name] of segments.entries()) {
      const row = this.page.locator(
        `.explorer-folders-view .monaco-list-row[aria-level="${index + 1}"][aria-label=${JSON.stringify(name)}]`,
      );
      await row.first().waitFor({ timeout: timeoutMs }).catch(() => {
        throw new Error(`Explorer shows no row "${name}" at depth ${index + 1} while opening ${relativePath}`);
      });
      const isFolder = index < segments.length - 1;
      if (isFolder) {
        if ((await row.first().getAttribute('aria-expanded')) !== 'true') await row.first().click();
        await this.page
          .locator(`.explorer-folders-view .monaco-list-row[aria-level="${index + 1}"][aria-label=${JSON.stringify(name)}][aria-expanded="true"]`)
          .first()
          .waitFor({ timeout: timeoutMs });
      } else {
        await row.first().click();
      }
    }
    const fileName = segments[segments.length - 1];
    await this.page
      .locator(`.editor-group-container .tab.active[data-resource-name=${JSON.stringify(fileName)}]`)
      .first()
      .waitFor({ timeout: timeoutMs });
    await this.page.locator('.editor-group-container .monaco-editor .view-lines').first().waitFor({ timeout: timeoutMs });
  }

  /**
   * Waits until the visible editor shows at least one squiggle of `kind` and returns how many.
   * @param {'error' | 'warning' | 'info' | 'hint'} kind
   */
  async waitForSquiggles(kind = 'error', { timeoutMs = 30_000 } = {}) {
    const squiggles = this.page.locator(`.monaco-editor .squiggly-${kind}`);
    await squiggles.first().waitFor({ state: 'attached', timeout: timeoutMs });
    return squiggles.count();
  }

  /**
   * Opens the Problems panel (Ctrl+Shift+M) and reads its rows. File rows have level 1,
   * problem rows level 2; `label` is the row's aria-label (it names severity, message, source
   * and position), `text` what is displayed.
   * @returns {Promise<{ level: number, label: string, text: string }[]>}
   */
  async readProblems({ timeoutMs = 15_000, minimumRows = 1 } = {}) {
    const panel = this.page.locator('.markers-panel').first();
    await this.page.keyboard.press('Control+Shift+M');
    // The shortcut toggles: when the panel was already open and focused it just closed it.
    if (!(await panel.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false))) {
      await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ state: 'visible', timeout: timeoutMs });
    }
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    if (minimumRows > 0) await rows.nth(minimumRows - 1).waitFor({ timeout: timeoutMs });
    return rows.evaluateAll((elements) =>
      elements.map((element) => ({
        level: Number(element.getAttribute('aria-level') ?? '0'),
        label: element.getAttribute('aria-label') ?? '',
        text: (element.textContent ?? '').trim(),
      })),
    );
  }

  /** Saves a screenshot of the whole window as outputDir/<name>.png and returns its path. */
  async screenshot(name) {
    const file = path.join(this.outputDir, `${safeFileName(name)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Runs extension-host tests on the same code-server (opens its own browser window). */
  runExtensionTests(options) {
    return this.harness.runExtensionTests(options);
  }

  async close() {
    await this.context.close().catch(() => {});
    fs.rmSync(this.profileDir, { recursive: true, force: true });
  }
}
