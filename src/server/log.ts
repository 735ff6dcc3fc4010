import type { Connection } from 'vscode-languageserver/node';

/** Server log lines go to the client's output channel ("NixOS Homelab"). */
export interface Logger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export function createLogger(connection: Connection): Logger {
  return {
    info: (message) => connection.console.info(message),
    error: (message, error) => {
      const detail = error instanceof Error ? `\n${error.stack ?? error.message}` : error === undefined ? '' : ` ${String(error)}`;
      connection.console.error(`${message}${detail}`);
    },
  };
}
