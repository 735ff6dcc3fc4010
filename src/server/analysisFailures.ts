import type { Logger } from './log';

/**
 * Analyses that threw. An exception in the pipeline costs that analysis — the diagnostics of the last one that
 * succeeded stay, requests that need the analysis are answered with an error — never the server. The same exception
 * on every keystroke is logged once: a root's failure is logged when it differs from the last one logged for that
 * root, and forgotten when an analysis of the root succeeds again.
 */
export class AnalysisFailures {
  private readonly lastLogged = new Map<string, string>();

  constructor(private readonly log: Logger) {}

  /** Records that the analysis of `root` threw `error`; logs it unless it is the failure logged last for `root`. */
  failed(root: string, error: unknown): void {
    const signature = failureSignature(error);
    if (this.lastLogged.get(root) === signature) return;
    this.lastLogged.set(root, signature);
    this.log.error(`Analysis of ${root} failed (logged once while it keeps failing the same way; the last diagnostics stay). Please report it with this log`, error);
  }

  succeeded(root: string): void {
    this.lastLogged.delete(root);
  }

  /** True while the latest analysis of `root` failed. */
  hasFailed(root: string): boolean {
    return this.lastLogged.has(root);
  }
}

/**
 * What makes two exceptions "the same": class, message and the frame that threw. Not the whole stack: a stack
 * overflow's depth, and so its lower frames, differ from one keystroke to the next.
 */
export function failureSignature(error: unknown): string {
  if (!(error instanceof Error)) return `thrown ${typeof error}: ${String(error)}`;
  const frame = error.stack?.split('\n').find((line) => line.trimStart().startsWith('at ')) ?? '';
  return `${error.name}: ${error.message} ${frame.trim()}`;
}

/** A request needs an analysis that failed (already logged): answered with this short error, no stack. */
export class AnalysisFailedError extends Error {
  constructor(root: string) {
    super(`the analysis of ${root} failed on the current text (see the NixOS Homelab output for the error); edit on and try again`);
  }
}
