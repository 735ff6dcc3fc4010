/** Shared handling of sections that cannot be judged: missing, cut short, command not installed, no systemd. */
import { check, type VerifyCheck } from './report';
import type { Section } from './sections';

const RUN_AGAIN = 'Run verify again; if it keeps happening, run the command by hand on the host to see why.';

/**
 * Returns an `unknown` check when the section cannot be judged at all, else undefined. `command` names what
 * the user can run by hand.
 */
export function unreadableSection(id: string, section: Section | undefined, command: string): VerifyCheck | undefined {
  if (!section) return check(id, 'unknown', `The output ended before "${command}" ran (connection dropped or script stopped).`, RUN_AGAIN);
  if (section.rc === undefined) return check(id, 'unknown', `The output of "${command}" was cut off.`, RUN_AGAIN);
  if (section.rc === 127 || /: (command )?not found$/m.test(section.body)) {
    return check(id, 'unknown', `"${command.split(' ')[0]}" is not installed on the host.`);
  }
  return undefined;
}

/** systemctl/journalctl without a running systemd (containers, WSL1, chroots) or without D-Bus access. */
export function systemdUnavailable(body: string): boolean {
  return /not been booted with systemd|Failed to connect to bus|Failed to get D-Bus connection|Access denied/i.test(body);
}

/** First non-empty line, trimmed, for one-line details. */
export function firstLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? '';
}
