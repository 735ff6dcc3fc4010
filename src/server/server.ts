/**
 * The nixos-homelab language server: `node dist/server.js --stdio` (VS Code starts it so too; `--node-ipc`,
 * `--socket` and `--pipe` work as well). Wiring only — the life cycle is in session.ts, each request in handlers/,
 * the analysis in src/core.
 */
import { inspect } from 'node:util';
import { CancellationToken, createConnection, ProposedFeatures } from 'vscode-languageserver/node';
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
import { codeActionResolveHandler, executeCommandHandler } from './handlers/codeActionResolve';
import { codeActionsHandler } from './handlers/codeActions';
import { definitionHandler } from './handlers/definition';
import { documentLinksHandler } from './handlers/documentLinks';
import { hoverHandler } from './handlers/hover';
import { extractionTargetsHandler, generateModuleHandler, migrationReportDataHandler, verifyExpectationHandler } from './handlers/migration';
import { snapshotWrittenHandler } from './handlers/snapshotWritten';
import { summaryHandler } from './handlers/summary';
import { initializeOnce, REPEATED_INITIALIZE, repeatedInitializeError } from './initializeOnce';
import { createSession } from './session';
import { stdioTransport } from './transport';
import { tuneJitForLatency } from './jitTuning';

tuneJitForLatency();
const stdio = stdioTransport();
const options = { messageStrategy: initializeOnce() };
const connection = stdio ? createConnection(ProposedFeatures.all, stdio.reader, stdio.writer, options) : createConnection(ProposedFeatures.all, options);
const ctx = createSession(connection);
let shutDown = false;
if (stdio) {
  // What createConnection does for `--stdio` when it opens the streams itself: stdout carries the protocol, so
  // console output goes to the client's log, and the server ends with its input.
  const log = (level: 'info' | 'warn' | 'error') => (...args: unknown[]) => connection.console[level](args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' '));
  Object.assign(console, { log: log('info'), info: log('info'), debug: log('info'), warn: log('warn'), error: log('error') });
  const exit = (): never => process.exit(shutDown ? 0 : 1);
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
}

connection.onHover(hoverHandler(ctx));
connection.onDefinition(definitionHandler(ctx));
connection.onDocumentLinks(documentLinksHandler(ctx));
connection.onCodeAction(codeActionsHandler(ctx));
connection.onCodeActionResolve(codeActionResolveHandler(ctx));
connection.onExecuteCommand(executeCommandHandler(ctx));
const summary = summaryHandler(ctx);
// Params sent anyway arrive before the token, which is always last.
connection.onRequest(WorkspaceSummaryRequest.method, (...args: unknown[]) => {
  const token = args[args.length - 1];
  return summary(undefined, CancellationToken.is(token) ? token : CancellationToken.None);
});
connection.onRequest(ApplyAllFixesRequest.type, applyAllFixesHandler(ctx));
connection.onRequest(ExtractionTargetsRequest.type, extractionTargetsHandler(ctx));
connection.onRequest(GenerateModuleRequest.type, generateModuleHandler(ctx));
connection.onRequest(VerifyExpectationRequest.type, verifyExpectationHandler(ctx));
connection.onRequest(MigrationReportDataRequest.type, migrationReportDataHandler(ctx));
connection.onRequest(AddImportRequest.type, addImportHandler(ctx));
connection.onNotification(SnapshotWrittenNotification.type, snapshotWrittenHandler(ctx));
connection.onRequest(REPEATED_INITIALIZE, repeatedInitializeError);
connection.onShutdown(() => {
  shutDown = true;
  ctx.evaluation.dispose();
  ctx.index.nixTrees?.flush();
  ctx.index.dispose();
});

connection.listen();
