/**
 * A real JSON-RPC client for the bundled language server (compose-language-service's TestConnection pattern, but
 * over the stdio of `node dist/server.js --stdio`): open documents, wait for publishDiagnostics with a deadline
 * (never a sleep), ask for hovers and code actions, answer the server's requests like an editor would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  ApplyWorkspaceEditParams,
  Diagnostic,
  PublishDiagnosticsParams,
  ShowDocumentParams,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';

export const REPO = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(REPO, 'dist', 'server.js');
export const EXAMPLE = path.join(REPO, 'examples', 'pop-os-homelab');

/** Builds dist/ when the bundle is missing (the tests drive the bundle, as the editor does). */
export function ensureBundle(): void {
  if (fs.existsSync(SERVER)) return;
  const result = spawnSync(process.execPath, ['esbuild.js'], { cwd: REPO, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node esbuild.js failed:\n${result.stderr}`);
}

/** A throwaway copy of the example homelab (tests edit files in it). */
export function copyExample(): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-lsp-'));
  fs.cpSync(EXAMPLE, target, { recursive: true });
  return target;
}

export const uriOf = (file: string): string => pathToFileURL(file).href;

interface Waiter {
  uri: string;
  accept: (diagnostics: Diagnostic[]) => boolean;
  resolve: (diagnostics: Diagnostic[]) => void;
}

/** Applies LSP text edits (ranges against the original text). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }): number => Math.min((lineStarts[p.line] ?? text.length) + p.character, text.length);
  const sorted = edits.map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let result = text;
  for (const e of sorted) result = result.slice(0, e.start) + e.text + result.slice(e.end);
  return result;
}

/** Where the servers of this test run keep parsed Nix trees (not the user's cache); removed when the run ends. */
const RUN_CACHE_DIR = path.join(os.tmpdir(), `nixos-homelab-lsp-test-${process.pid}`);
process.on('exit', () => fs.rmSync(RUN_CACHE_DIR, { recursive: true, force: true }));

/** What VS Code also does and the plain test client does not, unless asked: resolve code actions, show documents. */
export interface EditorCapabilities {
  resolveCodeActionEdits?: boolean;
  showDocument?: boolean;
  /** A restricted-mode (untrusted) workspace: `initializationOptions.trusted` false. */
  untrusted?: boolean;
}

export class LspTestClient {
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly appliedEdits: WorkspaceEdit[] = [];
  /** `window/showDocument` requests the server sent (answered with success). */
  readonly shownDocuments: ShowDocumentParams[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private exited = false;

  private constructor(
    readonly process: ChildProcess,
    private readonly settings: Record<string, unknown>,
  ) {
    this.connection = createMessageConnection(new StreamMessageReader(process.stdout!), new StreamMessageWriter(process.stdin!));
    process.on('exit', () => {
      this.exited = true;
    });
    process.stderr?.on('data', (chunk: Buffer) => this.logs.push(chunk.toString()));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.publishes.push(params);
      this.diagnostics.set(params.uri, params.diagnostics);
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && waiter.accept(params.diagnostics)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(params.diagnostics);
        }
      }
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => this.logs.push(params.message));
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/showDocument', (params: ShowDocumentParams) => {
      this.shownDocuments.push(params);
      return { success: true };
    });
    this.connection.onRequest('workspace/applyEdit', (params: ApplyWorkspaceEditParams) => {
      this.appliedEdits.push(params.edit);
      return { applied: true };
    });
    this.connection.listen();
  }

  /**
   * Starts the server and completes initialize/initialized with `root` as the workspace folder. `env` adds to the
   * server's environment (NIXOS_HOMELAB_TEST_FAULT, see src/server/faultInjection.ts).
   */
  static async start(root: string, settings: Record<string, unknown> = {}, cacheDir = RUN_CACHE_DIR, env: Record<string, string> = {}, editor: EditorCapabilities = {}): Promise<LspTestClient> {
    ensureBundle();
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    // Evaluation with Nix is off unless a test asks for it (`'evaluation.mode': 'auto'`): the other tests must not
    // depend on whether Nix is installed, nor start it.
    const client = new LspTestClient(child, { 'evaluation.mode': 'off', ...settings });
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: path.basename(root) }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] }, didChangeWatchedFiles: { dynamicRegistration: false } },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          ...(editor.resolveCodeActionEdits ? { codeAction: { dataSupport: true, resolveSupport: { properties: ['edit'] } } } : {}),
        },
        ...(editor.showDocument ? { window: { showDocument: { support: true } } } : {}),
      },
      // Parsed Nix trees are kept in a folder of this test run, not in the user's cache.
      initializationOptions: { trusted: !editor.untrusted, cacheDir },
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /**
   * Resolves with the diagnostics of `file` once a publish satisfies `accept` — including one already received,
   * when `acceptLatest` is set. Rejects after `timeoutMs` with what was last published.
   */
  waitForDiagnostics(file: string, accept: (diagnostics: Diagnostic[]) => boolean = () => true, { timeoutMs = 10_000, acceptLatest = false } = {}): Promise<Diagnostic[]> {
    const uri = uriOf(file);
    const latest = this.diagnostics.get(uri);
    if (acceptLatest && latest && accept(latest)) return Promise.resolve(latest);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { uri, accept, resolve: (d) => (clearTimeout(timer), resolve(d)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no matching publishDiagnostics for ${path.basename(file)} within ${timeoutMs} ms; last: ${JSON.stringify(this.diagnostics.get(uri)?.map((d) => d.code))}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  open(file: string, text = fs.readFileSync(file, 'utf8'), languageId = languageOf(file)): void {
    const uri = uriOf(file);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends an incremental change and returns the new text. */
  change(file: string, edits: TextEdit[]): string {
    const uri = uriOf(file);
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const text = applyEdits(this.texts.get(uri) ?? '', edits);
    this.texts.set(uri, text);
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: edits.map((edit) => ({ range: edit.range, text: edit.newText })),
    });
    return text;
  }

  /** Applies a WorkspaceEdit's TextDocumentEdits to the open documents (refusing stale versions, as VS Code does). */
  applyWorkspaceEdit(edit: WorkspaceEdit): void {
    for (const change of edit.documentChanges ?? []) {
      if (!('textDocument' in change)) continue;
      const documentEdit = change as TextDocumentEdit;
      const uri = documentEdit.textDocument.uri;
      const version = this.versions.get(uri);
      if (version === undefined) throw new Error(`edit for a document not open: ${uri}`);
      if (documentEdit.textDocument.version !== null && documentEdit.textDocument.version !== version) throw new Error(`stale edit for ${uri}: version ${documentEdit.textDocument.version}, document at ${version}`);
      this.change(fileOfUri(uri), documentEdit.edits.filter((e): e is TextEdit => 'range' in e));
    }
  }

  textOf(file: string): string | undefined {
    return this.texts.get(uriOf(file));
  }

  versionOf(file: string): number | undefined {
    return this.versions.get(uriOf(file));
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 2000))]);
      void this.connection.sendNotification('exit');
    } catch {
      /* already gone */
    }
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    if (!this.exited) this.process.kill('SIGKILL');
    this.connection.dispose();
  }
}

function fileOfUri(uri: string): string {
  return fileURLToPath(uri);
}

function languageOf(file: string): string {
  if (file.endsWith('.nix')) return 'nix';
  if (/\.ya?ml$/.test(file)) return 'dockercompose';
  return 'plaintext';
}
