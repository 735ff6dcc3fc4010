import { GRAPHICS_RENAME_RELEASE, releaseAtLeast } from '../../nix/nixosDefaults';
import type { NixDefinition } from '../../nix/model';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { attrpathRange, definitionData, outermostDefinitions, rangeWithin } from './nixRuleHelpers';

const OPENGL = ['hardware', 'opengl'];

function isOption(def: NixDefinition, name: string): boolean {
  return def.path.length === 3 && def.path[2] === name;
}

/**
 * `hardware.opengl.*` on 24.11+: renamed to `hardware.graphics.*` (a warning, still evaluates), except
 * `driSupport`, which was removed (evaluation fails: error). One finding per binding that names `opengl`.
 */
export const openglRenamed: NixRule = {
  id: 'opengl-renamed',
  side: 'nix',
  defaultSeverity: 'warning',
  summary: '`hardware.opengl` is `hardware.graphics` since NixOS 24.11 (`driSupport` removed, `driSupport32Bit` → `enable32Bit`).',
  fixable: () => true,
  check(ctx: NixRuleContext): RuleFinding[] {
    if (!releaseAtLeast(ctx.release, GRAPHICS_RENAME_RELEASE)) return [];
    const all = ctx.nix.definitionsUnder(OPENGL);
    const seen = new Set<string>();
    const findings: RuleFinding[] = [];
    for (const binding of outermostDefinitions(all)) {
      const key = `${binding.file}:${binding.loc.range.start.line}:${binding.loc.range.start.character}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const inside = all.filter((def) => def.file === binding.file && rangeWithin(def.loc.range, binding.loc.range));
      const driSupport = inside.some((def) => isOption(def, 'driSupport'));
      const driSupport32Bit = inside.some((def) => isOption(def, 'driSupport32Bit'));
      const notes = [`\`hardware.opengl\` was renamed to \`hardware.graphics\` in NixOS 24.11 (release ${ctx.release} here)`];
      if (driSupport) notes.push('`hardware.opengl.driSupport` was removed there and fails evaluation: drop it (DRI is always on)');
      if (driSupport32Bit) notes.push('`driSupport32Bit` is now `enable32Bit`');
      findings.push({
        file: binding.file,
        range: attrpathRange(ctx.nix, binding),
        message: driSupport
          ? `hardware.opengl is hardware.graphics since NixOS 24.11, and hardware.opengl.driSupport fails evaluation`
          : `hardware.opengl was renamed to hardware.graphics in NixOS 24.11 (release ${ctx.release} here)`,
        explanation: `${notes.join('; ')}.`,
        related: [],
        data: { ...definitionData(binding), driSupport, driSupport32Bit },
      });
    }
    return findings;
  },
  severityFor(finding, ctx) {
    return finding.data?.['driSupport'] === true && releaseAtLeast(ctx.release, GRAPHICS_RENAME_RELEASE) ? 'error' : undefined;
  },
};
