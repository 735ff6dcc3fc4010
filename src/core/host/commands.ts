import { SECTION_BEGIN, SECTION_END } from './sections';
import { groupCommand, groupFileName, idCommand, idFileName, LSBLK_JSON_COMMAND, LSBLK_TEXT_COMMAND, RAW_FILES } from './rawFiles';
import { shellQuote, validateGid, validateUserName } from './shellArguments';

/**
 * The read-only extraction: one POSIX sh script, sent on stdin to `ssh host sh -s` (or `sh -s` locally), that
 * prints each command's output between markers. Only reading commands, no sudo, no temporary files, no writes.
 */

export { SECTION_BEGIN, SECTION_END };

/** Fixed section names of the script output; per-target sections are `id-<user>` and `group-<gid>`. */
export const SECTIONS = {
  uname: 'uname',
  hostname: 'hostname',
  osRelease: 'os-release',
  lsblk: 'lsblk',
  lsblkJson: 'lsblk-json',
  fstab: 'fstab',
  dri: 'dri',
  gpu: 'gpu',
} as const;

/** Section name of `id <user>`. */
export function idSection(user: string): string {
  return `id-${user}`;
}

/** Section name of `getent group <gid>`. */
export function groupSection(gid: number): string {
  return `group-${gid}`;
}

/** One command of the extraction, as data: what runs, and where its output goes. */
export interface ExtractionCommand {
  section: string;
  /** The command as shown to users and recorded in gaps. */
  display: string;
  /** The sh words to run, already quoted. */
  shell: string;
  /** The raw file the output becomes, when it is one. */
  fileName?: string;
  /** A program that must exist (`command -v`), else the section reports rc=127. */
  requires?: string;
}

export interface ExtractionTargets {
  users: string[];
  gids: number[];
}

/**
 * The commands the extraction runs, in order. Throws a RangeError on a user name or gid that `validateUserName` /
 * `validateGid` refuse: callers validate input first, so reaching the throw is a programming error.
 */
export function extractionCommands(targets: ExtractionTargets): ExtractionCommand[] {
  const file = (section: string): string | undefined => RAW_FILES.find((spec) => spec.section === section)?.fileName;
  const commands: ExtractionCommand[] = [
    { section: SECTIONS.uname, display: 'uname -s', shell: 'uname -s' },
    { section: SECTIONS.hostname, display: 'uname -n', shell: 'uname -n' },
    { section: SECTIONS.osRelease, display: 'cat /etc/os-release', shell: 'cat /etc/os-release', fileName: 'os-release.txt' },
    { section: SECTIONS.lsblk, display: LSBLK_TEXT_COMMAND, shell: LSBLK_TEXT_COMMAND, fileName: 'lsblk.txt', requires: 'lsblk' },
    { section: SECTIONS.lsblkJson, display: LSBLK_JSON_COMMAND, shell: LSBLK_JSON_COMMAND, fileName: 'lsblk.json', requires: 'lsblk' },
    { section: SECTIONS.fstab, display: 'cat /etc/fstab', shell: 'cat /etc/fstab', fileName: 'fstab.txt' },
  ];
  for (const user of targets.users) {
    const checked = validateUserName(user);
    if (!checked.ok) throw new RangeError(checked.message);
    commands.push({ section: idSection(user), display: idCommand(user), shell: `id ${shellQuote(user)}`, fileName: idFileName(user) });
  }
  for (const gid of targets.gids) {
    const checked = validateGid(gid);
    if (!checked.ok) throw new RangeError(checked.message);
    commands.push({
      section: groupSection(checked.value),
      display: groupCommand(checked.value),
      shell: `getent group ${shellQuote(String(checked.value))}`,
      fileName: groupFileName(checked.value),
      requires: 'getent',
    });
  }
  commands.push(
    { section: SECTIONS.dri, display: 'ls -ln /dev/dri', shell: 'ls -ln /dev/dri', fileName: file('dri') ?? 'dri.txt' },
    { section: SECTIONS.gpu, display: 'lspci -nn', shell: 'lspci -nn', fileName: file('gpu') ?? 'gpu.txt', requires: 'lspci' },
  );
  return commands;
}

/**
 * The extraction script for `sh -s`. Every command runs with stdin from /dev/null (it must not eat the rest of
 * the script, which arrives on the same stdin), stderr folded into its section, and `LC_ALL=C` so outputs are
 * not localized. Each section ends with a newline and `===NIXOS-HOMELAB-END <name> rc=<status>===`; the newline
 * is the script's, so a section's content is exactly the command's output.
 */
export function buildExtractionScript(targets: ExtractionTargets): string {
  const lines = [
    '# nixos-homelab host extraction: read-only commands only; nothing is written, nothing needs sudo.',
    'LC_ALL=C',
    'export LC_ALL',
    // lspci lives in /usr/sbin or /sbin on some distributions, which a non-login ssh PATH may lack.
    'PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"',
    'export PATH',
    'nh_section() {',
    '  nh_name=$1',
    '  shift',
    `  printf '%s\\n' "${SECTION_BEGIN} $nh_name==="`,
    '  "$@" </dev/null 2>&1',
    '  nh_rc=$?',
    `  printf '\\n%s\\n' "${SECTION_END} $nh_name rc=$nh_rc==="`,
    '}',
    'nh_missing() {',
    `  printf '%s\\n%s: command not found\\n\\n%s\\n' "${SECTION_BEGIN} $1===" "$2" "${SECTION_END} $1 rc=127==="`,
    '}',
  ];
  for (const command of extractionCommands(targets)) {
    const run = `nh_section ${command.section} ${command.shell}`;
    lines.push(
      command.requires === undefined
        ? run
        : `if command -v ${command.requires} >/dev/null 2>&1; then ${run}; else nh_missing ${command.section} ${command.requires}; fi`,
    );
  }
  return lines.join('\n') + '\n';
}
