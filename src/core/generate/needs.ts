import * as path from 'node:path';
import type { ComposeProject, ComposeService } from '../compose/model';
import { requestedGids, requestedUids } from '../compose/requestedIds';
import { nvidiaOpenModulesFromSnapshot } from '../host/queries';
import { gpuVendors, groupByGid, userByName, userByUid } from '../host';
import type { DataMount, GpuVendor, HostSnapshot } from '../host/model';
import { declaredMounts, nixMountCovering, type NixMount } from '../nix/mounts';
import type { NixConfiguration } from '../nix/model';
import { RESERVED_GIDS } from '../nix/nixosDefaults';
import { driMappings, parseId } from '../rules/facts';
import { mountRootOf, pathCovers, snapshotDataMount } from '../rules/compose/bindMountUndeclared';
import type { WorkspaceAnalysis } from '../analysis/types';

/**
 * What the workspace's stacks need from the NixOS host, with where every value came from. Shared by `generate`
 * (which writes it as a module) and `verify` (which checks a host for it), so the two never disagree.
 */

export interface NeedsOptions {
  /** The workspace root the stacks' folders are relative to. */
  workspaceRoot: string;
  /** The folder on the NixOS host that corresponds to `workspaceRoot` (default: the same path). */
  stacksRoot?: string;
  /** Where data disks live when the snapshot does not say (default `/mnt`, `/media`, `/srv`). */
  mountRoots?: string[];
  /**
   * The file the module will be written to, when it may already be imported: its own definitions are not the
   * user's, so they never keep a value out of the new module (nor count as a disk already mounted).
   */
  replaces?: string;
}

export interface NeededUser {
  uid: number;
  /** From the snapshot, else the configuration; undefined when nothing names this uid. */
  name?: string;
  nameSource?: string;
  /** e.g. `PUID of plex (docker/plex/docker-compose.yml)`. */
  usedBy: string[];
  /** The configuration already declares the user as a normal user. */
  declared: boolean;
  /** The user's personal group (Ubuntu's `palav:palav`) is used by a stack: make it the primary group. */
  personalGroup?: { name: string; gid: number };
  /** Why no name is given although one was found: another uid takes that name here (one user never gets two uids). */
  nameTaken?: string;
}

export interface NeededGroup {
  gid: number;
  name?: string;
  nameSource?: string;
  usedBy: string[];
  /** Users to add to the group (its members on the old host that are declared here too). */
  members: string[];
  /** Why no name is given although one was found: another gid takes that name here (one group never gets two gids). */
  nameTaken?: string;
}

export interface NeededMount {
  /** The old host's data disk, from the snapshot. */
  mount: DataMount;
  usedBy: string[];
  /** The configuration already mounts it (fileSystems, systemd mounts, a mounting service, a ZFS pool, disko). */
  declared: boolean;
}

/** Without a snapshot: a bind under a mount root (`/mnt`…) that may or may not be on a separate disk. */
export interface UnknownBind {
  source: string;
  root: string;
  usedBy: string[];
}

export interface NeededStack {
  /** The compose file in the workspace. */
  file: string;
  /** The stack folder on the NixOS host. */
  hostDir: string;
}

export interface HomelabNeeds {
  users: NeededUser[];
  groups: NeededGroup[];
  mounts: NeededMount[];
  /** Binds whose disk only a snapshot could tell (none when there is a snapshot). */
  unknownBinds: UnknownBind[];
  stacks: NeededStack[];
  /** Services that get a GPU node of the kernel's driver: /dev/dri (render nodes) or ROCm's /dev/kfd. */
  dri: string[];
  /** Services that ask for an NVIDIA GPU, and those asking in a form the CDI toolkit does not serve. */
  nvidia: { usedBy: string[]; notCdi: string[] };
  /** The old host's GPU vendors; [] without a snapshot. */
  gpuVendors: GpuVendor[];
  /** `hardware.nvidia.open` from the old host's NVIDIA GPU; `open` undefined when no snapshot lists one. */
  nvidiaOpen: { open?: boolean; source: string };
  /** The gid the render nodes must have for the containers (only when a stack uses /dev/dri). */
  renderGid?: number;
  /** The user that runs docker commands (added to the `docker` group). */
  mainUser?: string;
  stacksRoot: string;
  workspaceRoot: string;
}

/** Collects the needs of every stack of the analysis. Deterministic: stacks in path order, ids ascending. */
export function collectNeeds(analysis: Pick<WorkspaceAnalysis, 'projects' | 'configurations' | 'snapshot'>, options: NeedsOptions): HomelabNeeds {
  const workspaceRoot = path.resolve(options.workspaceRoot);
  const stacksRoot = options.stacksRoot ?? workspaceRoot;
  const mountRoots = options.mountRoots ?? ['/mnt', '/media', '/srv'];
  const snapshot = analysis.snapshot;
  const nix = analysis.configurations[0];
  const projects = [...analysis.projects].sort((a, b) => compare(a.file, b.file));
  const toHost = (p: string): string => mapToHost(p, workspaceRoot, stacksRoot);
  const where = (project: ComposeProject, service: ComposeService): string => `${service.name} (${relative(workspaceRoot, project.file)})`;

  const users = new Map<number, NeededUser>();
  const groups = new Map<number, NeededGroup>();
  const mounts = new Map<string, NeededMount>();
  const unknownBinds = new Map<string, UnknownBind>();
  const dri: string[] = [];
  const nvidia = { usedBy: [] as string[], notCdi: [] as string[] };
  const namedUsers: { name: string; usedBy: string }[] = [];
  const replaced = options.replaces === undefined ? undefined : path.resolve(options.replaces);
  const declared = declaredMounts(nix).filter((mount) => replaced === undefined || mount.definition === undefined || path.resolve(mount.definition.file) !== replaced);

  // As bind-mount-undeclared judges: with a snapshot, the old host's data disks; without one, a path under a mount
  // root is not known to be a disk, and no mount point is made up for it.
  const addMount = (source: string, usedBy: string): void => {
    const normalized = path.posix.normalize(source);
    const covering = nixMountCovering(normalized, declared);
    if (snapshot) {
      const mount = snapshotDataMount(normalized, snapshot);
      if (!mount) return;
      const entry = mounts.get(mount.mountpoint) ?? { mount, usedBy: [], declared: mountsDisk(covering, mount) };
      pushOnce(entry.usedBy, usedBy);
      mounts.set(mount.mountpoint, entry);
      return;
    }
    if (covering || declared.some((mount) => pathCovers(normalized, mount.mountpoint))) return;
    const root = mountRootOf(normalized, mountRoots);
    if (!root) return;
    const entry = unknownBinds.get(normalized) ?? { source: normalized, root, usedBy: [] };
    pushOnce(entry.usedBy, usedBy);
    unknownBinds.set(normalized, entry);
  };

  for (const project of projects) {
    for (const service of project.services) {
      const at = where(project, service);
      for (const { value, via } of requestedUids(service)) {
        const uid = parseId(value.value);
        if (uid === undefined) {
          if (via === '`user:`' && /^[a-z_][a-z0-9_-]*$/.test(value.value) && value.value !== 'root') namedUsers.push({ name: value.value, usedBy: `user: of ${at}` });
          continue;
        }
        if (uid === 0) continue;
        const user = users.get(uid) ?? { uid, usedBy: [], declared: false };
        pushOnce(user.usedBy, `${via} of ${at}`);
        users.set(uid, user);
      }
      for (const { value, via } of requestedGids(service)) {
        const gid = parseId(value.value);
        if (gid === undefined || gid === 0) continue;
        const group = groups.get(gid) ?? { gid, usedBy: [], members: [] };
        pushOnce(group.usedBy, `${via} of ${at}`);
        groups.set(gid, group);
      }
      if (driMappings(service).length > 0 || service.devices.some((device) => !device.cdi && device.host === '/dev/kfd')) pushOnce(dri, at);
      for (const request of service.gpuRequests.filter((r) => r.nvidia)) {
        pushOnce(nvidia.usedBy, at);
        const cdi = request.kind === 'cdi-device' || request.kind === 'env' || (request.kind === 'reservation' && request.driver === 'cdi');
        if (!cdi) pushOnce(nvidia.notCdi, at);
      }
      for (const volume of service.volumes) {
        // A bind built from a variable set nowhere is not a path: its disk is not judged.
        const unresolved = volume.sourceUnresolved === true || (volume.substitutions ?? []).some((sub) => sub.source === 'unset');
        if (volume.type === 'bind' && volume.source?.startsWith('/') && !unresolved) addMount(toHost(volume.source), at);
      }
    }
    addMount(toHost(project.dir), `the stack folder of ${relative(workspaceRoot, project.file)}`);
  }

  // Users named in `user:` (not by uid) count when the snapshot gives their uid.
  for (const named of namedUsers) {
    const old = snapshot ? userByName(snapshot, named.name) : undefined;
    if (!old || old.uid === 0) continue;
    const user = users.get(old.uid) ?? { uid: old.uid, usedBy: [], declared: false };
    pushOnce(user.usedBy, named.usedBy);
    users.set(old.uid, user);
  }

  for (const user of users.values()) nameUser(user, snapshot, nix);
  for (const group of groups.values()) nameGroup(group, snapshot, nix);
  oneIdPerName([...users.values()].sort((a, b) => a.uid - b.uid), 'uid', (user) => user.uid);
  oneIdPerName([...groups.values()].sort((a, b) => a.gid - b.gid), 'gid', (group) => group.gid);
  linkPersonalGroups(users, groups, snapshot);
  const neededGroups = [...groups.values()].filter((group) => !(group.name !== undefined && RESERVED_GIDS[group.name] === group.gid));
  const userNames = new Set([...users.values()].map((user) => user.name).filter((name): name is string => name !== undefined));
  for (const group of neededGroups) {
    const oldMembers = group.name !== undefined && snapshot ? (groupByGid(snapshot, group.gid)?.members ?? []) : [];
    group.members = oldMembers.filter((member) => userNames.has(member) && !isPersonalGroupOf(users, member, group)).sort(compare);
  }

  const sortedUsers = [...users.values()].sort((a, b) => a.uid - b.uid);
  const render = neededGroups.find((group) => group.name === 'render');
  return {
    users: sortedUsers,
    groups: neededGroups.sort((a, b) => a.gid - b.gid),
    mounts: [...mounts.values()].sort((a, b) => compare(a.mount.mountpoint, b.mount.mountpoint)),
    unknownBinds: [...unknownBinds.values()].sort((a, b) => compare(a.source, b.source)),
    stacks: uniqueStacks(projects.map((project) => ({ file: project.file, hostDir: toHost(project.dir) }))),
    dri,
    nvidia,
    gpuVendors: snapshot ? gpuVendors(snapshot) : [],
    nvidiaOpen: openModules(snapshot),
    ...(dri.length > 0 ? { renderGid: render?.gid ?? configuredGid(nix, 'render') ?? RESERVED_GIDS['render'] } : {}),
    ...mainUserOf(sortedUsers, nix),
    stacksRoot,
    workspaceRoot,
  };
}

function nameUser(user: NeededUser, snapshot: HostSnapshot | undefined, nix: NixConfiguration | undefined): void {
  const old = snapshot ? userByUid(snapshot, user.uid) : undefined;
  const configured = nix?.findUserByUid(user.uid);
  const normalUsers = [...(nix?.users.values() ?? [])].filter((u) => u.isNormalUser && u.uid === undefined);
  if (old) {
    user.name = old.name;
    user.nameSource = 'the snapshot (`id` output)';
  } else if (configured) {
    user.name = configured.name;
    user.nameSource = 'the configuration';
  } else if (normalUsers.length === 1 && normalUsers[0]) {
    user.name = normalUsers[0].name;
    user.nameSource = 'the only normal user of the configuration';
  }
  if (user.name !== undefined) user.declared = nix?.users.get(user.name)?.isNormalUser === true;
}

/**
 * The group name for a gid: the old host's (snapshot), else the configuration's. Never guessed: without a snapshot
 * a gid beside /dev/dri is as likely a personal group (1000) as `render`, and forcing `render` to it would take the
 * render nodes' group away from the GPU.
 */
function nameGroup(group: NeededGroup, snapshot: HostSnapshot | undefined, nix: NixConfiguration | undefined): void {
  const old = snapshot ? groupByGid(snapshot, group.gid) : undefined;
  const owner = snapshot?.users.find((user) => user.gid === group.gid);
  const configured = nix?.findGroupByGid(group.gid);
  if (old) {
    group.name = old.name;
    group.nameSource = 'the snapshot';
  } else if (owner) {
    group.name = owner.primaryGroup;
    group.nameSource = `the snapshot (primary group of ${owner.name})`;
  } else if (configured) {
    group.name = configured.name;
    group.nameSource = 'the configuration';
  }
}

/**
 * One name, one id: when two ids got the same name (two PUIDs and one normal user in the configuration, a snapshot
 * naming two gids alike), the id the snapshot names keeps it, else the lowest; the others lose the name and say why.
 */
function oneIdPerName<T extends { name?: string; nameSource?: string; nameTaken?: string }>(entries: T[], kind: 'uid' | 'gid', idOf: (entry: T) => number): void {
  const byName = new Map<string, T[]>();
  for (const entry of entries) if (entry.name !== undefined) byName.set(entry.name, [...(byName.get(entry.name) ?? []), entry]);
  for (const [name, holders] of byName) {
    if (holders.length < 2) continue;
    const keeper = holders.find((entry) => entry.nameSource?.startsWith('the snapshot')) ?? holders[0];
    for (const entry of holders) {
      if (entry === keeper || keeper === undefined) continue;
      entry.nameTaken = `\`${name}\` (${entry.nameSource ?? 'unknown'}) is already given ${kind} ${idOf(keeper)} here`;
      delete entry.name;
      delete entry.nameSource;
    }
  }
}

/** Ubuntu gives each user a group of the same name and number; a stack using it needs it as the primary group. */
function linkPersonalGroups(users: Map<number, NeededUser>, groups: Map<number, NeededGroup>, snapshot: HostSnapshot | undefined): void {
  if (!snapshot) return;
  for (const group of groups.values()) {
    const owner = snapshot.users.find((user) => user.gid === group.gid && user.primaryGroup === group.name && user.name === group.name);
    if (!owner) continue;
    const user = users.get(owner.uid);
    if (user?.name === owner.name) user.personalGroup = { name: owner.name, gid: group.gid };
  }
}

/** NixOS mounts the old host's disk when a declared mount holds it and is not a mere parent folder of it. */
function mountsDisk(covering: NixMount | undefined, disk: DataMount): boolean {
  return covering !== undefined && (covering.source === 'zfs-pool' || pathCovers(disk.mountpoint, covering.mountpoint));
}

function isPersonalGroupOf(users: Map<number, NeededUser>, member: string, group: NeededGroup): boolean {
  return [...users.values()].some((user) => user.name === member && user.personalGroup?.gid === group.gid);
}

function configuredGid(nix: NixConfiguration | undefined, name: string): number | undefined {
  return nix?.groups.get(name)?.gid;
}

/** `hardware.nvidia.open` from the old host's NVIDIA cards; left undecided without them (the user's call). */
function openModules(snapshot: HostSnapshot | undefined): { open?: boolean; source: string } {
  const cards = snapshot?.gpus.filter((gpu) => gpu.vendor === 'nvidia') ?? [];
  const open = nvidiaOpenModulesFromSnapshot(cards);
  if (open === undefined) return { source: snapshot ? 'the snapshot lists no NVIDIA card' : 'no snapshot lists the GPU' };
  const names = cards.map((gpu) => gpu.description).join('; ');
  return { open, source: `snapshot lspci: ${names} (${open ? 'Turing or newer: open kernel modules' : 'older than Turing: proprietary modules'})` };
}

function mainUserOf(users: NeededUser[], nix: NixConfiguration | undefined): { mainUser?: string } {
  const named = users.find((user) => user.name !== undefined);
  if (named?.name) return { mainUser: named.name };
  const normal = [...(nix?.users.values() ?? [])].filter((user) => user.isNormalUser);
  return normal.length === 1 && normal[0] ? { mainUser: normal[0].name } : {};
}

/** A workspace path as it will be on the NixOS host: under `stacksRoot` when it is under the workspace root. */
export function mapToHost(file: string, workspaceRoot: string, stacksRoot: string): string {
  const rel = path.relative(workspaceRoot, file);
  if (rel === '') return stacksRoot;
  if (rel.startsWith('..') || path.isAbsolute(rel)) return file;
  return path.posix.join(stacksRoot, ...rel.split(path.sep));
}

function uniqueStacks(stacks: NeededStack[]): NeededStack[] {
  const seen = new Set<string>();
  return stacks.filter((stack) => (seen.has(stack.hostDir) ? false : (seen.add(stack.hostDir), true))).sort((a, b) => compare(a.hostDir, b.hostDir));
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || path.basename(file);
}

function pushOnce(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

