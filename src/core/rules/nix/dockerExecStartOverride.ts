import { dockerEnabled, isEnabled } from '../facts';
import type { NixDefinition } from '../../nix/model';
import { PRIORITY } from '../../nix/nixosDefaults';
import { stringItems } from '../../nix/values';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { attrpathRange, definitionData, dotted } from './nixRuleHelpers';

const EXEC_START = ['systemd', 'services', 'docker', 'serviceConfig', 'ExecStart'];

/**
 * What NixOS hands dockerd only through the command line it writes in nixpkgs
 * `nixos/modules/virtualisation/docker.nix` (`ExecStart = [ "" "${cfg.package}/bin/dockerd
 * --config-file=${daemonSettingsFile} ${cfg.extraOptions}" ]`, `daemonSettingsFile` being
 * `virtualisation.docker.daemon.settings` as JSON): the options whose effect an override without `--config-file`
 * (or without the extra options) loses.
 */
function lostOptions(ctx: NixRuleContext): string[] {
  const { nix } = ctx;
  const lost: string[] = [];
  const written = (path: string[]): boolean => nix.definitionsUnder(path).length > 0;
  if (written(['virtualisation', 'docker', 'daemon', 'settings'])) lost.push('`virtualisation.docker.daemon.settings`');
  for (const option of ['logDriver', 'storageDriver', 'liveRestore']) {
    if (written(['virtualisation', 'docker', option])) lost.push(`\`virtualisation.docker.${option}\``);
  }
  // The toolkit module turns CDI on through `virtualisation.docker.daemon.settings.features.cdi`.
  if (isEnabled(nix, ['hardware', 'nvidia-container-toolkit', 'enable'])) lost.push('the CDI switch the NVIDIA container toolkit adds (`features.cdi`)');
  if (isEnabled(nix, ['virtualisation', 'docker', 'enableNvidia'])) lost.push('the `nvidia` runtime of `enableNvidia`');
  return lost;
}

function commandTexts(def: NixDefinition): string[] | undefined {
  if (def.value.kind === 'string') return [def.value.value];
  if (def.value.kind === 'list' && def.value.items.every((item) => item.kind === 'string')) return stringItems(def.value);
  return undefined;
}

/**
 * A `systemd.services.docker.serviceConfig.ExecStart` of the user's that does not pass `--config-file`: reported
 * only when something NixOS configures for dockerd through that file is set, since that is then silently ignored.
 */
export const dockerExecStartOverride: NixRule = {
  id: 'docker-execstart-override',
  side: 'nix',
  defaultSeverity: 'warning',
  summary: 'An override of docker.service\'s `ExecStart` without `--config-file` silently drops `virtualisation.docker.daemon.settings`.',
  fixable: () => false,
  check(ctx: NixRuleContext): RuleFinding[] {
    if (!dockerEnabled(ctx.nix)) return [];
    const overrides = ctx.nix.definitionsOf(EXEC_START).filter((def) => {
      const texts = commandTexts(def);
      return texts !== undefined && texts.some((text) => text.trim() !== '') && !texts.some((text) => text.includes('--config-file'));
    });
    if (overrides.length === 0) return [];
    const lost = lostOptions(ctx);
    const extraOptions = ctx.nix.definitionsOf(['virtualisation', 'docker', 'extraOptions']).length > 0;
    if (lost.length === 0 && !extraOptions) return [];
    return overrides.map((def) => {
      const replaces = (def.numericPriority ?? PRIORITY.plain) < PRIORITY.plain;
      const ignored = [...lost, ...(extraOptions ? ['`virtualisation.docker.extraOptions`'] : [])].join(', ');
      const how = replaces
        ? `replaces the one NixOS writes (\`dockerd --config-file=<daemon.json from virtualisation.docker.daemon.settings> <extraOptions>\`) and does not pass \`--config-file\``
        : `has no \`--config-file\` and, written without \`lib.mkForce\`, is concatenated with the one NixOS writes (list-valued unit options merge): docker.service is \`Type=notify\`, which takes exactly one command, so it either fails to load or runs only the command after the last \`""\``;
      return {
        file: def.file,
        range: attrpathRange(ctx.nix, def),
        message: `This ${dotted(def.path)} makes dockerd ignore the daemon.json NixOS generates (no --config-file)`,
        explanation: `This \`${dotted(def.path)}\` ${how}. dockerd then never reads the daemon.json NixOS generates, so ${ignored} ${lost.length + (extraOptions ? 1 : 0) > 1 ? 'are' : 'is'} silently ignored (log rotation, CDI, storage driver…).\n\nFix: drop the override and put the flags in \`virtualisation.docker.extraOptions\` or \`virtualisation.docker.daemon.settings\`.`,
        related: [],
        data: definitionData(def),
      };
    });
  },
};
