import { initNixParser } from '../nix';

/**
 * Readies what the analysis needs before it can run synchronously: the Nix grammar, a wasm module compiled once per
 * process (a failed load is retried by the next call). The faces call it in one place each — the CLI before any
 * command (cli.ts), the language server when it starts (session.ts) — never before each analysis.
 */
export function prepareAnalysis(): Promise<void> {
  return initNixParser();
}
