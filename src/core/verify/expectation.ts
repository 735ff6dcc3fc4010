/**
 * What the NixOS host should look like after the migration, derived by the caller from the compose files, the
 * configuration and the snapshot. Every value here may end up in a shell script, so `validateExpectation`
 * accepts only plain names, ids and paths.
 */

export interface ExpectedUser {
  name: string;
  /** The uid the compose files rely on (PUID); omitted when only the user's existence matters. */
  uid?: number;
}

export interface ExpectedGroup {
  /** The group name the snapshot or configuration gives this gid, when known. */
  name?: string;
  gid: number;
}

export interface ExpectedMount {
  mountpoint: string;
  uuid?: string;
}

export interface VerifyExpectation {
  /** The gid the render node must have (the `render` gid the compose files use). Omitted: no render check. */
  renderGid?: number;
  users: ExpectedUser[];
  groups: ExpectedGroup[];
  mounts: ExpectedMount[];
  /** The systemd unit that starts the stacks, e.g. `homelab-autostart.service`. Omitted: no unit check. */
  autostartUnit?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;
const UNIT = /^[A-Za-z0-9_.@:\\-]{1,200}\.(service|target|timer)$/;
const UUID = /^[A-Za-z0-9-]{1,64}$/;
/** The largest id a Linux user or group can have (2^32 - 2; -1 means "no change" to chown). */
const MAX_ID = 4_294_967_294;

/** Returns the problems that make the expectation unusable (empty when it is fine). */
export function validateExpectation(expect: VerifyExpectation): string[] {
  const problems: string[] = [];
  const checkId = (what: string, id: number): void => {
    if (!Number.isInteger(id) || id < 0 || id > MAX_ID) problems.push(`${what} ${id} is not a valid id (a whole number from 0 to ${MAX_ID}).`);
  };
  const checkName = (what: string, name: string): void => {
    if (!NAME.test(name)) problems.push(`${what} "${name}" is not a valid name (letters, digits, "_", ".", "-"; at most 32 characters).`);
  };

  if (expect.renderGid !== undefined) checkId('The render gid', expect.renderGid);
  for (const user of expect.users) {
    checkName('The user name', user.name);
    if (user.uid !== undefined) checkId(`The uid of ${user.name}`, user.uid);
  }
  for (const group of expect.groups) {
    checkId('The gid', group.gid);
    if (group.name !== undefined) checkName('The group name', group.name);
  }
  for (const mount of expect.mounts) {
    // Mount points are never interpolated into the script (one findmnt lists them all), but a relative or
    // multi-line path is certainly a mistake upstream.
    if (!mount.mountpoint.startsWith('/') || /[\0-\x1f]/.test(mount.mountpoint)) {
      problems.push(`The mount point "${mount.mountpoint}" must be an absolute path without control characters.`);
    }
    if (mount.uuid !== undefined && !UUID.test(mount.uuid)) problems.push(`The UUID "${mount.uuid}" of ${mount.mountpoint} is not valid.`);
  }
  if (expect.autostartUnit !== undefined && !UNIT.test(expect.autostartUnit)) {
    problems.push(`The unit name "${expect.autostartUnit}" is not valid (e.g. homelab-autostart.service).`);
  }
  return problems;
}
