/**
 * The verify report. Its JSON form is public (`verify --format json`, SPEC §5): keep field names and the
 * status values exactly.
 */

export type VerifyStatus = 'pass' | 'fail' | 'unknown';

export interface VerifyCheck {
  /** Stable id: `os-is-nixos`, `render-node-gid`, `docker-active`, `autostart-unit`, `mount:<mp>`, `user:<name>`, `group:<gid>`. */
  id: string;
  status: VerifyStatus;
  /** What was found, in one line. */
  detail: string;
  /** What to do about a failure (or an unknown), when there is something to do. */
  fix?: string;
}

export interface VerifyReport {
  version: 1;
  host: string;
  checks: VerifyCheck[];
}

/** Builds a check, leaving `fix` out when there is none (so JSON output carries no `"fix": undefined`). */
export function check(id: string, status: VerifyStatus, detail: string, fix?: string): VerifyCheck {
  return fix === undefined ? { id, status, detail } : { id, status, detail, fix };
}

/** True when every check passed: `verify` exits 0 only then. */
export function allPassed(report: VerifyReport): boolean {
  return report.checks.every((c) => c.status === 'pass');
}
