import * as path from 'node:path';
import { autostartBlock, AUTOSTART_SERVICE } from '../fixes/autostart';
import { mountDependencies } from '../rules/nix/autostartWithoutMountDeps';
import { dockerBlock, fileSystemBlock, fileSystemByDeviceBlock, gpuFirmwareBlock, groupBlock, isNixosDeclaredGroup, nvidiaBlock, userBlock } from '../fixes/blocks';
import { renderModule } from '../fixes/renderModule';
import type { Block } from '../edits/setting';
import { attrName, commentText } from '../edits/nixExpr';
import type { NixConfiguration } from '../nix/model';
import { GRAPHICS_RENAME_RELEASE, releaseAtLeast } from '../nix/nixosDefaults';
import { gpuFirmwareProvided } from '../rules/compose/driWithoutGpuFirmware';
import type { WorkspaceAnalysis } from '../analysis/types';
import { clashingDefinition, describeDefinition } from './existingDefinitions';
import { collectNeeds, type HomelabNeeds, type NeedsOptions } from './needs';

export interface GenerateOptions extends NeedsOptions {
  /** How the snapshot folder is named in the header (e.g. `.nixos-homelab/snapshot`), when there is one. */
  snapshotLabel?: string;
}

/**
 * A finding the module answers once it is in the configuration's `imports`: one with this rule id whose data holds
 * these values (`{ code: 'puid-unmapped', data: { uid: 1000 } }`).
 */
export interface AnsweredFinding {
  code: string;
  data?: Record<string, string | number>;
}

export interface GeneratedModule {
  /** The module text, ready to save as e.g. `homelab.nix`. */
  text: string;
  /** One line per generated value saying where it came from (also in the header comment). */
  sources: string[];
  /** What the module could not decide and the user must (also written as comments). */
  notes: string[];
  /**
   * The findings this module answers; anything else it leaves, and the notes say what to decide. When the analysis
   * holds its findings, only those it reports are claimed (a value the configuration already has, such as Docker
   * enabled, is restated by the module but answers nothing), plus what is about the module's own units: its boot
   * service and the Docker package it pins.
   */
  answers: AnsweredFinding[];
  needs: HomelabNeeds;
}

/** Whether a finding (rule id and data) is one the module claims to answer. */
export function isAnswered(finding: { code: string; data?: Record<string, unknown> }, answers: readonly AnsweredFinding[]): boolean {
  return answers.some((answer) => answer.code === finding.code && Object.entries(answer.data ?? {}).every(([key, value]) => finding.data?.[key] === value));
}

/**
 * Writes one NixOS module with everything the workspace's stacks need: users and groups with the ids the
 * containers and the data use, the GPU firmware for /dev/dri, the NVIDIA driver and CDI toolkit for GPU requests,
 * Docker, `fileSystems` for the data disks the stacks bind, and the boot service that starts every stack. Each
 * block is what the quick fix of the rule it answers writes. Nothing is guessed: a name, a disk or a driver flavour
 * only the old host could tell is left out and listed as a note, and a value the configuration already sets
 * otherwise is never written over. The same analysis gives the same bytes.
 */
export function generateModule(analysis: Pick<WorkspaceAnalysis, 'projects' | 'configurations' | 'snapshot' | 'release' | 'releaseSource'> & { findings?: WorkspaceAnalysis['findings'] }, options: GenerateOptions): GeneratedModule {
  const needs = collectNeeds(analysis, options);
  const nix = analysis.configurations[0];
  const blocks: Block[] = [];
  const sources: string[] = [];
  const notes: string[] = [];
  const answers: AnsweredFinding[] = [];
  const release = analysis.release;
  const where = (file: string): string => relative(needs.workspaceRoot, file);

  /** Adds a block unless the configuration sets one of its values otherwise; true when it was added whole. */
  const add = (block: Block, source: string, answered: AnsweredFinding[]): boolean => {
    const clashes = block.settings.map((setting) => ({ setting, definition: clashingDefinition(setting, nix, options.replaces) })).filter((c) => c.definition !== undefined);
    for (const { setting, definition } of clashes) {
      if (!definition) continue;
      notes.push(`${setting.path.map(attrName).join('.')} is already set to ${describeDefinition(definition)} in ${where(definition.file)}, where the stacks need ${renderValue(setting.value)} (${block.title}): this module leaves it out; decide which value is right.`);
    }
    const kept = block.settings.filter((setting) => !clashes.some((c) => c.setting === setting));
    if (kept.length > 0) blocks.push({ ...block, settings: kept });
    sources.push(source);
    if (clashes.length > 0) return false;
    answers.push(...answered);
    return true;
  };

  for (const user of needs.users) {
    const holder = nix?.findUserByUid(user.uid);
    if (user.name === undefined) {
      if (!holder) notes.push(`uid ${user.uid} (${user.usedBy.join(', ')}) has no known user name${user.nameTaken ? ` (${user.nameTaken}, and one user has one uid)` : ''}: run \`nixos-homelab extract\` on the old host, or declare users.users.<name>.uid = ${user.uid}; yourself.`);
      continue;
    }
    if (holder && holder.name !== user.name) {
      notes.push(`uid ${user.uid} (${user.usedBy.join(', ')}) was \`${user.name}\` on the old host but is \`${holder.name}\` in the configuration: this module leaves it to the configuration.`);
      continue;
    }
    const block = userBlock({ name: user.name, uid: user.uid, exists: user.declared, personalGroup: user.personalGroup !== undefined, oldHost: user.nameSource?.startsWith('the snapshot') === true });
    add(block, `users.users.${attrName(user.name)}.uid = ${user.uid}: ${user.usedBy.join(', ')}; name from ${user.nameSource ?? 'unknown'}`, [{ code: 'puid-unmapped', data: { uid: user.uid } }]);
  }
  for (const group of needs.groups) {
    const holder = nix?.findGroupByGid(group.gid);
    if (group.name === undefined) {
      if (!holder) notes.push(`gid ${group.gid} (${group.usedBy.join(', ')}) has no known group name${group.nameTaken ? ` (${group.nameTaken}, and one group has one gid)` : ''}: run \`nixos-homelab extract\` on the old host (it records the group names), or declare users.groups.<name>.gid = ${group.gid}; yourself.`);
      continue;
    }
    if (holder && holder.name !== group.name) {
      const why = holder.nixosDeclaredBy ? `NixOS declares \`${holder.name}\` with the static gid ${group.gid} because \`${holder.nixosDeclaredBy} = true\`` : `\`${holder.name}\` already has gid ${group.gid} in the configuration`;
      notes.push(`gid ${group.gid} (${group.usedBy.join(', ')}) was \`${group.name}\` on the old host, but ${why}; two groups with one gid fail evaluation ("UIDs and GIDs must be unique!"), so this module leaves it out: keep one of the two on another gid (and \`chgrp\` the data to it).`);
      continue;
    }
    const block = groupBlock({ name: group.name, gid: group.gid, members: group.members });
    const forced = isNixosDeclaredGroup(group.name) ? ' (lib.mkForce: NixOS declares this group with another gid)' : '';
    add(block, `users.groups.${attrName(group.name)}.gid = ${group.gid}${forced}: ${group.usedBy.join(', ')}; name from ${group.nameSource ?? 'unknown'}`, [{ code: 'pgid-unmapped', data: { gid: group.gid } }]);
  }
  if (needs.dri.length > 0) gpuFirmware(needs, nix, add, sources);
  if (needs.nvidia.usedBy.length > 0) {
    const open = needs.nvidiaOpen.open;
    add(nvidiaBlock(release, { open }), `NVIDIA driver and container toolkit: GPU requests of ${needs.nvidia.usedBy.join(', ')}; hardware.nvidia.open ${open === undefined ? 'left out' : `= ${open}`}: ${needs.nvidiaOpen.source}`, [{ code: 'gpu-without-toolkit' }]);
    if (open === undefined && (nix?.definitionsOf(['hardware', 'nvidia', 'open']).length ?? 0) === 0) {
      const refused = releaseAtLeast(release, GRAPHICS_RENAME_RELEASE) ? `; NixOS ${release} refuses to evaluate until it is set (nvidia-open-unset)` : '';
      notes.push(`hardware.nvidia.open is not set, because no snapshot lists the GPU: set it to true for Turing (RTX 20xx, GTX 16xx) and newer cards, false for older ones${refused}.`);
    }
    if (needs.nvidia.notCdi.length > 0) {
      notes.push(
        `${needs.nvidia.notCdi.join(', ')} ask for the GPU with \`runtime: nvidia\`, \`gpus:\` or \`driver: nvidia\`, which fail with NixOS's CDI-based toolkit: \`nixos-homelab lint --fix\` rewrites them to a CDI reservation (\`driver: cdi\`, \`device_ids: ["nvidia.com/gpu=…"]\`), and \`nixos-homelab lint\` says why where it cannot.`,
      );
    }
  }
  if (needs.stacks.length > 0) {
    const docker = dockerBlock(needs.mainUser, release);
    const pinned = docker.settings.some((setting) => setting.path.join('.') === 'virtualisation.docker.package');
    add(docker, `Docker: ${needs.stacks.length} Compose stack${needs.stacks.length === 1 ? '' : 's'}${needs.mainUser ? `; ${needs.mainUser} joins the docker group` : ''}`, [{ code: 'docker-not-enabled' }, ...(pinned ? [{ code: 'docker-package-insecure' }] : [])]);
  }
  for (const { mount, usedBy, declared } of needs.mounts) {
    const mp = `fileSystems.${attrName(mount.mountpoint)}`;
    const answered = [{ code: 'bind-mount-undeclared', data: { mountpoint: mount.mountpoint } }];
    if (declared) {
      sources.push(`${mount.mountpoint}: bound by ${usedBy.join(', ')}; already mounted by the configuration`);
    } else if (mount.uuid !== undefined) {
      add(fileSystemBlock({ ...mount, uuid: mount.uuid }), `${mp}: bound by ${usedBy.join(', ')}; device, type and options from the snapshot (${mount.origin})`, answered);
    } else if (mount.device !== undefined) {
      add(fileSystemByDeviceBlock({ ...mount, device: mount.device }), `${mp}: bound by ${usedBy.join(', ')}; device, type and options from the snapshot (${mount.origin})`, answered);
    } else {
      notes.push(`${mp} is needed (bound by ${usedBy.join(', ')}) but the snapshot does not say which device it is: declare its device and fsType yourself.`);
    }
  }
  if (needs.unknownBinds.length > 0) notes.push(unknownBindsNote(needs));
  if (needs.stacks.length > 0) {
    // What autostart-without-mount-deps asks of a unit starting these stacks (network, nofail, systemd.mounts and
    // service-made mounts the configuration declares), plus the disks this module declares.
    const dependencies = nix ? mountDependencies({ nix, snapshot: analysis.snapshot }, analysis.projects) : { mountpoints: [], services: [] };
    const requiresMountsFor = [...new Set([...needs.mounts.map((entry) => entry.mount.mountpoint), ...dependencies.mountpoints])];
    add(autostartBlock({ stackDirs: needs.stacks.map((stack) => stack.hostDir), requiresMountsFor, mountServices: dependencies.services }), `systemd.services.${AUTOSTART_SERVICE}: the stack folders of ${needs.stacks.map((stack) => where(stack.file)).join(', ')}`, [{ code: 'autostart-without-mount-deps', data: { service: AUTOSTART_SERVICE } }]);
  }
  // Sources and notes quote names from the user's files: one line each, whatever the names hold, both in the
  // module's comments and on the terminal (a CR in a folder name must neither end a comment nor rewrite a line).
  const sourceLines = sources.map(commentText);
  const noteLines = notes.map(commentText);
  if (noteLines.length > 0) blocks.unshift({ title: ['To do before this module is complete:', ...noteLines.map((note) => `- ${note}`)].join('\n'), settings: [] });

  const header = headerLines(needs, analysis, options, sourceLines).map(commentText);
  const findings = analysis.findings;
  const claimed = findings === undefined ? answers : answers.filter((answer) => OWN_UNITS.has(answer.code) || findings.some((finding) => isAnswered(finding, [answer])));
  return { text: renderModule(blocks, { header }).text, sources: sourceLines, notes: noteLines, answers: claimed, needs };
}

/** Answers about the module's own text (its boot service, the Docker package it pins), whatever was found before. */
const OWN_UNITS = new Set(['autostart-without-mount-deps', 'docker-package-insecure']);

/**
 * The GPU firmware a render node (or /dev/kfd) needs, as dri-without-gpu-firmware decides it: nothing when the
 * configuration installs it (or may, through a module not read) or the old host's only GPU is NVIDIA (its driver
 * ships its own firmware). `hardware.graphics` is not written: it serves host programs, not containers.
 */
function gpuFirmware(needs: HomelabNeeds, nix: NixConfiguration | undefined, add: (block: Block, source: string, answered: AnsweredFinding[]) => boolean, sources: string[]): void {
  const users = needs.dri.join(', ');
  if (needs.gpuVendors.length > 0 && needs.gpuVendors.every((vendor) => vendor === 'nvidia')) {
    sources.push(`GPU firmware: not needed for /dev/dri of ${users}: the old host's only GPU is NVIDIA, whose driver ships its own`);
    return;
  }
  if (nix && gpuFirmwareProvided(nix)) {
    sources.push(`GPU firmware: /dev/dri of ${users}; already installed by the configuration (hardware-configuration.nix or hardware.enableRedistributableFirmware)`);
    return;
  }
  add(gpuFirmwareBlock(), `hardware.enableRedistributableFirmware: /dev/dri of ${users} needs the kernel driver's GPU firmware (linux-firmware)`, [{ code: 'dri-without-gpu-firmware' }]);
}

/** Without a snapshot: binds that may lie on a data disk, named as they are (no mount point is made up). */
function unknownBindsNote(needs: HomelabNeeds): string {
  const shown = needs.unknownBinds.slice(0, 6).map((bind) => `${bind.source} (${bind.usedBy.map((use) => use.replace(/ \(.*\)$/, '')).join(', ')})`);
  const more = needs.unknownBinds.length - shown.length;
  return `No snapshot says which disks the binds ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''} lie on: if one is a separate disk, declare it in \`fileSystems\` — run \`nixos-homelab extract\` on the old host, then generate again to have it mounted by UUID with its old options.`;
}

function renderValue(value: Block['settings'][number]['value']): string {
  switch (value.kind) {
    case 'int':
    case 'bool':
      return String(value.value);
    case 'string':
      return JSON.stringify(value.value);
    case 'raw':
      return value.text;
    default:
      return 'another value';
  }
}

function headerLines(needs: HomelabNeeds, analysis: Pick<WorkspaceAnalysis, 'release' | 'releaseSource' | 'snapshot'>, options: GenerateOptions, sources: string[]): string[] {
  const lines = [
    'NixOS module for the Docker Compose stacks of this homelab, written by `nixos-homelab generate`.',
    'Add it to the `imports` of your configuration.nix, e.g. `imports = [ ./homelab.nix ];`.',
    `NixOS release: ${analysis.release} — ${analysis.releaseSource}.`,
  ];
  if (needs.stacks.length > 0) {
    lines.push(
      needs.stacksRoot === needs.workspaceRoot
        ? `Stack folders: the same paths as in the workspace (${needs.workspaceRoot}); if they live elsewhere on the NixOS host, generate again with --stacks-root DIR.`
        : `Stack folders: the workspace root ${needs.workspaceRoot} is ${needs.stacksRoot} on the NixOS host (--stacks-root).`,
    );
  }
  const snapshot = analysis.snapshot;
  if (snapshot) {
    const when = snapshot.takenAt ? ` taken ${snapshot.takenAt}` : '';
    const from = snapshot.host ? ` from ${snapshot.host}` : '';
    lines.push(`Host snapshot: ${options.snapshotLabel ?? 'the snapshot folder'}${when}${from}.`);
  } else {
    lines.push('No host snapshot: names, disks and GPU models of the old host are unknown (`nixos-homelab extract` records them).');
  }
  if (sources.length > 0) lines.push('', 'Where each value comes from:', ...sources.map((source) => `- ${source}`));
  return lines;
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || path.basename(file);
}
