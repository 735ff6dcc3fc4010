/**
 * Builds the read-only POSIX sh script `verify` runs on the NixOS host. It changes nothing, needs no sudo, and
 * prints each command's output as a delimited section (see sections.ts) so one failing command never hides
 * the others.
 */
import { validateExpectation, type VerifyExpectation } from './expectation';
import { RENDER_NODES_COMMAND } from './renderCheck';
import { SECTION_BEGIN, SECTION_END, SectionName } from './sections';

export type VerifyScriptResult = { ok: true; script: string } | { ok: false; problems: string[] };

const PRELUDE = `# nixos-homelab verify: read-only checks, no sudo needed.
export LC_ALL=C SYSTEMD_PAGER= SYSTEMD_COLORS=0
section() {
  _nh_name=$1
  shift
  # Capture first: the END marker then always starts a line, and $? is the command's status. stdin is the
  # rest of this script (sh -s), so no command may read it.
  _nh_out=$("$@" </dev/null 2>&1)
  _nh_rc=$?
  printf '%s %s===\\n' '${SECTION_BEGIN}' "$_nh_name"
  if [ -n "$_nh_out" ]; then printf '%s\\n' "$_nh_out"; fi
  printf '%s %s rc=%s===\\n' '${SECTION_END}' "$_nh_name" "$_nh_rc"
}
`;

/**
 * Returns the script for `expect`, or the problems that make a value unsafe to put in a script. Every
 * interpolated value has passed `validateExpectation` and is single-quoted as well.
 */
export function buildVerifyScript(expect: VerifyExpectation): VerifyScriptResult {
  const problems = validateExpectation(expect);
  if (problems.length > 0) return { ok: false, problems };

  const lines = [
    PRELUDE,
    `section ${SectionName.uname} uname -s`,
    `section ${SectionName.osRelease} cat /etc/os-release`,
  ];
  if (expect.renderGid !== undefined) {
    // The glob stays unexpanded when no render node exists; stat then says "No such file".
    lines.push(`section ${SectionName.renderNodes} ${RENDER_NODES_COMMAND}`);
  }
  lines.push(`section ${SectionName.docker} systemctl is-active docker.service`);
  if (expect.autostartUnit !== undefined) {
    const unit = quote(expect.autostartUnit);
    lines.push(
      `section ${SectionName.autostart} systemctl show -p LoadState,ActiveState,SubState,Result,ExecMainStatus,ExecMainStartTimestamp ${unit}`,
      // Without the systemd-journal group this prints only a hint; that is fine, the journal is context.
      `section ${SectionName.autostartJournal} journalctl -u ${unit} -b -n 20 --no-pager`,
    );
  }
  if (expect.mounts.length > 0) {
    lines.push(`section ${SectionName.mounts} findmnt -J -o TARGET,SOURCE,FSTYPE,UUID,OPTIONS`);
  }
  for (const user of expect.users) lines.push(`section ${quote(SectionName.passwd(user.name))} getent passwd ${quote(user.name)}`);
  for (const gid of new Set(expect.groups.map((group) => group.gid))) {
    lines.push(`section ${SectionName.group(gid)} getent group ${gid}`);
  }
  lines.push('exit 0', '');
  return { ok: true, script: lines.join('\n') };
}

/** Single-quotes a value for sh. The values are validated already; quoting keeps that from being the only guard. */
function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
