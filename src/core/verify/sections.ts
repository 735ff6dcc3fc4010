/**
 * The delimited output format of the verify script: each command's output (stdout and stderr together) between
 * `===NIXOS-HOMELAB-BEGIN name===` and `===NIXOS-HOMELAB-END name rc=N===`.
 */

export const SECTION_BEGIN = '===NIXOS-HOMELAB-BEGIN';
export const SECTION_END = '===NIXOS-HOMELAB-END';

/** One command's output. `rc` is undefined when the output stopped before the END marker. */
export interface Section {
  name: string;
  body: string;
  rc?: number;
}

/** Section names, shared by the script builder and the checks. */
export const SectionName = {
  uname: 'uname',
  osRelease: 'os-release',
  renderNodes: 'render-nodes',
  docker: 'docker',
  autostart: 'autostart',
  autostartJournal: 'autostart-journal',
  mounts: 'findmnt',
  passwd: (user: string) => `passwd:${user}`,
  group: (gid: number) => `group:${gid}`,
} as const;

const BEGIN_LINE = /^===NIXOS-HOMELAB-BEGIN (\S+)===$/;
const END_LINE = /^===NIXOS-HOMELAB-END (\S+) rc=(\d+)===$/;

/**
 * Splits script output into sections by name. Text outside sections (a login banner, a MOTD) is ignored; a
 * section cut off by a dropped connection is kept with `rc` undefined; the first section of a name wins.
 */
export function parseSections(output: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  let current: { name: string; lines: string[] } | undefined;
  const close = (rc: number | undefined): void => {
    if (!current) return;
    if (!sections.has(current.name)) {
      const section: Section = { name: current.name, body: current.lines.join('\n') };
      if (rc !== undefined) section.rc = rc;
      sections.set(current.name, section);
    }
    current = undefined;
  };

  for (const line of output.split(/\r?\n/)) {
    const end = END_LINE.exec(line);
    if (current && end && end[1] === current.name) {
      close(Number(end[2]));
      continue;
    }
    const begin = BEGIN_LINE.exec(line);
    if (begin) {
      // A BEGIN inside an open section means the previous one was cut short.
      close(undefined);
      current = { name: begin[1] ?? '', lines: [] };
      continue;
    }
    current?.lines.push(line);
  }
  close(undefined);
  return sections;
}
