/**
 * The nixos-homelab language server: `node dist/server.js --stdio` (or over IPC when VS Code starts it). Wiring
 * only — the life cycle is in session.ts, each request in handlers/, the analysis in src/core.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import {
  AddImportRequest,
  ApplyAllFixesRequest,
  ExtractionTargetsRequest,
  GenerateModuleRequest,
  MigrationReportDataRequest,
  SnapshotWrittenNotification,
  VerifyExpectationRequest,
  WorkspaceSummaryRequest,
} from '../shared/protocol';
import { addImportHandler } from './handlers/addImport';
import { applyAllFixesHandler } from './handlers/applyAllFixes';
import { codeActionsHandler } from './handlers/codeActions';
import { definitionHandler } from './handlers/definition';
import { documentLinksHandler } from './handlers/documentLinks';
import { hoverHandler } from './handlers/hover';
import { extractionTargetsHandler, generateModuleHandler, migrationReportDataHandler, verifyExpectationHandler } from './handlers/migration';
import { snapshotWrittenHandler } from './handlers/snapshotWritten';
import { summaryHandler } from './handlers/summary';
import { createSession } from './session';

const connection = createConnection(ProposedFeatures.all);
const ctx = createSession(connection);

connection.onHover(hoverHandler(ctx));
connection.onDefinition(definitionHandler(ctx));
connection.onDocumentLinks(documentLinksHandler(ctx));
connection.onCodeAction(codeActionsHandler(ctx));
const summary = summaryHandler(ctx);
connection.onRequest(WorkspaceSummaryRequest.type, (token) => summary(undefined, token));
connection.onRequest(ApplyAllFixesRequest.type, applyAllFixesHandler(ctx));
connection.onRequest(ExtractionTargetsRequest.type, extractionTargetsHandler(ctx));
connection.onRequest(GenerateModuleRequest.type, generateModuleHandler(ctx));
connection.onRequest(VerifyExpectationRequest.type, verifyExpectationHandler(ctx));
connection.onRequest(MigrationReportDataRequest.type, migrationReportDataHandler(ctx));
connection.onRequest(AddImportRequest.type, addImportHandler(ctx));
connection.onNotification(SnapshotWrittenNotification.type, snapshotWrittenHandler(ctx));
connection.onShutdown(() => ctx.index.dispose());

connection.listen();
