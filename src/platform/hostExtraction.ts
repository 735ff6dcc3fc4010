/**
 * The extraction as one call, shared by `nixos-homelab extract` and the editor's "Extract Host State" commands:
 * the read-only script (plus the uid lookups) over ONE ssh connection or locally, the Linux check, the parsing, and
 * a validated snapshot.json — everything but writing the folder (`writeSnapshotDir`), which each face confirms
 * its own way.
 */
import { buildExtractionScript, completeSnapshotFiles, parseExtractionOutput, SectionProgress } from '../core/host';
import type { SnapshotFileProblem } from '../core/host/loadSnapshot';
import type { HostSnapshot } from '../core/host/model';
import { parseUidSections, uidLookupScript, withoutUidSections } from '../core/host/uidLookup';
import { notLinuxError, runLocal, runOverSsh, type RunError, type SshRunOptions, type SshTarget } from './ssh';

export interface ExtractionRequest {
  /** Where to run: a validated ssh target, or undefined for this machine. */
  target?: SshTarget;
  /** Validated user names (`id <name>`), gids (`getent group`) and uids (resolved to names on the host). */
  users: readonly string[];
  gids: readonly number[];
  uids?: readonly number[];
  /** Cancels the run (kills ssh / sh). */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Called with each command as it starts on the host (`lsblk -f …`, `id palav`), for a progress display. */
  onStep?: (step: string) => void;
  /** For tests: another ssh program. */
  sshBinary?: string;
  /** For tests: a fixed time for `takenAt`. */
  now?: Date;
}

export type ExtractionResult =
  | { ok: true; snapshot: HostSnapshot; files: Map<string, string>; problems: SnapshotFileProblem[]; where: string }
  | { ok: false; error: RunError | { kind: 'invalid-snapshot'; message: string } };

/** Runs the extraction and returns the snapshot folder's files (raw outputs + snapshot.json). Never throws. */
export async function extractHostSnapshot(request: ExtractionRequest): Promise<ExtractionResult> {
  const uids = request.uids ?? [];
  const script = buildExtractionScript({ users: [...request.users], gids: [...request.gids] }) + uidLookupScript(uids);
  const where = request.target ? request.target.display : 'this machine';
  const progress = new SectionProgress();
  const options: SshRunOptions = {
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
    ...(request.sshBinary !== undefined ? { sshBinary: request.sshBinary } : {}),
    ...(request.onStep ? { onStdout: (text: string) => progress.push(text).forEach((step) => request.onStep?.(step)) } : {}),
  };
  const result = request.target ? await runOverSsh(request.target, script, options) : await runLocal(script, options);
  if (!result.ok) return result;

  const output = parseExtractionOutput(result.stdout);
  const notLinux = notLinuxError(output.kernel ?? '', where);
  if (notLinux) return { ok: false, error: notLinux };

  const lookup = parseUidSections(result.stdout, uids);
  const completed = completeSnapshotFiles(new Map([...output.files, ...lookup.files]), {
    source: request.target ? 'ssh' : 'local',
    gaps: [...withoutUidSections(output.gaps), ...lookup.gaps],
    host: request.target ? request.target.display : (output.hostname ?? 'localhost'),
    takenAt: (request.now ?? new Date()).toISOString(),
  });
  if (!completed.ok) return { ok: false, error: { kind: 'invalid-snapshot', message: completed.message } };
  return { ok: true, snapshot: completed.snapshot, files: completed.files, problems: completed.problems, where };
}
