import { stringItems } from '../../nix/values';
import type { NixConfiguration, NixDefinition } from '../../nix/model';
import type { Range } from '../../text';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { definitionData, sourceOf } from './nixRuleHelpers';

const TARGET = 'network-online.target';

/** The `"network-online.target"` string inside the `after` list, else the list. */
function targetRange(nix: NixConfiguration, def: NixDefinition): Range {
  const source = sourceOf(nix, def.file);
  if (!source) return def.valueLoc.range;
  const start = source.lines.offsetAt(def.valueLoc.range.start);
  const end = source.lines.offsetAt(def.valueLoc.range.end);
  const at = source.text.slice(start, end).indexOf(`"${TARGET}"`);
  return at < 0 ? def.valueLoc.range : source.lines.rangeOf(start + at, start + at + TARGET.length + 2);
}

/** `after` only orders: without `wants`/`requires` nothing pulls network-online.target in, so the unit does not wait. */
export const networkOnlineNotWanted: NixRule = {
  id: 'network-online-not-wanted',
  side: 'nix',
  defaultSeverity: 'warning',
  summary: 'A unit is ordered after network-online.target without `wants`/`requires` on it, so it does not wait for the network.',
  fixable: () => true,
  check(ctx: NixRuleContext): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const service of ctx.nix.systemdServices.values()) {
      if (!service.after.includes(TARGET) || service.wants.includes(TARGET) || service.requires.includes(TARGET)) continue;
      const afterDef = ctx.nix.definitionsOf(['systemd', 'services', service.name, 'after']).find((def) => stringItems(def.value).includes(TARGET));
      if (!afterDef) continue;
      findings.push({
        file: afterDef.file,
        range: targetRange(ctx.nix, afterDef),
        message: `systemd.services.${service.name} is ordered after ${TARGET} but neither wants nor requires it`,
        explanation: `\`after\` only orders, so nothing starts the target and the unit runs before the network is up (NixOS warns about this).\n\nFix: add \`wants = [ "${TARGET}" ];\`.`,
        related: [],
        data: { ...definitionData(afterDef), service: service.name },
      });
    }
    return findings;
  },
};
