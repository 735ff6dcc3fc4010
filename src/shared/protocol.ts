/**
 * Custom messages between the VS Code client and the language server, one namespace per message
 * (vscode-eslint's `customMessages.ts` pattern): the method name and its parameter/result types live together,
 * so both sides always agree. Only `vscode-languageserver-protocol`'s message-type classes are used here, which
 * the client and the server libraries both re-export.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { FindingData, Severity } from '../core/types';

/** `Diagnostic.source` of everything this product reports. */
export const DIAGNOSTIC_SOURCE = 'nixos-homelab';

/** The code action kind of "fix everything fixable in this file" (`editor.codeActionsOnSave` can name it). */
export const FIX_ALL_KIND = 'source.fixAll.nixosHomelab';

/** The settings section the server pulls with `workspace/configuration`. */
export const SETTINGS_SECTION = 'nixosHomelab';

/**
 * `Diagnostic.data` of every published diagnostic: what a code action needs without parsing the message.
 * `version` is the document version the diagnostic was computed for (null: the file was not open), so a code
 * action requested against a newer text is refused instead of editing the wrong place.
 */
export interface DiagnosticData {
  rule: string;
  version: number | null;
  fixable: boolean;
  finding?: FindingData;
}

/** What the client tells the server at start (`initializationOptions`). */
export interface InitializationOptions {
  /** Settings to use when the client cannot answer `workspace/configuration` (tests, other editors). */
  settings?: unknown;
  /** False in an untrusted (restricted-mode) workspace: diagnostics only, no file creation. */
  trusted?: boolean;
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
