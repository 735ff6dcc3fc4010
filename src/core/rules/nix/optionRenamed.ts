import { releaseAtLeast } from '../../nix/nixosDefaults';
import type { NixRule, NixRuleContext, RuleFinding } from '../rule';
import type { NixConfiguration, NixDefinition } from '../../nix/model';
import { attrpathRange, definitionData, dotted, outermostDefinitions, sourceOf } from './nixRuleHelpers';

/**
 * Options a homelab host commonly carries that nixpkgs renamed (`lib.mkRenamedOptionModule`: a warning, the value
 * still applies) or removed (`lib.mkRemovedOptionModule`: an assertion, so evaluation fails even for `= false`).
 * Each entry names the release that first has the change and where nixpkgs declares it. `hardware.opengl` is
 * `opengl-renamed`; `virtualisation.docker.enableNvidia` is `docker-enable-nvidia-deprecated`.
 */
export interface OptionChange {
  from: string[];
  /** The new path (renamed); absent when removed. */
  to?: string[];
  /** First NixOS release with the change. */
  release: string;
  /** The upstream message of a removal. */
  removedMessage?: string;
  /** Where nixpkgs declares it. */
  source: string;
}

export const OPTION_CHANGES: readonly OptionChange[] = [
  {
    from: ['sound', 'enable'],
    release: '24.11',
    removedMessage: 'The option was heavily overloaded and can be removed from most configurations. To specifically configure the user space part of ALSA, see `hardware.alsa`.',
    source: 'nixos/modules/services/audio/alsa.nix (NixOS/nixpkgs#326262)',
  },
  { from: ['hardware', 'pulseaudio'], to: ['services', 'pulseaudio'], release: '25.05', source: 'nixos/modules/services/audio/pulseaudio.nix (NixOS/nixpkgs#369391)' },
  { from: ['services', 'xserver', 'displayManager', 'gdm'], to: ['services', 'displayManager', 'gdm'], release: '25.11', source: 'NixOS/nixpkgs#392804' },
  { from: ['services', 'xserver', 'desktopManager', 'gnome'], to: ['services', 'desktopManager', 'gnome'], release: '25.11', source: 'NixOS/nixpkgs#392804' },
  { from: ['services', 'openssh', 'permitRootLogin'], to: ['services', 'openssh', 'settings', 'PermitRootLogin'], release: '23.05', source: 'nixos/modules/services/networking/ssh/sshd.nix' },
  { from: ['services', 'openssh', 'passwordAuthentication'], to: ['services', 'openssh', 'settings', 'PasswordAuthentication'], release: '23.05', source: 'nixos/modules/services/networking/ssh/sshd.nix' },
  {
    from: ['virtualisation', 'containers', 'cdi', 'dynamic', 'nvidia', 'enable'],
    to: ['hardware', 'nvidia-container-toolkit', 'enable'],
    release: '24.05',
    source: 'nixos/modules/services/hardware/nvidia-container-toolkit/default.nix',
  },
];

/** How many attribute names the binding spells (`hardware.pulseaudio` → 2), or undefined without its text. */
function writtenSegmentCount(nix: NixConfiguration, def: NixDefinition): number | undefined {
  const source = sourceOf(nix, def.file);
  if (!source) return undefined;
  const range = attrpathRange(nix, def);
  const text = source.text.slice(source.lines.offsetAt(range.start), source.lines.offsetAt(range.end));
  let count = 1;
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if (ch === '.' && depth === 0) count++;
  }
  return count;
}

/** The rename can be done in place: the binding's enclosing set lies on the new path too. */
function renamesInPlace(nix: NixConfiguration, def: NixDefinition, change: OptionChange): boolean {
  const written = writtenSegmentCount(nix, def);
  if (!change.to || written === undefined) return false;
  const depth = def.path.length - written;
  return depth >= 0 && depth < change.from.length && def.path.slice(0, depth).every((segment, index) => change.to?.[index] === segment);
}

function changeFor(path: string[]): OptionChange | undefined {
  return OPTION_CHANGES.find((change) => change.from.every((segment, index) => path[index] === segment));
}

/** One finding per binding that names a renamed or removed option, from the release that changed it. */
export const optionRenamed: NixRule = {
  id: 'option-renamed',
  side: 'nix',
  defaultSeverity: 'warning',
  summary: 'An option nixpkgs renamed (warning) or removed (evaluation fails) in the release checked against.',
  fixable: (data) => data?.['inPlace'] === true,
  check(ctx: NixRuleContext): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const change of OPTION_CHANGES) {
      if (!releaseAtLeast(ctx.release, change.release)) continue;
      const defs = ctx.nix.definitionsUnder(change.from).filter((def) => changeFor(def.path) === change);
      for (const def of outermostDefinitions(defs)) {
        const old = dotted(change.from);
        const message = change.to
          ? `${old} was renamed to ${dotted(change.to)} in NixOS ${change.release} (release ${ctx.release} here)`
          : `${old} was removed in NixOS ${change.release} (release ${ctx.release} here): evaluation fails`;
        const explanation = change.to
          ? `It still works, with an evaluation warning.\n\nFix: use the new name.${renamesInPlace(ctx.nix, def, change) ? '' : ' (It sits in a set the new name leaves: move it by hand.)'}`
          : `Evaluation fails while \`${old}\` is defined, even as \`false\`: "${change.removedMessage ?? ''}"\n\nFix: remove it.`;
        findings.push({
          file: def.file,
          range: attrpathRange(ctx.nix, def),
          message,
          explanation,
          related: [],
          data: { ...definitionData(def), from: change.from, ...(change.to ? { to: change.to, inPlace: renamesInPlace(ctx.nix, def, change) } : { removed: true }) },
        });
      }
    }
    return findings;
  },
  severityFor(finding) {
    return finding.data?.['removed'] === true ? 'error' : undefined;
  },
};
