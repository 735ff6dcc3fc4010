import type { ComposeService } from '../../compose/model';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';
import { driMappings, graphicsEnabled, relatedToMissing } from '../facts';
import { releaseAtLeast } from '../../nix/nixosDefaults';

export const driWithoutGraphics = perService({
  id: 'dri-without-graphics',
  side: 'compose',
  defaultSeverity: 'error',
  summary: '/dev/dri is passed to a container but NixOS graphics (hardware.graphics) is not enabled.',
  fixable: (_data, ctx) => ctx.hasConfiguration,
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    if (graphicsEnabled(ctx.nix)) return [];
    const option = releaseAtLeast(ctx.release, '24.11') ? 'hardware.graphics.enable' : 'hardware.opengl.enable';
    const findings: RuleFinding[] = [];
    for (const mapping of driMappings(service)) {
      findings.push({
        file: mapping.loc.file,
        range: mapping.loc.range,
        message: `Service \`${service.name}\` gets \`${mapping.host}\` for hardware transcoding, but \`${option}\` is not set: without the VA-API/GPU drivers NixOS provides no usable render node and the container falls back to software`,
        related: relatedToMissing(ctx.nix, `\`${option} = true;\` is missing here`),
        data: { service: service.name, option },
      });
    }
    return findings;
  },
});
