import type { Connection } from 'vscode-languageserver/node';
import type { AnalysisRunner } from './analysisRunner';
import type { OpenDocuments } from './documents';
import type { HandlerContext } from './handler';
import type { Logger } from './log';
import type { WorkspaceIndex } from './workspaceIndex';
import type { AnalysedRoot } from './workspaceIndex';
import type { WorkspaceAnalysis } from '../core/workspace';

/** What the client can do with a WorkspaceEdit (decides between `documentChanges` and plain `changes`). */
export interface EditCapabilities {
  documentChanges: boolean;
  createFiles: boolean;
}

/** Everything a handler may use; built once in server.ts. */
export interface ServerContext extends HandlerContext {
  connection: Connection;
  documents: OpenDocuments;
  index: WorkspaceIndex;
  runner: AnalysisRunner;
  log: Logger;
  edits: EditCapabilities;
  /** False in a restricted-mode workspace: no fix that creates files. */
  trusted: boolean;
  /** The root a file is analysed in and its current analysis (running a pending one first). */
  analysisFor(file: string): { root: AnalysedRoot; analysis: WorkspaceAnalysis };
}
