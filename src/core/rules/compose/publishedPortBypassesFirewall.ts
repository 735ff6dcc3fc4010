import type { ComposeService } from '../../compose/model';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';

export const publishedPortBypassesFirewall = perService({
  id: 'published-port-bypasses-firewall',
  side: 'compose',
  defaultSeverity: 'information',
  summary: 'A published port without host IP is reachable from the network even where networking.firewall blocks it.',
  // The quick fix (bind to 127.0.0.1) is offered in the editor but never preferred: LAN access is the user's call.
  fixable: () => false,
  checkService(service: ComposeService, ctx: ServiceRuleContext): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const port of service.ports) {
      if (port.hostIp) continue;
      findings.push({
        file: port.loc.file,
        range: port.loc.range,
        message: `Port \`${port.raw}\` of service \`${service.name}\` is published on every interface: Docker inserts its own iptables rules, so \`networking.firewall\` on NixOS does not block it. Bind it to \`127.0.0.1:\` if only a local reverse proxy needs it`,
        related: [],
        data: { service: service.name, raw: port.raw },
      });
    }
    return findings;
  },
});
