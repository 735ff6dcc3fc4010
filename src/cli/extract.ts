import * as path from 'node:path';
import { loadComposeProject } from '../core/compose';
import { discoverFiles } from '../core/analysis/discovery';
import { DiskFileSource } from '../core/analysis/fileSource';
import { deriveExtractionTargets } from '../core/generate';
import { dataMounts, validateGid, validateUserName } from '../core/host';
import type { HostSnapshot } from '../core/host/model';
import { extractHostSnapshot } from '../platform/hostExtraction';
import { snapshotDirBlocked, writeSnapshotDir } from '../platform/snapshotStore';
import { DEFAULT_SETTINGS } from '../core/settings';
import { CliError, parseCommandArgs } from './args';
import type { CliIo } from './lint';
import { rejectControlCharacters, rejectSshOnlyFlags, SSH_FLAGS, sshTargetFromFlags } from './sshFlags';

export const EXTRACT_USAGE =
  'nixos-homelab extract (--ssh [USER@]HOST [--port N] [--identity FILE] [--ssh-option KEY=VALUE]... | --local) [--user NAME]... [--gid N]... [--out DIR] [--force]';

/**
 * `extract`: runs the read-only extraction script once (over one ssh connection, or locally), checks the host is
 * Linux, and writes the raw outputs plus a validated snapshot.json into the snapshot folder.
 */
export async function runExtract(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('extract', argv, {
    ...SSH_FLAGS,
    local: { type: 'boolean' },
    user: { type: 'string', multiple: true },
    gid: { type: 'string', multiple: true },
    out: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new CliError(`extract: unexpected argument "${positionals[0]}" (the host goes after --ssh)`);
  if (values.local && values.ssh !== undefined) throw new CliError('extract: give either --ssh [USER@]HOST or --local, not both');
  if (!values.local && values.ssh === undefined) throw new CliError('extract: say where to extract from: --ssh [USER@]HOST or --local');
  if (values.local) rejectSshOnlyFlags('extract', values);
  const target = values.ssh !== undefined ? sshTargetFromFlags('extract', values) : undefined;

  rejectControlCharacters('extract', 'user', values.user);
  rejectControlCharacters('extract', 'gid', values.gid);
  const users = (values.user ?? []).map((name) => {
    const checked = validateUserName(name);
    if (!checked.ok) throw new CliError(`extract: --user ${checked.message}`);
    return checked.value;
  });
  const gids = (values.gid ?? []).map((gid) => {
    const checked = validateGid(gid);
    if (!checked.ok) throw new CliError(`extract: --gid ${checked.message}`);
    return checked.value;
  });
  const outDir = path.resolve(io.cwd, values.out ?? DEFAULT_SETTINGS.snapshotPath);
  // Refuse before connecting: a long extraction that cannot be saved is wasted.
  const blocked = values.force ? undefined : snapshotDirBlocked(outDir);
  if (blocked) throw new CliError(`extract: ${blocked}`);
  let uids: number[] = [];
  if (users.length === 0 && gids.length === 0) {
    const derived = deriveFromWorkspace(io.cwd);
    users.push(...derived.users.filter((name) => validateUserName(name).ok));
    gids.push(...derived.gids);
    uids = derived.uids;
    io.stderr(`nixos-homelab: from the compose files under ${io.cwd}: ${describeTargets(users, uids, gids)}\n`);
  }

  const where = target ? target.display : 'this machine';
  io.stderr(`nixos-homelab: extracting from ${where} (read-only commands, no sudo)…\n`);
  const extracted = await extractHostSnapshot({ ...(target ? { target } : {}), users, gids, uids });
  if (!extracted.ok) throw new CliError(`extract: ${extracted.error.message}`);
  const { files, snapshot, problems } = extracted;

  const written = writeSnapshotDir(outDir, files, { force: Boolean(values.force) });
  if (!written.ok) throw new CliError(`extract: ${written.message}`);
  io.stdout(summary(snapshot, path.relative(io.cwd, written.dir) || '.', written.written, written.backup, problems.length));
  return 0;
}

/** uids, user names and gids the compose files under `cwd` use. */
function deriveFromWorkspace(cwd: string): { users: string[]; uids: number[]; gids: number[] } {
  const host = new DiskFileSource();
  const files = discoverFiles([cwd]);
  const projects = files.composeFiles.filter((file) => !/\.override\./.test(path.basename(file))).map((file) => loadComposeProject(file, host));
  return deriveExtractionTargets(projects);
}

function describeTargets(users: string[], uids: number[], gids: number[]): string {
  const parts = [];
  if (uids.length) parts.push(`uid${uids.length > 1 ? 's' : ''} ${uids.join(', ')}`);
  if (users.length) parts.push(`user${users.length > 1 ? 's' : ''} ${users.join(', ')}`);
  if (gids.length) parts.push(`gid${gids.length > 1 ? 's' : ''} ${gids.join(', ')}`);
  return parts.length ? parts.join('; ') : 'no PUID/PGID/user:/group_add values (pass --user/--gid to look some up)';
}

function summary(snapshot: HostSnapshot, dir: string, written: string[], backup: string | undefined, problems: number): string {
  const lines = [`Snapshot of ${snapshot.host ?? 'the host'}${snapshot.os?.prettyName ? ` (${snapshot.os.prettyName})` : ''} written to ${dir}/`];
  lines.push(`  files:  ${written.join(', ')}`);
  if (backup) lines.push(`  backup: the previous snapshot is now ${path.basename(backup)}`);
  lines.push(`  users:  ${snapshot.users.map((u) => `${u.name} (uid ${u.uid}, gid ${u.gid})`).join(', ') || 'none'}`);
  lines.push(`  groups: ${snapshot.groups.map((g) => `${g.name} (${g.gid})`).join(', ') || 'none'}`);
  const mounts = dataMounts(snapshot);
  lines.push(`  mounts: ${mounts.map((m) => `${m.mountpoint}${m.fsType ? ` ${m.fsType}` : ''}${m.uuid ? ` UUID=${m.uuid}` : ''}`).join(', ') || 'no data disks'}`);
  lines.push(`  GPUs:   ${snapshot.gpus.map((g) => g.description).join('; ') || 'none found'}`);
  if (snapshot.gaps.length) {
    lines.push(`  gaps:   ${snapshot.gaps.length}`);
    for (const gap of snapshot.gaps) lines.push(`    - ${gap.command}: ${gap.reason}`);
  } else {
    lines.push('  gaps:   none');
  }
  if (problems) lines.push(`  ${problems} line${problems === 1 ? '' : 's'} could not be read; \`nixos-homelab lint\` shows them`);
  return `${lines.join('\n')}\n`;
}
