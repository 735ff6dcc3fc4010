import * as path from 'node:path';
import { autostartBlock, AUTOSTART_SERVICE } from '../fixes/autostart';
import { dockerBlock, fileSystemBlock, fileSystemByDeviceBlock, graphicsBlock, groupBlock, isNixosDeclaredGroup, nvidiaBlock, userBlock } from '../fixes/blocks';
import { renderModule } from '../fixes/renderModule';
import type { Block } from '../fixes/setting';
import { attrName, commentText } from '../fixes/nixExpr';
import type { WorkspaceAnalysis } from '../workspace';
import { collectNeeds, type HomelabNeeds, type NeedsOptions } from './needs';

export interface GenerateOptions extends NeedsOptions {
  /** How the snapshot folder is named in the header (e.g. `.nixos-homelab/snapshot`), when there is one. */
  snapshotLabel?: string;
}

export interface GeneratedModule {
  /** The module text, ready to save as e.g. `homelab.nix`. */
  text: string;
  /** One line per generated value saying where it came from (also in the header comment). */
  sources: string[];
  /** What the module could not decide and the user must (also written as comments). */
  notes: string[];
  needs: HomelabNeeds;
}

/**
 * Writes one NixOS module with everything the workspace's stacks need: users and groups with the ids the
 * containers and the data use, graphics for /dev/dri, the NVIDIA driver and CDI toolkit for GPU requests, Docker,
 * `fileSystems` for the data disks the stacks bind, and the boot service that starts every stack. The same
 * analysis gives the same bytes.
 */
export function generateModule(analysis: Pick<WorkspaceAnalysis, 'projects' | 'configurations' | 'snapshot' | 'release' | 'releaseSource'>, options: GenerateOptions): GeneratedModule {
  const needs = collectNeeds(analysis, options);
  const blocks: Block[] = [];
  const sources: string[] = [];
  const notes: string[] = [];
  const release = analysis.release;

  for (const user of needs.users) {
    if (user.name === undefined) {
      notes.push(`uid ${user.uid} (${user.usedBy.join(', ')}) has no known user name: run \`nixos-homelab extract\` on the old host, or declare users.users.<name>.uid = ${user.uid}; yourself.`);
      continue;
    }
    blocks.push(userBlock({ name: user.name, uid: user.uid, exists: user.declared, personalGroup: user.personalGroup !== undefined }));
    sources.push(`users.users.${attrName(user.name)}.uid = ${user.uid}: ${user.usedBy.join(', ')}; name from ${user.nameSource ?? 'unknown'}`);
  }
  for (const group of needs.groups) {
    if (group.name === undefined) {
      notes.push(`gid ${group.gid} (${group.usedBy.join(', ')}) has no known group name: run \`nixos-homelab extract\` on the old host, or declare users.groups.<name>.gid = ${group.gid}; yourself.`);
      continue;
    }
    blocks.push(groupBlock({ name: group.name, gid: group.gid, members: group.members }));
    const forced = isNixosDeclaredGroup(group.name) ? ' (lib.mkForce: NixOS declares this group with another gid)' : '';
    sources.push(`users.groups.${attrName(group.name)}.gid = ${group.gid}${forced}: ${group.usedBy.join(', ')}; name from ${group.nameSource ?? 'unknown'}`);
  }
  if (needs.dri.length > 0) {
    const block = graphicsBlock(release, needs.gpuVendors);
    blocks.push(block);
    sources.push(`${block.title}: /dev/dri of ${needs.dri.join(', ')}; GPU vendors ${needs.gpuVendors.length ? `${needs.gpuVendors.join(', ')} from the snapshot` : 'unknown (no snapshot)'}`);
  }
  if (needs.nvidia.usedBy.length > 0) {
    blocks.push(nvidiaBlock(release, { open: needs.nvidiaOpen.open }));
    sources.push(`NVIDIA driver and container toolkit: GPU requests of ${needs.nvidia.usedBy.join(', ')}; hardware.nvidia.open = ${needs.nvidiaOpen.open}: ${needs.nvidiaOpen.source}`);
    if (needs.nvidia.notCdi.length > 0) {
      notes.push(
        `${needs.nvidia.notCdi.join(', ')} ask for the GPU with \`driver: nvidia\`, \`gpus:\` or \`runtime: nvidia\`, which fail with the CDI-based toolkit: use \`driver: cdi\` with \`device_ids: ["nvidia.com/gpu=all"]\` (nixos-homelab lint shows where).`,
      );
    }
  }
  if (needs.stacks.length > 0) {
    blocks.push(dockerBlock(needs.mainUser, release));
    sources.push(`Docker: ${needs.stacks.length} Compose stack${needs.stacks.length === 1 ? '' : 's'}${needs.mainUser ? `; ${needs.mainUser} joins the docker group` : ''}`);
  }
  for (const { mount, usedBy } of needs.mounts) {
    const mp = `fileSystems.${attrName(mount.mountpoint)}`;
    if (mount.uuid !== undefined) {
      blocks.push(fileSystemBlock({ ...mount, uuid: mount.uuid }));
      sources.push(`${mp}: bound by ${usedBy.join(', ')}; device, type and options from the snapshot (${mount.origin})`);
    } else if (mount.device !== undefined) {
      blocks.push(fileSystemByDeviceBlock({ ...mount, device: mount.device }));
      sources.push(`${mp}: bound by ${usedBy.join(', ')}; device, type and options from the snapshot (${mount.origin})`);
    } else {
      notes.push(`${mp} is needed (bound by ${usedBy.join(', ')}) but its disk is unknown: run \`nixos-homelab extract\` on the old host, then generate again.`);
    }
  }
  if (needs.stacks.length > 0) {
    const requiresMountsFor = needs.mounts.map((entry) => entry.mount.mountpoint);
    blocks.push(autostartBlock({ stackDirs: needs.stacks.map((stack) => stack.hostDir), requiresMountsFor }));
    sources.push(`systemd.services.${AUTOSTART_SERVICE}: the stack folders of ${needs.stacks.map((stack) => relative(needs.workspaceRoot, stack.file)).join(', ')}`);
  }
  // Sources and notes quote names from the user's files: one line each, whatever the names hold, both in the
  // module's comments and on the terminal (a CR in a folder name must neither end a comment nor rewrite a line).
  const sourceLines = sources.map(commentText);
  const noteLines = notes.map(commentText);
  if (noteLines.length > 0) blocks.unshift({ title: ['To do before this module is complete:', ...noteLines.map((note) => `- ${note}`)].join('\n'), settings: [] });

  const header = headerLines(needs, analysis, options, sourceLines).map(commentText);
  return { text: renderModule(blocks, { header }).text, sources: sourceLines, notes: noteLines, needs };
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
