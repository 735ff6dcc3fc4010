/**
 * Verify as one call, shared by `nixos-homelab verify` and "Verify NixOS Host over SSH…": the read-only check
 * script for an expectation, over one ssh connection, evaluated into the report.
 */
import { buildVerifyScript, evaluateVerify, type VerifyExpectation, type VerifyReport } from '../core/verify';
import { runOverSsh, type RunError, type SshRunOptions, type SshTarget } from './ssh';

export type VerifyHostResult =
  | { ok: true; report: VerifyReport }
  | { ok: false; error: RunError | { kind: 'invalid-expectation'; message: string } };

/** Checks `target` for `expectation`. Never throws; a host that cannot be asked is an error, a failed check is not. */
export async function verifyHost(target: SshTarget, expectation: VerifyExpectation, options: SshRunOptions = {}): Promise<VerifyHostResult> {
  const script = buildVerifyScript(expectation);
  if (!script.ok) {
    return { ok: false, error: { kind: 'invalid-expectation', message: script.problems[0] ?? 'the workspace gives values that cannot be checked safely' } };
  }
  const result = await runOverSsh(target, script.script, options);
  if (!result.ok) return result;
  return { ok: true, report: evaluateVerify(result.stdout, expectation, target.display) };
}
