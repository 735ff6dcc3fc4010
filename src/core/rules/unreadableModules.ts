import * as path from 'node:path';
import type { NixConfiguration, UnreadableImport } from '../nix/model';
import type { FindingData, Severity } from '../types';
import { displayFile } from './facts';
import { endSentence } from './grouping';
import type { RuleFinding } from './rule';

/**
 * "Could a module we did not read hold this?" — asked once, here, for every rule whose finding says that something
 * is *missing* from the configuration (no user with uid 1000, Docker not enabled, no `fileSystems."/mnt/data"`).
 *
 * A configuration that imports a file kept on the host (hardware-configuration.nix), a channel module
 * (`<home-manager/nixos>`) or a flake input's module (`inputs.sops-nix.nixosModules.sops`) is only partly known:
 * such a finding may be false. It is then reported as information at most, says which import could hold the
 * answer, and offers no fix — `--fix` must never add a block that module may already declare (two definitions of
 * `users.users.palav.uid` fail evaluation when they differ, and a second `fileSystems."/mnt/data"` conflicts).
 *
 * A module whose contents are known in kind only declares the options listed for it below; any other module may
 * declare anything.
 */

/** An option path; `*` matches any one name (`users.users.*.uid`). A path also stands for every option below it. */
type OptionPattern = readonly string[];

/** The data key that marks a finding as depending on an unreadable import (its value: the import as written). */
export const UNREADABLE_IMPORT_KEY = 'unreadableImport';

/**
 * What each rule's "missing" answer depends on — fixed, or read from the finding (the mount point it misses). Rules
 * that report what the configuration *does* say (a duplicate id, a renamed option) are not listed: a module we did
 * not read cannot take that back.
 */
const RULE_DEPENDS_ON: Readonly<Record<string, readonly OptionPattern[] | ((found: RuleFinding) => readonly OptionPattern[])>> = {
  'puid-unmapped': [['users', 'users', '*', 'uid']],
  'pgid-unmapped': [['users', 'groups', '*', 'gid']],
  'docker-not-enabled': [['virtualisation', 'docker', 'enable']],
  'gpu-without-toolkit': [['hardware', 'nvidia-container-toolkit', 'enable'], ['virtualisation', 'docker', 'enableNvidia']],
  'gpu-request-not-cdi': [['hardware', 'nvidia-container-toolkit'], ['virtualisation', 'docker', 'enableNvidia'], ['virtualisation', 'docker', 'daemon', 'settings']],
  'dri-without-gpu-firmware': [['hardware', 'enableRedistributableFirmware'], ['hardware', 'enableAllFirmware'], ['hardware', 'firmware']],
  'bind-mount-undeclared': (found) => {
    // Propagation below automount points is about the bind itself, not about a missing mount.
    if (found.data?.['kind'] === 'automount-below') return [];
    const at = found.data?.['mountpoint'] ?? found.data?.['source'];
    return [['fileSystems', typeof at === 'string' ? at : '*'], ['systemd', 'mounts'], ['systemd', 'automounts'], ['boot', 'zfs', 'extraPools'], ['disko']];
  },
  'nvidia-open-unset': [['hardware', 'nvidia', 'open']],
  'nvidia-driver-not-loaded': [['services', 'xserver', 'videoDrivers']],
  'toolkit-without-nvidia-driver': [['services', 'xserver', 'videoDrivers']],
  'docker-package-insecure': [['virtualisation', 'docker', 'package']],
};

/** The boot options hardware scans and guest profiles set: kernel modules and the initrd (LUKS devices included). */
const BOOT: readonly OptionPattern[] = [['boot', 'initrd'], ['boot', 'kernelModules'], ['boot', 'extraModulePackages'], ['boot', 'kernelParams'], ['boot', 'loader']];

/**
 * What `nixos-generate-config` writes into hardware-configuration.nix (nixos/modules/installer/tools/
 * nixos-generate-config.pl: boot.initrd/kernel modules, fileSystems, swapDevices, networking.useDHCP/interfaces,
 * nixpkgs.hostPlatform, hardware.cpu.*.updateMicrocode, powerManagement.cpuFreqGovernor, guest options), with what
 * the nixpkgs profiles it imports set.
 */
const HARDWARE_CONFIGURATION: readonly OptionPattern[] = [
  ...BOOT, ['fileSystems'], ['swapDevices'], ['networking', 'useDHCP'], ['networking', 'interfaces'], ['nixpkgs', 'hostPlatform'],
  ['hardware', 'cpu'], ['hardware', 'enableRedistributableFirmware'], ['powerManagement'], ['virtualisation', 'hypervGuest'],
  ['virtualisation', 'virtualbox', 'guest'], ['services', 'qemuGuest'],
];

/**
 * NixOS's own modules imported by path (`modulesPath + "/…"`, `<nixpkgs/nixos/modules/…>`): the installer's
 * nixos/modules/installer/scan/not-detected.nix sets `hardware.enableRedistributableFirmware`; the profiles and guest
 * modules (nixos/modules/profiles/qemu-guest.nix, virtualisation/*-guest.nix) set boot, kernel and guest options
 * and at most the root file system — never users, Docker, GPU drivers or a data disk.
 */
const NIXPKGS_MODULE: readonly OptionPattern[] = [
  ...BOOT, ['fileSystems', '/'], ['swapDevices'], ['hardware', 'enableRedistributableFirmware'], ['hardware', 'cpu'], ['powerManagement'],
  ['services', 'qemuGuest'], ['virtualisation', 'hypervGuest'], ['virtualisation', 'virtualbox', 'guest'], ['networking', 'useDHCP'],
];

/**
 * home-manager's NixOS module (nixos/default.nix and nixos/common.nix of nix-community/home-manager): its own
 * `home-manager.*` options, `users.users.<name>.packages`, `environment.pathsToLink`, one
 * `systemd.services."home-manager-<user>"` per user, warnings and assertions.
 */
const HOME_MANAGER: readonly OptionPattern[] = [
  ['home-manager'], ['users', 'users', '*', 'packages'], ['environment', 'pathsToLink'], ['systemd', 'services', '*'], ['warnings'], ['assertions'],
];

/** What an unreadable import may declare; undefined: anything. */
function declarableBy(unreadable: UnreadableImport): readonly OptionPattern[] | undefined {
  if (unreadable.kind === 'nixpkgs') return NIXPKGS_MODULE;
  if (unreadable.kind === 'missing-file' && path.basename(unreadable.target ?? unreadable.written) === 'hardware-configuration.nix') return HARDWARE_CONFIGURATION;
  if ((unreadable.kind === 'search-path' || unreadable.kind === 'flake-input') && /(^<|\.)home-manager[/.>]/.test(unreadable.written)) return HOME_MANAGER;
  return undefined;
}

/** Whether two option patterns can name the same option (one lies under the other, `*` matching any name). */
function overlaps(a: OptionPattern, b: OptionPattern): boolean {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== '*' && b[i] !== '*' && a[i] !== b[i]) return false;
  return true;
}

/** The unreadable imports of `nix` that may declare an option matching one of `patterns`, in import order. */
export function unreadableModulesThatMayDeclare(nix: NixConfiguration | undefined, patterns: readonly OptionPattern[]): UnreadableImport[] {
  if (!nix) return [];
  return nix.unreadableImports.filter((unreadable) => {
    const declarable = declarableBy(unreadable);
    return !declarable || declarable.some((declared) => patterns.some((pattern) => overlaps(declared, pattern)));
  });
}

/**
 * A rule's finding as reported: unchanged when no unreadable import could hold the answer; otherwise it names the
 * import (a short note after the headline, the import in the explanation and as related information) and carries UNREADABLE_IMPORT_KEY in its data, which makes it
 * information at most (`capSeverity`) and leaves it without a fix (`isFixable`, `computeFixes`).
 */
export function qualifyByUnreadableImports(ruleId: string, found: RuleFinding, nix: NixConfiguration | undefined): RuleFinding {
  const dependsOn = RULE_DEPENDS_ON[ruleId];
  if (!dependsOn || !nix || nix.unreadableImports.length === 0) return found;
  const patterns = typeof dependsOn === 'function' ? dependsOn(found) : dependsOn;
  const holders = unreadableModulesThatMayDeclare(nix, patterns);
  const [first] = holders;
  if (!first) return found;
  const more = holders.length - 1;
  const who = `\`${first.written}\` (imported by ${displayFile(first.loc.file)})${more > 0 ? ` and ${more} more import${more === 1 ? '' : 's'}` : ''}`;
  const message = `${found.message} (may be in an unread import)`;
  const unless = `Unless ${who}, which ${more > 0 ? 'are' : 'is'} not read here, declare${more > 0 ? '' : 's'} it: information only, with no fix.`;
  const explanation = found.explanation ? `${endSentence(found.explanation)}\n\n${unless}` : unless;
  const related = [
    ...found.related,
    ...holders.map((holder) => ({ location: holder.loc, message: `${holder.written} is not read here and may declare what is missing` })),
  ];
  const data: FindingData = { ...(found.data ?? {}), [UNREADABLE_IMPORT_KEY]: first.written };
  return { ...found, message, explanation, related, data };
}

/** Whether a finding's answer depends on a module that was not read (it then has no fix). */
export function dependsOnUnreadableImport(data: FindingData | undefined): boolean {
  return typeof data?.[UNREADABLE_IMPORT_KEY] === 'string';
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 0 };

/** The severity of a finding that depends on an unreadable import: information at most (a hint stays a hint). */
export function capSeverity(severity: Severity, data: FindingData | undefined): Severity {
  return dependsOnUnreadableImport(data) && RANK[severity] > RANK.information ? 'information' : severity;
}

/**
 * The `nix-import-unreadable` headline and explanation for an import whose module is not read; undefined for
 * NixOS's own modules (`modulesPath`, `<nixpkgs/nixos/…>`), which are no gap in the repository.
 */
export function unreadableImportMessage(unreadable: UnreadableImport): { message: string; explanation: string } | undefined {
  const consequence = 'What it declares is unknown here, so a finding that could depend on it is information only and gets no fix.';
  switch (unreadable.kind) {
    case 'nixpkgs':
      return undefined;
    case 'missing-file': {
      const target = unreadable.target ?? unreadable.written;
      const shown = `${path.basename(path.dirname(target))}/${path.basename(target)}`;
      if (path.basename(target) === 'hardware-configuration.nix') {
        return {
          message: `${unreadable.written} is not in the repository (no ${shown} here)`,
          explanation:
            "nixos-generate-config writes it on the host, where it stays unless copied. It declares the host's file systems, boot and firmware settings, which are unknown here: a finding that could depend on them is information only and gets no fix.\n\nFix: copy /etc/nixos/hardware-configuration.nix from the host to check against it.",
        };
      }
      return { message: `${unreadable.written} cannot be read (${shown} does not exist or is not readable)`, explanation: `${consequence}\n\nFix: add the file, or fix the path.` };
    }
    case 'search-path':
      return { message: `${unreadable.written} is looked up in NIX_PATH (a channel) when the host is built and is not read here`, explanation: consequence };
    case 'flake-input':
      return { message: `${unreadable.written} is a module of a flake input and is not read here`, explanation: consequence };
    case 'expression':
      return { message: `This import is computed (${unreadable.written}) and is not read here`, explanation: `${consequence}\n\nFix: list the module files as paths to have them checked.` };
  }
}
