import { ErrorCodes, Message, ResponseError, type MessageStrategy, type RequestMessage } from 'vscode-languageserver/node';

/** The method a repeated `initialize` is renamed to; its handler answers with REPEATED_INITIALIZE_ERROR. */
export const REPEATED_INITIALIZE = 'nixosHomelab/repeatedInitialize';

/**
 * LSP: `initialize` is sent once, and a server must not accept it again. vscode-languageserver would run it again
 * (new trust, cache folder, workspace folders and client capabilities, from whatever the second one says), so a
 * repeat is renamed on its way in, before the library's own initialize handling sees it, and answered with an error.
 */
export function initializeOnce(): MessageStrategy {
  let initialized = false;
  return {
    handleMessage(message, next) {
      if (Message.isRequest(message) && message.method === 'initialize') {
        if (initialized) return next({ ...message, method: REPEATED_INITIALIZE } as RequestMessage);
        initialized = true;
      }
      next(message);
    },
  };
}

export function repeatedInitializeError(): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidRequest, 'initialize was already received: the server is initialized once per start (restart it to initialize again)');
}
