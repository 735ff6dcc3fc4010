/**
 * Context keys the extension sets from the actual state (homelabState.ts), read by the walkthrough's completion
 * events (`onContext:<key>`) and `when` clauses. Free of `vscode`, so the manifest test can check package.json.
 */
export const CONTEXT_KEYS = {
  /** The analysis of some workspace folder uses a host snapshot. */
  hasSnapshot: 'nixosHomelab.hasSnapshot',
  /** A module written by Generate (or `nixos-homelab generate`) is in the workspace. */
  moduleGenerated: 'nixosHomelab.moduleGenerated',
  /** The last Verify of some folder passed every check. */
  hostVerified: 'nixosHomelab.hostVerified',
} as const;
