import {
  DidChangeConfigurationNotification,
  FileChangeType,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { prepareAnalysis } from '../core/analysis/prepare';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from '../core/settings';
import { FIX_ALL_KIND, WorkspaceTrustedNotification, type InitializationOptions } from '../shared/protocol';
import { defaultCacheDir } from '../platform/nixEval';
import { AnalysisRunner } from './analysisRunner';
import { EvaluationScheduler } from './evaluation';
import type { ServerContext } from './context';
import { OpenDocuments } from './documents';
import { REVEAL_FIX_COMMAND } from './handlers/codeActions';
import { FIX_ALL_OF_RULE_COMMAND } from './ruleActions';
import { createLogger } from './log';
import { flattenSettings, readFolderSettings } from './settings';
import { pathToUri, uriToPath } from './uri';
import { WorkspaceIndex } from './workspaceIndex';
import { openNixTreeStore } from './nixTreeCache';
import { Publisher } from './publish';

declare const PACKAGE_VERSION: string | undefined;

/**
 * The server's life cycle: initialize (capabilities), initialized (parser, settings, first analysis), open/change/
 * close of documents, watched-file events and settings changes. Request handlers live in handlers/.
 */
export function createSession(connection: Connection): ServerContext {
  const log = createLogger(connection);
  const documents = new OpenDocuments();
  const index = new WorkspaceIndex(documents);
  const publisher = new Publisher(connection, (file) => documents.uriOf(file) ?? pathToUri(file));
  const runner = new AnalysisRunner(connection, publisher, index, documents, log);
  let folders: { uri: string; path: string }[] = [];
  let fallbackSettings: unknown;
  let canPullSettings = false;
  let folderEvents = false;
  // The wasm grammar compiles while the client and server exchange `initialize` (a failure is retried there).
  let parserReady: Promise<void> = prepareAnalysis().catch(() => undefined);
  let evaluationCacheDir: string | undefined;
  const evaluation = new EvaluationScheduler({ connection, index, runner, log, trusted: () => ctx.trusted, cacheDirOf: () => evaluationCacheDir });
  runner.onAnalysed = (root) => evaluation.analysed(root);
  // A server that ends without `shutdown` (its input closed) leaves no Nix running.
  process.once('exit', () => evaluation.dispose());

  const ctx: ServerContext = {
    connection,
    documents,
    index,
    runner,
    evaluation,
    publisher,
    log,
    edits: { documentChanges: false, createFiles: false },
    client: { resolvesCodeActionEdit: false, showsDocuments: false },
    trusted: true,
    analysisFor(file) {
      const root = index.rootFor(file, defaultSettings());
      return { root, analysis: runner.analysisOf(root) };
    },
  };
  const defaultSettings = (): Settings => index.folders()[0]?.settings ?? parseSettings(flattenSettings(fallbackSettings)).settings ?? DEFAULT_SETTINGS;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    fallbackSettings = options.settings;
    ctx.trusted = options.trusted !== false;
    index.nixTrees = openNixTreeStore(options, ctx.trusted);
    evaluationCacheDir = options.cacheDir === null ? undefined : options.cacheDir ?? defaultCacheDir();
    const workspaceEdit = params.capabilities.workspace?.workspaceEdit;
    ctx.edits = { documentChanges: workspaceEdit?.documentChanges === true, createFiles: workspaceEdit?.resourceOperations?.includes('create') === true };
    ctx.client = {
      resolvesCodeActionEdit: params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true,
      showsDocuments: params.capabilities.window?.showDocument?.support === true,
    };
    canPullSettings = params.capabilities.workspace?.configuration === true;
    folderEvents = params.capabilities.workspace?.workspaceFolders === true;
    folders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []))
      .map((folder) => ({ uri: folder.uri, path: uriToPath(folder.uri) ?? '' }))
      .filter((folder) => folder.path !== '');
    parserReady = prepareAnalysis();
    return {
      capabilities: {
        // Saves are told (no text: the disk has it) because a saved .nix file is evaluated again.
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        definitionProvider: true,
        documentLinkProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND], resolveProvider: true },
        executeCommandProvider: { commands: [REVEAL_FIX_COMMAND, FIX_ALL_OF_RULE_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'nixos-homelab', version: typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev' },
    };
  });

  const loadFolder = async (folder: { uri: string; path: string }): Promise<void> => {
    const settings = await readFolderSettings(connection, folder.uri, fallbackSettings, canPullSettings, log);
    const root = index.setFolder(folder.path, settings);
    evaluation.adopt(root);
    runner.schedule(root);
  };

  connection.onInitialized(async () => {
    try {
      await parserReady;
    } catch (error) {
      log.error('The Nix parser could not be loaded: Nix files cannot be analysed', error);
    }
    if (canPullSettings) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'nixosHomelab' });
    // The library throws when the client never announced folder events.
    if (folderEvents) connection.workspace.onDidChangeWorkspaceFolders(async (event) => {
      for (const removed of event.removed) {
        const file = uriToPath(removed.uri);
        if (file) {
          index.removeFolder(file);
          runner.clear(file);
          evaluation.removed(file);
        }
      }
      for (const added of event.added) {
        const file = uriToPath(added.uri);
        if (file) await loadFolder({ uri: added.uri, path: file });
      }
    });
    await Promise.all(folders.map(loadFolder));
    // Documents opened before the folders were ready.
    for (const file of documents.files()) runner.schedule(index.rootFor(file, defaultSettings()));
    log.info(`nixos-homelab language server ready: ${folders.map((folder) => folder.path).join(', ') || 'no workspace folder'}`);
  });

  connection.onDidChangeConfiguration(async () => {
    await Promise.all(index.folders().filter((root) => root.isFolder).map((root) => loadFolder({ uri: pathToUri(root.root), path: root.root })));
  });

  const analyseDocument = (uri: string): void => {
    const file = uriToPath(uri);
    // Before `initialized` the folders are unknown: the documents are analysed once they are.
    if (!file || index.folders().length === 0 && folders.length > 0) return;
    runner.schedule(index.rootFor(file, defaultSettings()));
  };
  documents.store.onDidOpen(({ document }) => analyseDocument(document.uri));
  documents.store.onDidChangeContent(({ document }) => analyseDocument(document.uri));
  documents.store.onDidClose(({ document }) => {
    const file = uriToPath(document.uri);
    if (!file) return;
    // The disk text counts again (it may differ from the closed buffer when it was not saved).
    index.disk.invalidate(file);
    const root = index.rootFor(file, defaultSettings());
    if (root.isFolder) runner.schedule(root);
    else {
      runner.clear(root.root);
      index.forgetLoneFile(file);
    }
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    const changed: string[] = [];
    for (const change of changes) {
      const file = uriToPath(change.uri);
      if (!file) continue;
      index.fileChanged(file, change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed');
      changed.push(file);
    }
    if (changes.length > 0) runner.scheduleAll();
    evaluation.filesChanged(changed);
  });

  // A save evaluates again (the watcher reports it too, when the client watches: the two cost one evaluation).
  documents.store.onDidSave(({ document }) => {
    const file = uriToPath(document.uri);
    if (file) evaluation.filesChanged([file]);
  });

  connection.onNotification(WorkspaceTrustedNotification.type, () => {
    if (ctx.trusted) return;
    ctx.trusted = true;
    log.info('The workspace is trusted now');
    evaluation.trustGranted();
  });

  documents.store.listen(connection);
  return ctx;
}
