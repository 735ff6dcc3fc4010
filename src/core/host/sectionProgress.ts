import { SECTION_BEGIN } from './commands';
import { sectionCommand } from './extractionOutput';

/**
 * Follows the extraction script's stdout while it arrives and names each command as it starts, for a progress
 * display ("lsblk -f …", "id palav"). Chunks may split a marker line anywhere, so an unfinished last line is kept
 * until the rest arrives.
 */
export class SectionProgress {
  private pending = '';

  /** Feeds a chunk of stdout; returns what the commands that started in it do, in order. */
  push(chunk: string): string[] {
    const text = this.pending + chunk;
    const lines = text.split('\n');
    // The last element is an unfinished line (or '' after a newline): keep it for the next chunk.
    this.pending = lines.pop() ?? '';
    // A huge line without a newline is command output, never a marker: do not hold on to it.
    if (this.pending.length > 512) this.pending = this.pending.slice(-SECTION_BEGIN.length - 80);
    const started: string[] = [];
    for (const line of lines) {
      const name = markerName(line.replace(/\r$/, ''));
      if (name !== undefined) started.push(describeSection(name));
    }
    return started;
  }
}

/** What a section of the extraction (or the uid lookup added to it) runs, in words a user recognises. */
export function describeSection(name: string): string {
  const uid = /^uid-(\d+)$/.exec(name)?.[1];
  if (uid !== undefined) return `getent passwd ${uid}`;
  return sectionCommand(name)?.display ?? name;
}

function markerName(line: string): string | undefined {
  if (!line.startsWith(`${SECTION_BEGIN} `) || !line.endsWith('===')) return undefined;
  const name = line.slice(SECTION_BEGIN.length + 1, -3);
  return /^[^\s=]+$/.test(name) ? name : undefined;
}
