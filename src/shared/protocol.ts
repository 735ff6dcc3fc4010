/**
 * Custom messages between the VS Code client and the language server, one namespace per message
 * (vscode-eslint's `customMessages.ts` pattern): the method name and its parameter/result types live together,
 * so both sides always agree. Only `vscode-languageserver-protocol`'s message-type classes are used here, which
 * the client and the server libraries both re-export.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { DerivedTargets } from '../core/generate/extractionTargets';
import type { HostSnapshot } from '../core/host/model';
import type { ReportFinding } from '../core/report/migrationReport';
import type { Severity } from '../core/types';
import type { VerifyExpectation } from '../core/verify/expectation';

/** `Diagnostic.source` of everything this product reports. */
export const DIAGNOSTIC_SOURCE = 'nixos-homelab';

/** The code action kind of "fix everything fixable in this file" (`editor.codeActionsOnSave` can name it). */
export const FIX_ALL_KIND = 'source.fixAll.nixosHomelab';

/** The settings section the server pulls with `workspace/configuration`. */
export const SETTINGS_SECTION = 'nixosHomelab';

/**
 * `Diagnostic.data` of every published diagnostic. `version` is the document version the diagnostic was computed
 * for (null: the file was not open), so a code action requested against a newer text is refused instead of editing
 * the wrong place; `fixable` says whether a quick fix exists. Kept small on purpose: diagnostics are re-sent on
 * every keystroke, and the server finds the finding again by the diagnostic's rule id (`code`), range, host and
 * message in what it last published (server/publish/publisher.ts).
 */
export interface DiagnosticData {
  version: number | null;
  fixable: boolean;
  /** The host the finding was checked against (its name and entry module's path); absent when it needs none. */
  host?: { name: string; entry: string };
}

/** What the client tells the server at start (`initializationOptions`). */
export interface InitializationOptions {
  /** Settings to use when the client cannot answer `workspace/configuration` (tests, other editors). */
  settings?: unknown;
  /** False in an untrusted (restricted-mode) workspace: diagnostics only, no file creation. */
  trusted?: boolean;
  /**
   * A folder where the server may keep caches between starts (parsed Nix modules); null: keep none. Unset: the
   * user's cache folder (`$XDG_CACHE_HOME/nixos-homelab`).
   */
  cacheDir?: string | null;
}

/** Findings counts of the whole workspace, for the status bar. */
export interface WorkspaceSummary {
  counts: Record<Severity, number>;
  /** How many findings a quick fix can resolve. */
  fixable: number;
  /** Files with at least one finding. */
  files: number;
  /** False while the first analysis is still running. */
  ready: boolean;
}

export namespace WorkspaceSummaryRequest {
  export const method = 'nixosHomelab/workspaceSummary';
  export const type = new RequestType0<WorkspaceSummary, void>(method);
}

/** Sent by the server whenever the counts change, so the status bar never polls. */
export namespace WorkspaceSummaryNotification {
  export const method = 'nixosHomelab/workspaceSummaryChanged';
  export const type = new NotificationType<WorkspaceSummary>(method);
}

export interface ApplyAllFixesParams {
  /** Limit to findings of this document; omitted: the whole workspace. */
  uri?: string;
}

export interface ApplyAllFixesResult {
  /** Fixes that went into the edit the server asked the client to apply. */
  applied: number;
  /** False when the client refused or failed to apply the edit. */
  accepted: boolean;
  /** Findings left that no fix can resolve, with why (one line each). */
  hints: string[];
}

export namespace ApplyAllFixesRequest {
  export const method = 'nixosHomelab/applyAllFixes';
  export const type = new RequestType<ApplyAllFixesParams, ApplyAllFixesResult, void>(method);
}

/** Requests about one workspace folder; omitted: the first folder. */
export interface FolderParams {
  /** URI of the workspace folder. */
  folder?: string;
}

/** The user names, uids and gids the folder's compose files use: what "Extract Host State" asks the old host about. */
export namespace ExtractionTargetsRequest {
  export const method = 'nixosHomelab/extractionTargets';
  export const type = new RequestType<FolderParams, DerivedTargets, void>(method);
}

export interface GenerateModuleResult {
  /** The module text (homelab.nix). */
  text: string;
  /** What the module could not decide (also written as comments in it). */
  notes: string[];
  /** URI of the entry module the stacks belong to, when there is one (the save dialog defaults beside it). */
  entry?: string;
  /** How many stacks the module starts. */
  stacks: number;
}

/** The NixOS module the folder's stacks need, from the server's current analysis (the same as `nixos-homelab generate`). */
export interface GenerateModuleParams extends FolderParams {
  /**
   * URI of the file the module will overwrite, when it exists: its own definitions are not "already set by the
   * configuration" (a regenerated homelab.nix that the entry imports would otherwise turn into notes).
   */
  replaces?: string;
}

export namespace GenerateModuleRequest {
  export const method = 'nixosHomelab/generateModule';
  export const type = new RequestType<GenerateModuleParams, GenerateModuleResult, void>(method);
}

/** What "Verify NixOS Host" checks the new host for, from the current analysis (the same needs `generate` writes). */
export namespace VerifyExpectationRequest {
  export const method = 'nixosHomelab/verifyExpectation';
  export const type = new RequestType<FolderParams, VerifyExpectation, void>(method);
}

export interface AddImportParams {
  /** URI of the entry module to edit. */
  entry: string;
  /** URI of the module to import. */
  module: string;
}

export interface AddImportResult {
  outcome: 'added' | 'already-imported' | 'refused' | 'error';
  /** The path as written in the list (`./homelab.nix`). */
  written?: string;
  /** Why it was not added (error/refused). */
  message?: string;
}

/** Adds a module to an entry module's `imports` (the server plans the edit and asks the editor to apply it). */
export namespace AddImportRequest {
  export const method = 'nixosHomelab/addImport';
  export const type = new RequestType<AddImportParams, AddImportResult, void>(method);
}

export interface MigrationReportData {
  findings: ReportFinding[];
  snapshot?: HostSnapshot;
}

/** The findings (paths relative to the folder) and the snapshot of the current analysis, for "Show Migration Report". */
export namespace MigrationReportDataRequest {
  export const method = 'nixosHomelab/migrationReportData';
  export const type = new RequestType<FolderParams, MigrationReportData, void>(method);
}

/**
 * The client wrote a snapshot folder (extraction or import). The folder is replaced by a rename, which file watchers
 * may report only as the folder itself; this tells the server to re-read it and re-publish diagnostics.
 */
export namespace SnapshotWrittenNotification {
  export const method = 'nixosHomelab/snapshotWritten';
  export const type = new NotificationType<{ folder: string }>(method);
}

/** Where the evaluation of one host stands (`nixosHomelab.evaluation.mode`, docs/editor.md "Evaluation"). */
export interface HostEvaluationStatus {
  /** The workspace folder (a path). */
  folder: string;
  host: string;
  /**
   * `evaluating`: Nix runs now; `queued`: waits for another host's evaluation; `evaluated`: its values are in the
   * diagnostics; `failed`: not evaluated (see `message`), the static reading is used.
   */
  state: 'queued' | 'evaluating' | 'evaluated' | 'failed';
  /** Why it failed, or how it was evaluated (`nix eval …, 2.3 s` / `cached`). */
  message?: string;
  /** When the state was reached (ms since the epoch). */
  at: number;
}

/** Sent by the server whenever an evaluation starts or ends: every host's state (an empty list: nothing evaluated). */
export namespace EvaluationStatusNotification {
  export const method = 'nixosHomelab/evaluationStatus';
  export const type = new NotificationType<{ hosts: HostEvaluationStatus[] }>(method);
}

/**
 * The client's workspace became trusted after the server started (`initializationOptions.trusted` was false): what
 * needs trust — evaluation with Nix, fixes that create files — is allowed from now on.
 */
export namespace WorkspaceTrustedNotification {
  export const method = 'nixosHomelab/workspaceTrusted';
  export const type = new NotificationType<Record<string, never>>(method);
}
