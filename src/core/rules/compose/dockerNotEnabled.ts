import type { ComposeRule, ComposeRuleContext, RuleFinding } from '../rule';
import { dockerEnabled, relatedToMissing } from '../facts';

export const dockerNotEnabled: ComposeRule = {
  id: 'docker-not-enabled',
  side: 'compose',
  defaultSeverity: 'error',
  summary: 'Compose stacks exist but `virtualisation.docker.enable` is not true.',
  fixable: (_data, ctx) => ctx.hasConfiguration,
  check(ctx: ComposeRuleContext): RuleFinding[] {
    const at = ctx.project.servicesLoc;
    if (!at || ctx.project.services.length === 0 || dockerEnabled(ctx.nix)) return [];
    return [
      {
        file: at.file,
        range: at.range,
        message: 'This stack needs Docker, but virtualisation.docker.enable is not true in the NixOS configuration',
        explanation: 'After `nixos-rebuild switch` there is no Docker daemon and no `docker compose`.\n\nFix: set `virtualisation.docker.enable = true;`.',
        related: relatedToMissing(ctx, ['virtualisation', 'docker', 'enable'], 'virtualisation.docker.enable = true; is missing here'),
        data: {},
      },
    ];
  },
};
