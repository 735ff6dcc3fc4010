import { extractionCommands, SECTIONS, type ExtractionCommand } from './commands';
import { displayControllerLines } from './lspci';
import type { SnapshotGap } from './model';
import { parseSections } from './sections';

export interface ExtractionOutput {
  /** Raw file name → content, as `loadSnapshotFromFiles` expects them. */
  files: Map<string, string>;
  /** Commands that failed or did not run, with why. */
  gaps: SnapshotGap[];
  /** `uname -s` of the host (`Linux`), when it ran. */
  kernel?: string;
  /** `uname -n` of the host, when it ran. */
  hostname?: string;
}

/**
 * Splits the stdout of the extraction script into raw files. A section with exit status 0 becomes its file
 * (`gpu.txt` keeps only the display controllers); any other status, or a section cut off before its end marker,
 * becomes a gap naming the command and the first line it printed.
 */
export function parseExtractionOutput(stdout: string): ExtractionOutput {
  const files = new Map<string, string>();
  const gaps: SnapshotGap[] = [];
  const output: ExtractionOutput = { files, gaps };
  const sections = parseSections(stdout);
  for (const { name, body: content, rc } of sections.values()) {
    const command = sectionCommand(name);
    if (rc === undefined) {
      gaps.push({ command: command?.display ?? name, reason: 'the output ended before this command finished (connection lost?)' });
      continue;
    }
    if (rc !== 0) {
      gaps.push({ command: command?.display ?? name, reason: failureReason(name, content, rc) });
      continue;
    }
    if (name === SECTIONS.uname) output.kernel = content.trim();
    else if (name === SECTIONS.hostname) output.hostname = content.trim();
    else if (command?.fileName) files.set(command.fileName, name === SECTIONS.gpu ? displayControllerLines(content) : content);
  }
  for (const command of extractionCommands({ users: [], gids: [] })) {
    if (!sections.has(command.section) && command.fileName) {
      gaps.push({ command: command.display, reason: 'no output for this command (the extraction did not run it)' });
    }
  }
  return output;
}

/** The extraction command that prints section `section`, or undefined for a name our script does not use. */
export function sectionCommand(section: string): ExtractionCommand | undefined {
  const user = /^id-(.+)$/.exec(section)?.[1];
  const gid = /^group-(\d+)$/.exec(section)?.[1];
  try {
    return extractionCommands({ users: user ? [user] : [], gids: gid ? [Number(gid)] : [] }).find((command) => command.section === section);
  } catch {
    // A section name that is not a valid user/gid did not come from our script: report it under its own name.
    return undefined;
  }
}

function failureReason(section: string, content: string, status: number): string {
  const firstLine = content.split(/\r?\n/).find((line) => line.trim() !== '')?.trim();
  if (status === 127) return `${firstLine ?? 'command not found'} (install it on the host to fill this in)`;
  // getent's documented status 2: the key was not found.
  if (status === 2 && section.startsWith('group-')) return `the host has no group with gid ${section.slice('group-'.length)}`;
  return `${firstLine ?? 'no output'} (exit status ${status})`;
}
