/**
 * When a crashed language server is started again (no `vscode` import, so it is unit-tested). vscode-languageclient's
 * default handler restarts too, but silently in the output channel only; here the user is told each time, and where
 * the log is, because a crash means the diagnostics were stale until the restart.
 */

/** Restarts allowed within RESTART_WINDOW_MS; one crash more and the server stays stopped. */
export const MAX_RESTARTS = 4;
export const RESTART_WINDOW_MS = 3 * 60 * 1000;
/** How often a server that fails to initialize is retried. */
export const MAX_INITIALIZE_RETRIES = 2;

export interface CrashDecision {
  restart: boolean;
  /** Crashes within the window, this one included. */
  crashes: number;
  /** What to tell the user. */
  notice: string;
}

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    private readonly logLocation: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash (the connection to the server closed without a shutdown) and decides what follows. */
  crashed(): CrashDecision {
    const now = this.now();
    this.crashes = this.crashes.filter((time) => now - time < RESTART_WINDOW_MS);
    this.crashes.push(now);
    const crashes = this.crashes.length;
    const minutes = RESTART_WINDOW_MS / 60_000;
    if (crashes <= MAX_RESTARTS) {
      return {
        restart: true,
        crashes,
        notice: `The NixOS Homelab language server stopped unexpectedly and was restarted (${crashes} of ${MAX_RESTARTS} restarts allowed in ${minutes} minutes). The log is in ${this.logLocation}.`,
      };
    }
    return {
      restart: false,
      crashes,
      notice: `The NixOS Homelab language server stopped unexpectedly ${crashes} times in ${minutes} minutes and was not restarted again: diagnostics are off. The log is in ${this.logLocation}; "NixOS Homelab: Restart Language Server" starts it again.`,
    };
  }
}
