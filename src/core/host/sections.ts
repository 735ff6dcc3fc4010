/**
 * The delimited output of the read-only scripts the product runs on a host (extraction and verify): each
 * command's output between `===NIXOS-HOMELAB-BEGIN name===` and `===NIXOS-HOMELAB-END name rc=N===`. One parser
 * for both, so the two scripts cannot drift apart in how their output is read.
 */

export const SECTION_BEGIN = '===NIXOS-HOMELAB-BEGIN';
export const SECTION_END = '===NIXOS-HOMELAB-END';

/** One command's output. `rc` is undefined when the output stopped before the END marker. */
export interface Section {
  name: string;
  /** The output exactly, without the one line break that precedes the END marker. */
  body: string;
  rc?: number;
}

const BEGIN_LINE = /^===NIXOS-HOMELAB-BEGIN (\S+)===$/;
const END_LINE = /^===NIXOS-HOMELAB-END (\S+) rc=(\d+)===$/;

/**
 * Splits script output into sections by name. Text outside sections (a login banner, a MOTD) is ignored; a
 * section cut off by a dropped connection (or by the next BEGIN) is kept with `rc` undefined; the first section
 * of a name wins. CRLF line ends are accepted.
 */
export function parseSections(output: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  let open: { name: string; start: number } | undefined;
  const close = (bodyEnd: number, rc: number | undefined): void => {
    if (!open) return;
    let end = Math.max(open.start, bodyEnd);
    // Drop the line break that ends the body (it belongs to the END marker's line).
    if (end > open.start && output[end - 1] === '\n') end--;
    if (end > open.start && output[end - 1] === '\r') end--;
    if (!sections.has(open.name)) {
      const section: Section = { name: open.name, body: output.slice(open.start, end) };
      if (rc !== undefined) section.rc = rc;
      sections.set(open.name, section);
    }
    open = undefined;
  };

  let position = 0;
  while (position <= output.length) {
    const newline = output.indexOf('\n', position);
    const lineEnd = newline < 0 ? output.length : newline;
    const line = output.slice(position, lineEnd).replace(/\r$/, '');
    const end = END_LINE.exec(line);
    const begin = end ? null : BEGIN_LINE.exec(line);
    if (open && end && end[1] === open.name) {
      close(position, Number(end[2]));
    } else if (begin) {
      close(position, undefined);
      open = { name: begin[1] ?? '', start: newline < 0 ? output.length : newline + 1 };
    }
    if (newline < 0) break;
    position = newline + 1;
  }
  close(output.length, undefined);
  return sections;
}
