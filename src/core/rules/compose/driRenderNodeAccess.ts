import type { NixConfiguration, NixDefinition } from '../../nix/model';

/**
 * Who may open /dev/dri/renderD* on the NixOS host, as far as the configuration says.
 *
 * NixOS's systemd package does not pass `-Dgroup-render-mode` (pkgs/os-specific/linux/systemd/default.nix), so
 * systemd's own rule applies: `SUBSYSTEM=="drm", KERNEL=="renderD*", GROUP="render", MODE="0666"` (upstream
 * default of the meson option since v236; rules.d/50-udev-default.rules.in). nixos/modules/services/hardware/udev.nix
 * adds no rule for render nodes. Debian and Ubuntu (Pop!_OS) build with 0660, which is why a group mattered on the
 * old host. The mode changes on NixOS only through rules the configuration adds; `services.udev.extraRules` is written
 * to 99-local.rules and so applied after systemd's 50-udev-default.rules. Rules inside `services.udev.packages` are
 * not readable here: `verify` reads the real mode on the host instead.
 */

export interface RenderNodeAccess {
  /** Permission bits of the node, e.g. 0o660. */
  mode: number;
  /** The group owning the node. */
  group: string;
  /** The `services.udev.extraRules` definition that set the mode or group. */
  setBy: NixDefinition;
}

/** systemd's default on NixOS: world read/write, group `render`. */
export const NIXOS_RENDER_NODE_MODE = 0o666;

const TOKEN = /([A-Za-z_]+(?:\{[^}]*\})?)\s*(==|!=|\+=|-=|:=|=)\s*"((?:[^"\\]|\\.)*)"/g;

/** udev's glob: `*`, `?`, `[…]` and `|` alternatives. */
function globMatches(pattern: string, value: string): boolean {
  return pattern.split('|').some((alternative) => {
    const source = alternative.replace(/[.+^${}()\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    return new RegExp(`^${source}$`).test(value);
  });
}

/** The rules of a rules file, one string per rule (comments dropped, `\` continuations joined). */
function udevRuleLines(text: string): string[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * Applies one rule to a render node: undefined when it does not match (KERNEL/SUBSYSTEM exclude the renderD* node or the drm subsystem, or
 * it names neither), else its MODE and GROUP assignments. Other match keys (ATTRS, DRIVERS…) are assumed to match:
 * the rule was written for this host's GPU.
 */
function applyToRenderNode(line: string): { mode?: { value: number; final: boolean }; group?: { value: string; final: boolean } } | undefined {
  let namesRenderNode = false;
  const result: { mode?: { value: number; final: boolean }; group?: { value: string; final: boolean } } = {};
  for (const [, key = '', op = '', value = ''] of line.matchAll(TOKEN)) {
    if (key === 'KERNEL' || key === 'SUBSYSTEM') {
      if (op !== '==' && op !== '!=') continue;
      const matches = globMatches(value, key === 'KERNEL' ? 'renderD128' : 'drm');
      if ((op === '==') !== matches) return undefined;
      if (op === '==') namesRenderNode = true;
    } else if (key === 'MODE' && (op === '=' || op === ':=') && /^0?[0-7]{3}$/.test(value)) {
      result.mode = { value: parseInt(value, 8), final: op === ':=' };
    } else if (key === 'GROUP' && (op === '=' || op === ':=') && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(value)) {
      result.group = { value, final: op === ':=' };
    }
  }
  return namesRenderNode && (result.mode || result.group) ? result : undefined;
}

/**
 * The render nodes' mode and group when `services.udev.extraRules` changes them, else undefined (systemd's 0666
 * `render` applies). Interpolated rules text cannot be read and counts as "no change".
 */
export function renderNodeAccess(nix: NixConfiguration | undefined): RenderNodeAccess | undefined {
  if (!nix) return undefined;
  let mode = NIXOS_RENDER_NODE_MODE;
  let group = 'render';
  let modeFinal = false;
  let groupFinal = false;
  let setBy: NixDefinition | undefined;
  for (const def of nix.definitionsOf(['services', 'udev', 'extraRules'])) {
    if (def.value.kind !== 'string' || def.value.interpolated) continue;
    for (const line of udevRuleLines(def.value.value)) {
      const applied = applyToRenderNode(line);
      if (!applied) continue;
      if (applied.mode && !modeFinal) {
        mode = applied.mode.value;
        modeFinal = applied.mode.final;
        setBy = def;
      }
      if (applied.group && !groupFinal) {
        group = applied.group.value;
        groupFinal = applied.group.final;
        setBy = def;
      }
    }
  }
  return setBy ? { mode, group, setBy } : undefined;
}

/** Other users may read and write the node: any container process can open it, whatever its groups. */
export function worldAccessible(mode: number): boolean {
  return (mode & 0o006) === 0o006;
}

/** The owning group may read and write the node. */
export function groupAccessible(mode: number): boolean {
  return (mode & 0o060) === 0o060;
}
