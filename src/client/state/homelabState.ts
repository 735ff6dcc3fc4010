/**
 * What the extension knows about each workspace folder, kept fresh from the server's analysis: whether a host
 * snapshot is used (and from which host), which configuration the stacks belong to, whether a module was generated
 * and is imported, whether the new host was verified. The status bar, the status menu, the Migration Report and the
 * walkthrough (through context keys) all read it, so they never disagree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { allPassed } from '../../core/verify/report';
import { MigrationReportDataRequest, SETTINGS_SECTION, type HostEvaluationStatus, type WorkspaceSummary } from '../../shared/protocol';
import { configuredSnapshotPath, findSnapshotFolders, snapshotFilesIn, type SnapshotFolder } from '../migration/snapshotFolders';
import { snapshotDirOf } from '../migration/workspaceFolder';
import { lastVerify } from '../migration/verifyStore';
import { CONTEXT_KEYS } from './contextKeys';
import { entryImportsModule, isGeneratedModuleText } from './generatedModule';


export interface GeneratedModule {
  /** Absolute path of the module. */
  file: string;
  /** The entry module whose `imports` it belongs in. */
  entry?: string;
  /** The entry's imports name it already (open buffer included). */
  imported: boolean;
}

export interface FolderState {
  folder: vscode.WorkspaceFolder;
  /** The setting as written (relative to the folder). */
  snapshotPath: string;
  /** The snapshot the server's analysis uses (its host name and system, when recorded); undefined: none loaded. */
  snapshot?: { host?: string; system?: string };
  /** The snapshot files in the configured folder (what the server reads). */
  snapshotFiles: string[];
  /** Snapshot folders found elsewhere in the folder while none is used. */
  snapshotCandidates: SnapshotFolder[];
  /** The entry module the stacks are checked against (absolute), when known. */
  entry?: string;
  generated?: GeneratedModule;
  verified?: { passed: boolean; host: string };
}

export interface HomelabStatus {
  summary?: WorkspaceSummary;
  /** Why the language server is not running, when it failed. */
  serverFailed?: string;
  folders: FolderState[];
  /** Where each host's evaluation by Nix stands (nixosHomelab.evaluation.mode); empty: none was run. */
  evaluation: HostEvaluationStatus[];
}

/** workspaceState key of the module Generate wrote last in a folder. */
function generatedKey(folder: vscode.WorkspaceFolder): string {
  return `nixosHomelab.generatedModule:${folder.uri.toString()}`;
}

const REFRESH_DELAY_MS = 300;

interface FoundOnDisk {
  entry?: string;
  generatedFile?: string;
  snapshotCandidates: SnapshotFolder[];
}

export class HomelabState implements vscode.Disposable {
  private current: HomelabStatus = { folders: [], evaluation: [] };
  private readonly changed = new vscode.EventEmitter<HomelabStatus>();
  private readonly analysisChanged = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.analysisChanged];
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private again = false;
  /** Entry modules and generated modules found on disk, per folder; cleared when files or settings change. */
  private readonly found = new Map<string, FoundOnDisk>();

  /** The state changed (status bar, menu). */
  readonly onDidChange = this.changed.event;
  /** The analysis changed (diagnostics re-published, snapshot or settings changed): the report re-renders. */
  readonly onDidChangeAnalysis = this.analysisChanged.event;

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly client: () => LanguageClient | undefined,
  ) {
    this.disposables.push(
      vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((uri) => uri.scheme === 'file')) this.analysisDidChange();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(SETTINGS_SECTION)) return;
        this.found.clear();
        this.analysisDidChange();
      }),
      vscode.workspace.onDidCreateFiles(() => this.filesDidChange()),
      vscode.workspace.onDidDeleteFiles(() => this.filesDidChange()),
      vscode.workspace.onDidRenameFiles(() => this.filesDidChange()),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (document.uri.fsPath.endsWith('.nix')) this.scheduleRefresh();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.filesDidChange()),
    );
  }

  get status(): HomelabStatus {
    return this.current;
  }

  /** The server's new counts (it sends them whenever they change). */
  setSummary(summary: WorkspaceSummary): void {
    this.current = { ...this.current, summary };
    delete this.current.serverFailed;
    this.changed.fire(this.current);
    this.analysisDidChange();
  }

  /** The server's evaluation states (it sends all of them whenever one changes). */
  setEvaluation(hosts: HostEvaluationStatus[]): void {
    this.current = { ...this.current, evaluation: hosts };
    this.changed.fire(this.current);
  }

  setServerFailed(message: string): void {
    this.current = { ...this.current, serverFailed: message };
    this.changed.fire(this.current);
  }

  /** Remembers the module Generate wrote, so the menu and the report can offer "Add to imports". */
  async rememberGenerated(folder: vscode.WorkspaceFolder, file: string, entry: string | undefined): Promise<void> {
    await this.extension.workspaceState.update(generatedKey(folder), entry ? { file, entry } : { file });
    await this.refresh();
  }

  /** The folder state of `folder` (the first folder when omitted). */
  folderState(folder?: vscode.WorkspaceFolder): FolderState | undefined {
    return folder ? this.current.folders.find((f) => f.folder.uri.toString() === folder.uri.toString()) : this.current.folders[0];
  }

  private filesDidChange(): void {
    this.found.clear();
    this.scheduleRefresh();
  }

  private analysisDidChange(): void {
    this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, REFRESH_DELAY_MS);
  }

  /** Recomputes every folder's state now (coalesced: a refresh asked for meanwhile runs once more after). */
  async refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        const folders = await Promise.all((vscode.workspace.workspaceFolders ?? []).map((folder) => this.folderStateOf(folder)));
        this.current = { ...this.current, folders };
        await this.setContextKeys();
        this.changed.fire(this.current);
        this.analysisChanged.fire();
      } while (this.again);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async folderStateOf(folder: vscode.WorkspaceFolder): Promise<FolderState> {
    const client = this.client();
    let snapshot: FolderState['snapshot'];
    // Before its first summary the server may not know the folders yet.
    if (client && this.current.summary) {
      try {
        const data = await client.sendRequest(MigrationReportDataRequest.type, { folder: client.code2ProtocolConverter.asUri(folder.uri) });
        const system = data.snapshot?.os?.prettyName ?? data.snapshot?.os?.id;
        if (data.snapshot) snapshot = { ...(data.snapshot.host ? { host: data.snapshot.host } : {}), ...(system ? { system } : {}) };
      } catch {
        /* the server is restarting: the next change refreshes again */
      }
    }
    const found = await this.foundOnDisk(folder);
    const remembered = this.extension.workspaceState.get<{ file: string; entry?: string }>(generatedKey(folder));
    const generatedFile = remembered && isGeneratedModule(remembered.file) ? remembered.file : found.generatedFile;
    const entry = remembered?.entry ?? found.entry;
    const verify = lastVerify(this.extension.workspaceState, folder);
    return {
      folder,
      snapshotPath: configuredSnapshotPath(folder),
      snapshotFiles: snapshotFilesIn(snapshotDirOf(folder)),
      ...(snapshot ? { snapshot } : {}),
      snapshotCandidates: snapshot ? [] : found.snapshotCandidates,
      ...(entry ? { entry } : {}),
      ...(generatedFile ? { generated: { file: generatedFile, ...(entry ? { entry } : {}), imported: entry ? entryImportsModule(entry, textOf(entry), generatedFile) : false } } : {}),
      ...(verify ? { verified: { passed: allPassed(verify.report), host: verify.report.host } } : {}),
    };
  }

  /** The entry module (setting, else the shallowest configuration.nix), a generated homelab.nix and snapshot folders, found once. */
  private async foundOnDisk(folder: vscode.WorkspaceFolder): Promise<FoundOnDisk> {
    const key = folder.uri.toString();
    const cached = this.found.get(key);
    if (cached) return cached;
    const exclude = '**/{node_modules,.git}/**';
    const configured = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).get<string[]>('nixosConfiguration', []);
    const shallowest = (uris: vscode.Uri[]): string | undefined => uris.map((uri) => uri.fsPath).sort((a, b) => a.split(path.sep).length - b.split(path.sep).length || (a < b ? -1 : 1))[0];
    const entry = configured[0]
      ? path.resolve(folder.uri.fsPath, configured[0])
      : shallowest(await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/configuration.nix'), exclude, 20));
    const modules = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/homelab.nix'), exclude, 20);
    const generatedFile = shallowest(modules.filter((uri) => isGeneratedModule(uri.fsPath)));
    const result: FoundOnDisk = { ...(entry ? { entry } : {}), ...(generatedFile ? { generatedFile } : {}), snapshotCandidates: await findSnapshotFolders(folder) };
    this.found.set(key, result);
    return result;
  }

  private async setContextKeys(values?: Record<keyof typeof CONTEXT_KEYS, boolean>): Promise<void> {
    const folders = this.current.folders;
    const set = values ?? {
      hasSnapshot: folders.some((f) => f.snapshot !== undefined),
      moduleGenerated: folders.some((f) => f.generated !== undefined),
      hostVerified: folders.some((f) => f.verified?.passed === true),
    };
    await Promise.all((Object.keys(CONTEXT_KEYS) as (keyof typeof CONTEXT_KEYS)[]).map((key) => vscode.commands.executeCommand('setContext', CONTEXT_KEYS[key], set[key])));
  }

  /**
   * Runs `open` (which opens the walkthrough) with the context keys false, then sets them from the state again.
   * VS Code ticks a step on an `onContext:` event only when the key *changes* to true while its walkthroughs
   * service runs; a key already true when the service starts (it starts lazily, when the walkthrough is first
   * opened) is remembered as seen and never ticks the step.
   */
  async withContextKeysReset(open: () => Thenable<unknown>): Promise<void> {
    await this.setContextKeys({ hasSnapshot: false, moduleGenerated: false, hostVerified: false });
    try {
      await open();
    } finally {
      await this.setContextKeys();
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** The text of a file as the editor sees it: the open buffer (unsaved edits count), else the disk. */
export function textOf(file: string): string {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'file' && document.uri.fsPath === file);
  if (open) return open.getText();
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isGeneratedModule(file: string): boolean {
  return isGeneratedModuleText(textOf(file));
}
