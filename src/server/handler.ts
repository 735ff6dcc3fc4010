import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisFailedError } from './analysisFailures';
import type { OpenDocuments } from './documents';
import type { Logger } from './log';
import { describeInvalidParams, type ParamsSchema } from './requestParams';

/**
 * The one wrapper every request handler goes through (compose-language-service's ProviderBase): it checks the
 * params (InvalidParams, with the field that is wrong), looks the document up, honours cancellation, and turns an
 * exception into a ResponseError plus a log line — a bug in one handler costs one answer, never the server.
 */
export interface HandlerContext {
  documents: OpenDocuments;
  log: Logger;
}

export type RequestHandler<R> = (params: unknown, token: CancellationToken) => Promise<R | ResponseError<void>>;

/** Wraps a handler that needs no document. */
export function handler<P, R>(name: string, ctx: HandlerContext, schema: ParamsSchema<P>, run: (params: P, token: CancellationToken) => R | Promise<R>): RequestHandler<R> {
  return async (raw, token) => {
    if (token.isCancellationRequested) return cancelled(name);
    const params = schema.safeParse(raw);
    if (!params.success) return new ResponseError(ErrorCodes.InvalidParams, `${name}: invalid params: ${describeInvalidParams(params.error)}`);
    try {
      const result = await run(params.data, token);
      return token.isCancellationRequested ? cancelled(name) : result;
    } catch (error) {
      // A failed analysis is logged once by the runner (a stack per request would repeat it on every hover); a
      // refusal (a document not open, no folder yet) is the answer itself, not a bug of ours.
      if (!(error instanceof AnalysisFailedError || error instanceof RequestRefusedError)) ctx.log.error(`${name} failed`, error);
      return new ResponseError(LSPErrorCodes.RequestFailed, `${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

/** Wraps a handler about one open document (`params.textDocument.uri`); a document not open is an error answer. */
export function documentHandler<P extends { textDocument: { uri: string } }, R>(
  name: string,
  ctx: HandlerContext,
  schema: ParamsSchema<P>,
  run: (document: TextDocument, file: string, params: P, token: CancellationToken) => R | Promise<R>,
): RequestHandler<R> {
  return handler<P, R>(name, ctx, schema, (params, token) => {
    const open = ctx.documents.byUri(params.textDocument.uri);
    if (!open) throw new DocumentNotOpenError(params.textDocument.uri);
    return run(open.document, open.file, params, token);
  });
}

/** A request that cannot be served in the current state: answered with its message, not logged as a failure. */
export class RequestRefusedError extends Error {}

class DocumentNotOpenError extends RequestRefusedError {
  constructor(uri: string) {
    super(`${uri} is not open in the editor`);
  }
}

function cancelled(name: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
}
