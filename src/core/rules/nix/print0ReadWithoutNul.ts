import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { nulBlindReads } from './shellScan';
import { endOffset, isIndentedString, scriptRange, wrappedScripts } from './unitScripts';

/** `find … -print0 | while read -r f` without `-d ''` reads all names as one line (split on newlines, not NULs). */
export const print0ReadWithoutNul: NixRule = {
  id: 'print0-read-without-nul',
  side: 'nix',
  defaultSeverity: 'error',
  summary: "A unit script pipes `-print0` output into `read` without `-d ''`.",
  fixable: (data) => typeof data?.['insertOffset'] === 'number' && typeof data['indented'] === 'boolean',
  check(ctx: NixRuleContext): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const { service, script } of wrappedScripts(ctx.nix)) {
      const indented = isIndentedString(ctx.nix, script);
      for (const read of nulBlindReads(script.text)) {
        const written = indented ? "-d '''" : "-d ''";
        findings.push({
          file: script.file,
          range: scriptRange(ctx.nix, script, read.readStart, read.readEnd),
          message: `read in the ${script.attribute} of systemd.services.${service} splits -print0 output on newlines: add -d ''`,
          explanation: `\`read\` receives \`-print0\` output (names separated by NUL) but splits on newlines: the whole list arrives as one garbage name.\n\nFix: add \`-d ''\`${indented ? ` (written \`${written}\` inside this ''…'' string)` : ''}.`,
          related: [],
          data: { service, attribute: script.attribute, insertOffset: endOffset(script, read.insertAt), indented: indented ?? null },
        });
      }
    }
    return findings;
  },
};
