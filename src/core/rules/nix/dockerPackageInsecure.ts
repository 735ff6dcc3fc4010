import { isEnabled } from '../facts';
import { insecureDockerDefault } from '../../nix/dockerPackages';
import { stringItems } from '../../nix/values';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import { attrpathRange, definitionData } from './nixRuleHelpers';

/** docker-package-insecure: the facts are in `nix/dockerPackages.ts`. */
export const dockerPackageInsecure: NixRule = {
  id: 'docker-package-insecure',
  side: 'nix',
  defaultSeverity: 'warning',
  summary: 'Docker is enabled with a release\'s default Docker package that nixpkgs marks insecure (25.11: docker_28).',
  fixable: () => true,
  check(ctx: NixRuleContext): RuleFinding[] {
    const entry = insecureDockerDefault(ctx.release);
    if (!entry) return [];
    const { nix } = ctx;
    const enable = nix.definitionsOf(['virtualisation', 'docker', 'enable']).find((def) => def.value.kind === 'bool' && def.value.value);
    if (!enable || !isEnabled(nix, ['virtualisation', 'docker', 'enable'])) return [];
    const packages = nix.definitionsOf(['virtualisation', 'docker', 'package']);
    const packageText = (text: string): boolean => new RegExp(`\\b(docker|${entry.attribute})$`).test(text.trim());
    const explicit = packages.find((def) => def.value.kind === 'unknown' && packageText(def.value.text));
    if (packages.length > 0 && !explicit) return [];
    const permitted = nix.definitionsOf(['nixpkgs', 'config', 'permittedInsecurePackages']).some((def) => stringItems(def.value).some((name) => name.startsWith(entry.namePrefix)) || def.value.kind === 'unknown');
    if (permitted) return [];
    const at = explicit ?? enable;
    return [{
      file: at.file,
      range: attrpathRange(nix, at),
      message: `On NixOS ${entry.release} the Docker package ${explicit ? 'set here' : 'installed by default'}, ${entry.attribute}, is marked insecure: evaluation fails`,
      explanation: `On NixOS ${entry.release} the Docker package ${explicit ? 'set here' : 'that `virtualisation.docker.enable` installs by default'} is \`${entry.attribute}\`, which nixpkgs marks insecure ("${entry.knownIssue}"): evaluation fails with "is marked as insecure, refusing to evaluate" (since the release branch's update of May 2026).\n\nFix: set \`virtualisation.docker.package = pkgs.${entry.replacement};\`.`,
      related: [],
      data: { ...definitionData(at), replacement: entry.replacement, explicitPackage: explicit !== undefined },
    }];
  },
};
