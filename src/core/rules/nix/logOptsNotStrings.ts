import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { definitionData, dotted } from './nixRuleHelpers';

const LOG_OPTS = ['virtualisation', 'docker', 'daemon', 'settings', 'log-opts'];

/** dockerd reads daemon.json's log-opts as a map of strings: `"max-file": 3` makes it refuse to start. */
export const logOptsNotStrings: NixRule = {
  id: 'log-opts-not-strings',
  side: 'nix',
  defaultSeverity: 'error',
  summary: 'A Docker `log-opts` value is a number or boolean; dockerd requires strings.',
  fixable: () => true,
  check(ctx: NixRuleContext): RuleFinding[] {
    return ctx.nix.definitionsUnder(LOG_OPTS)
      .filter((def) => def.path.length === LOG_OPTS.length + 1 && ['int', 'float', 'bool'].includes(def.value.kind))
      .map((def) => {
        const value = def.value.kind === 'int' || def.value.kind === 'float' || def.value.kind === 'bool' ? String(def.value.value) : '';
        return {
          file: def.file,
          range: def.valueLoc.range,
          message: `${dotted(def.path.slice(-2))} is ${def.value.kind === 'bool' ? 'a boolean' : 'a number'}, but Docker's log options must be strings: write "${value}"`,
          explanation: `dockerd fails to start with "json: cannot unmarshal number into Go struct field … of type string".\n\nFix: write \`"${value}"\`.`,
          related: [],
          data: { ...definitionData(def), value },
        };
      });
  },
};
