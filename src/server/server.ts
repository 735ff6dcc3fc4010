/**
 * The nixos-homelab language server: `node dist/server.js --stdio` (or over IPC when VS Code starts it). Wiring
 * only — the life cycle is in session.ts, each request in handlers/, the analysis in src/core.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { ApplyAllFixesRequest, WorkspaceSummaryRequest } from '../shared/protocol';
import { applyAllFixesHandler } from './handlers/applyAllFixes';
import { codeActionsHandler } from './handlers/codeActions';
import { definitionHandler } from './handlers/definition';
import { documentLinksHandler } from './handlers/documentLinks';
import { hoverHandler } from './handlers/hover';
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
connection.onShutdown(() => ctx.index.dispose());

connection.listen();
