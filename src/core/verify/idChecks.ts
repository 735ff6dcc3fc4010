import { parseGetentGroup } from '../host/getent';
import { firstLine, unreadableSection } from './checkHelpers';
import type { ExpectedGroup, ExpectedUser } from './expectation';
import { check, type VerifyCheck } from './report';
import { SectionName, type Section } from './sections';

/** Groups NixOS declares itself (SPEC §3): a different gid needs lib.mkForce. */
const NIXOS_DECLARED_GROUPS = new Set(['users', 'video', 'render', 'audio', 'input', 'kvm', 'docker']);

/** getent exits 2 when the key is not in the database. */
const GETENT_NOT_FOUND = 2;

/** `user:<name>`: the user exists, with the uid the compose files use. */
export function checkUser(sections: Map<string, Section>, user: ExpectedUser): VerifyCheck {
  const id = `user:${user.name}`;
  const section = sections.get(SectionName.passwd(user.name));
  const problem = unreadableSection(id, section, `getent passwd ${user.name}`);
  if (problem) return problem;
  const uidPart = user.uid !== undefined ? ` uid = ${user.uid};` : '';

  const line = (section?.body ?? '').split('\n').find((l) => l.startsWith(`${user.name}:`));
  if (section?.rc === GETENT_NOT_FOUND || (section?.rc === 0 && !line)) {
    return check(
      id,
      'fail',
      `There is no user ${user.name} on the host.`,
      `Declare users.users.${user.name} = { isNormalUser = true;${uidPart} extraGroups = [ … ]; }; and run sudo nixos-rebuild switch.`,
    );
  }
  const fields = line?.split(':') ?? [];
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  if (!line || !Number.isInteger(uid)) return check(id, 'unknown', `Could not read the passwd entry: ${firstLine(section?.body ?? '') || 'no output'}.`);

  if (user.uid !== undefined && uid !== user.uid) {
    return check(
      id,
      'fail',
      `${user.name} has uid ${uid}, but the compose files run containers as uid ${user.uid}: files they write will not be ${user.name}'s.`,
      `Set users.users.${user.name}.uid = ${user.uid};. NixOS does not change the uid of an existing user: after the switch run ` +
        `"sudo usermod -u ${user.uid} ${user.name}" while the user is logged out, then give back the files outside the home ("sudo find / -xdev -uid ${uid} -exec chown -h ${user.uid} {} +").`,
    );
  }
  return check(id, 'pass', `${user.name} has uid ${uid}, primary gid ${gid}.`);
}

/** `group:<gid>`: a group with that gid exists, with the expected name when one is known. */
export function checkGroup(sections: Map<string, Section>, group: ExpectedGroup): VerifyCheck {
  const id = `group:${group.gid}`;
  const section = sections.get(SectionName.group(group.gid));
  const problem = unreadableSection(id, section, `getent group ${group.gid}`);
  if (problem) return problem;
  const name = group.name ?? 'NAME';
  const force = NIXOS_DECLARED_GROUPS.has(name) ? `lib.mkForce ${group.gid}` : String(group.gid);
  const declare =
    `Declare users.groups.${name}.gid = ${force}; and run sudo nixos-rebuild switch. ` +
    `NixOS does not change the gid of a group that already exists: if it does, run "sudo groupmod -g ${group.gid} ${name}" and reboot.`;

  const found = parseGetentGroup(section?.body ?? '').value.find((g) => g.gid === group.gid);
  if (section?.rc === GETENT_NOT_FOUND || (section?.rc === 0 && !found)) {
    return check(id, 'fail', `No group has gid ${group.gid} on the host${group.name ? ` (expected ${group.name})` : ''}.`, declare);
  }
  if (!found) return check(id, 'unknown', `Could not read the group entry: ${firstLine(section?.body ?? '') || 'no output'}.`);

  const members = found.members.length > 0 ? `members ${found.members.join(', ')}` : 'no listed members';
  if (group.name !== undefined && found.name !== group.name) {
    return check(
      id,
      'fail',
      `gid ${group.gid} is group "${found.name}" on the host, but "${group.name}" was expected (${members}).`,
      `gid ${group.gid} is taken by "${found.name}": either give the containers that group's gid instead, or move "${found.name}" to another gid ` +
        `and declare users.groups.${group.name}.gid = ${force}; (then "sudo groupmod -g ${group.gid} ${group.name}" if ${group.name} already exists, and reboot).`,
    );
  }
  return check(id, 'pass', `gid ${group.gid} is ${found.name} (${members}).`);
}
