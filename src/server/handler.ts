import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { OpenDocuments } from './documents';
import type { Logger } from './log';

/**
 * The one wrapper every request handler goes through (compose-language-service's ProviderBase): it looks the
 * document up, honours cancellation, and turns an exception into a ResponseError plus a log line — a bug in one
 * handler costs one answer, never the server.
 */
export interface HandlerContext {
  documents: OpenDocuments;
  log: Logger;
}

export type RequestHandler<P, R> = (params: P, token: CancellationToken) => Promise<R | ResponseError<void>>;

/** Wraps a handler that needs no document. */
export function handler<P, R>(name: string, ctx: HandlerContext, run: (params: P, token: CancellationToken) => R | Promise<R>): RequestHandler<P, R> {
  return async (params, token) => {
    if (token.isCancellationRequested) return cancelled(name);
    try {
      const result = await run(params, token);
      return token.isCancellationRequested ? cancelled(name) : result;
    } catch (error) {
      ctx.log.error(`${name} failed`, error);
      return new ResponseError(LSPErrorCodes.RequestFailed, `${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

/** Wraps a handler about one open document (`params.textDocument.uri`); a document not open is an error answer. */
export function documentHandler<P extends { textDocument: { uri: string } }, R>(
  name: string,
  ctx: HandlerContext,
  run: (document: TextDocument, file: string, params: P, token: CancellationToken) => R | Promise<R>,
): RequestHandler<P, R> {
  return handler<P, R>(name, ctx, (params, token) => {
    const open = ctx.documents.byUri(params.textDocument.uri);
    if (!open) throw new DocumentNotOpenError(params.textDocument.uri);
    return run(open.document, open.file, params, token);
  });
}

class DocumentNotOpenError extends Error {
  constructor(uri: string) {
    super(`${uri} is not open in the editor`);
  }
}

function cancelled(name: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
}
