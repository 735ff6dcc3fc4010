import { dataMounts } from '../host/mounts';
import type { HostSnapshot } from '../host/model';

/**
 * One line about what a snapshot holds, for notifications: `Pop!_OS 22.04 LTS: 1 user, 3 groups, 2 data disks,
 * 1 GPU, 1 gap`.
 */
export function snapshotOneLine(snapshot: HostSnapshot): string {
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [
    count(snapshot.users.length, 'user'),
    count(snapshot.groups.length, 'group'),
    count(dataMounts(snapshot).length, 'data disk'),
    count(snapshot.gpus.length, 'GPU'),
    count(snapshot.gaps.length, 'gap'),
  ];
  const system = snapshot.os?.prettyName ?? snapshot.os?.id;
  return `${system ? `${system}: ` : ''}${parts.join(', ')}`;
}
