import type { Connection } from 'vscode-languageserver/node';
import type { AnalysisRunner } from './analysisRunner';
import type { EvaluationScheduler } from './evaluation';
import type { OpenDocuments } from './documents';
import type { HandlerContext } from './handler';
import type { Logger } from './log';
import type { Publisher } from './publish';
import type { WorkspaceIndex } from './workspaceIndex';
import type { AnalysedRoot } from './workspaceIndex';
import type { WorkspaceAnalysis } from '../core/analysis/types';

/** What the client can do with a WorkspaceEdit (decides between `documentChanges` and plain `changes`). */
export interface EditCapabilities {
  documentChanges: boolean;
  createFiles: boolean;
}

/** What else the client said it supports at initialize. */
export interface ClientSupport {
  /** `codeAction/resolve` may fill in `edit` (the "fix all" entries are computed when chosen). */
  resolvesCodeActionEdit: boolean;
  /** `window/showDocument` (a cross-file fix reveals what it wrote). */
  showsDocuments: boolean;
}

/** Everything a handler may use; built once in server.ts. */
export interface ServerContext extends HandlerContext {
  connection: Connection;
  documents: OpenDocuments;
  index: WorkspaceIndex;
  runner: AnalysisRunner;
  /** Evaluation of the hosts with Nix (nixosHomelab.evaluation.mode). */
  evaluation: EvaluationScheduler;
  /** What each document was last sent: code actions look a diagnostic's finding up there. */
  publisher: Publisher;
  log: Logger;
  edits: EditCapabilities;
  client: ClientSupport;
  /** False in a restricted-mode workspace: no fix that creates files. */
  trusted: boolean;
  /** The root a file is analysed in and its current analysis (running a pending one first). */
  analysisFor(file: string): { root: AnalysedRoot; analysis: WorkspaceAnalysis };
}
