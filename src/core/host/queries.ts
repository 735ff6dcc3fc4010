import type { GpuDevice, GpuVendor, HostGroup, HostSnapshot, HostUser } from './model';

/** The host user with this uid (from the `id` outputs), if the snapshot has one. */
export function userByUid(snapshot: HostSnapshot, uid: number): HostUser | undefined {
  return snapshot.users.find((user) => user.uid === uid);
}

/** The host user with this name, if the snapshot has one. */
export function userByName(snapshot: HostSnapshot, name: string): HostUser | undefined {
  return snapshot.users.find((user) => user.name === name);
}

/**
 * Every group the snapshot knows: the `getent group` lines, plus the groups only seen in `id` outputs (their
 * members are then the users whose `id` listed them).
 */
export function knownGroups(snapshot: HostSnapshot): HostGroup[] {
  const groups = snapshot.groups.map((group) => ({ ...group, members: [...group.members] }));
  for (const user of snapshot.users) {
    for (const seen of user.groups) {
      let group = groups.find((candidate) => candidate.gid === seen.gid);
      if (group === undefined) {
        group = { name: seen.name, gid: seen.gid, members: [] };
        groups.push(group);
      }
      // The primary group is implicit membership; /etc/group lists only supplementary members.
      if (seen.gid !== user.gid && !group.members.includes(user.name)) group.members.push(user.name);
    }
  }
  return groups;
}

/** The host group with this gid (from `getent group` or an `id` output). */
export function groupByGid(snapshot: HostSnapshot, gid: number): HostGroup | undefined {
  return knownGroups(snapshot).find((group) => group.gid === gid);
}

/** The host group with this name (from `getent group` or an `id` output). */
export function groupByName(snapshot: HostSnapshot, name: string): HostGroup | undefined {
  return knownGroups(snapshot).find((group) => group.name === name);
}

/** GPU vendors of the host, each once, in lspci order. */
export function gpuVendors(snapshot: HostSnapshot): GpuVendor[] {
  return [...new Set(snapshot.gpus.map((gpu) => gpu.vendor))];
}

/** Pre-Turing cards (GTX 10xx and older) cannot use the open kernel modules. */
function nvidiaSupportsOpenModules(gpus: GpuDevice[]): boolean {
  const nvidia = gpus.filter((gpu) => gpu.vendor === 'nvidia');
  return !nvidia.some((gpu) => /\b(GTX\s*(9|10)\d{2}|GT\s*\d{3,4}|Quadro\s+[KMP]\d|Tesla\s+[KMP]\d|TITAN\s+X[p]?\b|GP10\d|GM20\d|GK\d{3})/i.test(gpu.description));
}

/**
 * Whether the host's NVIDIA GPUs take the open kernel modules, from the snapshot's GPU list; undefined when it has
 * no NVIDIA GPU (no snapshot, or one without GPU data): then nothing here may choose `hardware.nvidia.open`.
 */
export function nvidiaOpenModulesFromSnapshot(gpus: GpuDevice[] | undefined): boolean | undefined {
  const nvidia = (gpus ?? []).filter((gpu) => gpu.vendor === 'nvidia');
  return nvidia.length > 0 ? nvidiaSupportsOpenModules(nvidia) : undefined;
}

/**
 * The gid the old host gave its render nodes: the group owning `/dev/dri/renderD*`, else the gid of a group named
 * `render`. This is the gid a container's PGID / group_add used to reach the GPU.
 */
export function renderGroupGid(snapshot: HostSnapshot): number | undefined {
  const renderNode = snapshot.dri.find((node) => /^renderD\d+$/.test(node.node));
  return renderNode?.gid ?? groupByName(snapshot, 'render')?.gid;
}
