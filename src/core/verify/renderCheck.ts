import { unreadableSection } from './checkHelpers';
import { check, type VerifyCheck } from './report';
import { SectionName, type Section } from './sections';

const ID = 'render-node-gid';
const NODE_LINE = /^(\d+) (\S+) (\/dev\/dri\/renderD\d+)$/;
/** The gid NixOS declares for `render` (SPEC §3). */
const NIXOS_RENDER_GID = 303;

/** `render-node-gid`: every /dev/dri/renderD* node belongs to the gid the containers were given. */
export function checkRenderNodeGid(sections: Map<string, Section>, expectedGid: number): VerifyCheck {
  const section = sections.get(SectionName.renderNodes);
  const problem = unreadableSection(ID, section, "stat -c '%g %G %n' /dev/dri/renderD*");
  if (problem) return problem;
  const body = section?.body ?? '';

  const nodes = body
    .split('\n')
    .map((line) => NODE_LINE.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ gid: Number(match[1]), group: match[2] ?? '', path: match[3] ?? '' }));

  if (nodes.length === 0) {
    if (/No such file/i.test(body)) {
      return check(
        ID,
        'fail',
        'The host has no /dev/dri/renderD* node, so no container can use the GPU for transcoding.',
        'Enable graphics (hardware.graphics.enable = true; on 24.11+, with the driver for your GPU), run sudo nixos-rebuild switch and reboot; "lspci -nn | grep -i vga" shows which GPU the host has.',
      );
    }
    return check(ID, 'unknown', `Could not read the render nodes: ${body.trim() || 'no output'}.`);
  }

  const wrong = nodes.filter((node) => node.gid !== expectedGid);
  if (wrong.length === 0) {
    const list = nodes.map((node) => node.path.replace('/dev/dri/', '')).join(', ');
    return check(ID, 'pass', `${list} belong${nodes.length === 1 ? 's' : ''} to gid ${expectedGid} (${nodes[0]?.group}).`);
  }

  const first = wrong[0];
  const groupName = first?.group && !/^\d+$/.test(first.group) ? first.group : 'render';
  const detail = wrong.map((node) => `${node.path} belongs to gid ${node.gid} (${node.group})`).join('; ') + `, but the containers expect gid ${expectedGid}.`;
  const defaultNote = first?.gid === NIXOS_RENDER_GID ? ` ${NIXOS_RENDER_GID} is the gid NixOS gives render by default: the configuration does not force ${expectedGid}, or it came too late.` : '';
  return check(
    ID,
    'fail',
    detail + defaultNote,
    `Declare users.groups.${groupName}.gid = lib.mkForce ${expectedGid}; (a plain value conflicts with the NixOS default, lib.mkDefault is ignored). ` +
      `NixOS does not change the gid of a group that already exists in /etc/group, so if the setting is already there: run "sudo groupmod -g ${expectedGid} ${groupName}" and reboot (udev then gives the device the new gid), ` +
      'or reinstall with the setting present from the first activation.',
  );
}
