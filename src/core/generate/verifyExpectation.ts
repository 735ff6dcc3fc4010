import { AUTOSTART_SERVICE } from '../fixes/autostart';
import type { VerifyExpectation } from '../verify';
import type { HomelabNeeds } from './needs';

/**
 * What `verify` checks on the NixOS host, from the same needs `generate` writes: the render gid the containers
 * use, every user and group with its id, the data disks (by UUID when the snapshot knows it), and the autostart
 * unit when there are stacks.
 */
export function expectationFromNeeds(needs: HomelabNeeds): VerifyExpectation {
  const expectation: VerifyExpectation = {
    users: needs.users.filter((user) => user.name !== undefined).map((user) => ({ name: user.name as string, uid: user.uid })),
    groups: needs.groups.map((group) => (group.name === undefined ? { gid: group.gid } : { name: group.name, gid: group.gid })),
    mounts: needs.mounts.map(({ mount }) => (mount.uuid === undefined ? { mountpoint: mount.mountpoint } : { mountpoint: mount.mountpoint, uuid: mount.uuid })),
  };
  if (needs.renderGid !== undefined) expectation.renderGid = needs.renderGid;
  if (needs.stacks.length > 0) expectation.autostartUnit = `${AUTOSTART_SERVICE}.service`;
  return expectation;
}
