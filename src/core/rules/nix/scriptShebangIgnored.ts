import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { shebangLine } from './shellScan';
import { endOffset, scriptRange, wrappedScripts } from './unitScripts';

/** NixOS writes its own `#!…/bash` + `set -e` above `script`, so the user's shebang is only a comment. */
export const scriptShebangIgnored: NixRule = {
  id: 'script-shebang-ignored',
  side: 'nix',
  defaultSeverity: 'information',
  summary: 'A unit `script` starts with `#!`, which NixOS ignores (it wraps the text in its own bash script).',
  fixable: (data) => typeof data?.['deleteStart'] === 'number',
  check(ctx: NixRuleContext): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const { service, script } of wrappedScripts(ctx.nix)) {
      const line = shebangLine(script.text);
      if (!line) continue;
      const shebang = script.text.slice(line.start, line.end);
      // The fix removes the line and its line break (up to the next character of the script).
      const deleteEnd = line.end < script.text.length ? script.sourceOffset(line.end + 1) : endOffset(script, line.end);
      findings.push({
        file: script.file,
        range: scriptRange(ctx.nix, script, line.start, line.end),
        message: `${shebang} in the ${script.attribute} of systemd.services.${service} is only a comment`,
        explanation: `NixOS runs the text inside its own bash script (with \`set -e\`, PATH limited to coreutils, findutils, grep, sed, systemd plus \`path\`).\n\nFix: remove the line; to use another interpreter, set \`serviceConfig.ExecStart\`.`,
        related: [],
        data: { service, attribute: script.attribute, deleteStart: script.sourceOffset(line.start), deleteEnd },
      });
    }
    return findings;
  },
};
