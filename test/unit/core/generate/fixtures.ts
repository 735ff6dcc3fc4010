import { loadComposeProject, type ComposeProject } from '../../../../src/core/compose';
import { loadSnapshotFromFiles } from '../../../../src/core/host';
import type { HostSnapshot } from '../../../../src/core/host/model';
import { memoryHost } from '../../helpers/memoryHost';

/** Loads stacks from in-memory compose files: `{ '/ws/docker/plex/compose.yaml': '…' }`. */
export function stacks(files: Record<string, string>): ComposeProject[] {
  const host = memoryHost(files);
  return Object.keys(files)
    .filter((file) => /(^|\/)(docker-)?compose\.ya?ml$/.test(file))
    .map((file) => loadComposeProject(file, host));
}

/** A snapshot from raw files, as a snapshot folder would hold them. */
export function snapshotOf(files: Record<string, string>): HostSnapshot {
  return loadSnapshotFromFiles(new Map(Object.entries(files))).snapshot;
}

/** The old Pop!_OS host of the example: palav 1000:1000, render 110, two data disks. */
export const POP_SNAPSHOT_FILES: Record<string, string> = {
  'id-palav.txt': 'uid=1000(palav) gid=1000(palav) groups=1000(palav),27(sudo),44(video),110(render),998(docker)\n',
  'group-110.txt': 'render:x:110:palav\n',
  'fstab.txt': [
    'UUID=e5d1c8a2-6b4f-4d93-a0e7-1c9f3b8d2a65 / ext4 errors=remount-ro 0 1',
    'UUID=3b6f2a9e-8c1d-4e57-9a0b-52d7c4e1f806 /mnt/PlexStorage ext4 defaults,nofail,noatime 0 2',
    'LABEL=archive /mnt/Archive ext4 nofail 0 2',
    '',
  ].join('\n'),
  'dri.txt': 'total 0\ncrw-rw----+ 1 0 110 226, 128 Mar  8 09:12 renderD128\n',
  'gpu.txt': '00:02.0 VGA compatible controller [0300]: Intel Corporation AlderLake-S GT1 [8086:4680] (rev 0c)\n',
};
