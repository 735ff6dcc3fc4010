import * as path from 'node:path';
import type { ComposeRule, ComposeRuleContext, RuleFinding } from '../rule';

export const unresolvedVariable: ComposeRule = {
  id: 'unresolved-variable',
  side: 'compose',
  defaultSeverity: 'warning',
  summary: 'A `${VAR}` without default is defined nowhere Compose would look.',
  check(ctx: ComposeRuleContext): RuleFinding[] {
    const envFile = path.join(ctx.project.dir, '.env');
    return ctx.project.unresolved.map((variable) => ({
      file: variable.loc.file,
      range: variable.loc.range,
      message: `\`${variable.name}\` is not set: it has no default and ${path.basename(envFile)} in ${path.basename(ctx.project.dir)}/ does not define it, so Compose substitutes an empty string — define it there or write \`\${${variable.name}:-default}\``,
      related: [],
      data: { name: variable.name },
    }));
  },
};
