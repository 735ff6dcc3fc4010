import type { ComposeService } from '../../compose/model';
import { perService, type RuleFinding, type ServiceRuleContext } from '../rule';

/**
 * One finding per service: every port it publishes on all interfaces bypasses the firewall for the same reason,
 * and a person decides once per service whether it should be reachable from the LAN. The finding sits on the first
 * such port; the others are its related information, and the editor's quick fix binds them all.
 */
export const publishedPortBypassesFirewall = perService({
  id: 'published-port-bypasses-firewall',
  side: 'compose',
  defaultSeverity: 'information',
  summary: 'A published port without host IP is reachable from the network even where networking.firewall blocks it.',
  // Reads the compose file alone: also checked when no NixOS configuration is known.
  standalone: true,
  // The quick fix (bind to 127.0.0.1) is offered in the editor but never preferred: LAN access is the user's call.
  fixable: () => false,
  checkService(service: ComposeService, _ctx: ServiceRuleContext): RuleFinding[] {
    const open = service.ports.filter((port) => !port.hostIp);
    const [first, ...others] = open;
    if (!first) return [];
    const inFile = open.filter((port) => port.loc.file === first.loc.file);
    const ports = open.map((port) => `\`${port.raw}\``);
    const what = others.length === 0 ? `Port ${ports[0]}` : `Ports ${ports.slice(0, -1).join(', ')} and ${ports[ports.length - 1]}`;
    return [
      {
        file: first.loc.file,
        range: first.loc.range,
        message: `${others.length === 0 ? `Port ${first.raw}` : `Ports ${first.raw} and ${others.length} more`} of service ${service.name} ${others.length === 0 ? 'is' : 'are'} published on every interface, past the firewall`,
        explanation: `${what} ${others.length === 0 ? 'is' : 'are'} published on every interface: Docker inserts its own iptables rules, so \`networking.firewall\` on NixOS does not block ${others.length === 0 ? 'it' : 'them'}.\n\nFix: bind ${others.length === 0 ? 'it' : 'them'} to \`127.0.0.1:\` if only a local reverse proxy needs ${others.length === 0 ? 'it' : 'them'}.`,
        related: others.map((port) => ({ location: port.loc, message: `${port.raw} of service ${service.name} is also published on every interface` })),
        data: {
          service: service.name,
          raw: first.raw,
          raws: open.map((port) => port.raw),
          // Where each port of the finding's file is (the first included), for the quick fix that binds them all.
          lines: inFile.map((port) => port.loc.range.start.line),
          characters: inFile.map((port) => port.loc.range.start.character),
        },
      },
    ];
  },
});
