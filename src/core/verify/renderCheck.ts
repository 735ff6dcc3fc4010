import { unreadableSection } from './checkHelpers';
import { check, type VerifyCheck } from './report';
import { SectionName, type Section } from './sections';

const ID = 'render-node-gid';
/** The command of the render-nodes section: octal mode, numeric gid, group name, path (script.ts runs it). */
export const RENDER_NODES_COMMAND = "stat -c '%a %g %G %n' /dev/dri/renderD*";
/** `%a %g %G %n`; the mode is optional so output of the older `%g %G %n` form is still read. */
const NODE_LINE = /^(?:([0-7]{3,4}) )?(\d+) (\S+) (\/dev\/dri\/renderD\d+)$/;
/** The gid NixOS declares for `render` (SPEC §3). */
const NIXOS_RENDER_GID = 303;

interface RenderNode {
  /** Permission bits, undefined when the output did not include them. */
  mode?: number;
  gid: number;
  group: string;
  path: string;
}

const octal = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
const worldAccessible = (node: RenderNode): boolean => node.mode !== undefined && (node.mode & 0o006) === 0o006;

/**
 * `render-node-gid`: a container process can open every /dev/dri/renderD* node. On NixOS systemd leaves them
 * `0666 root:render` (its `group-render-mode` default; NixOS's package does not change it), so any process can, and the
 * gid does not matter. Only a node whose mode a udev rule restricted must belong to the gid the containers were given.
 */
export function checkRenderNodeGid(sections: Map<string, Section>, expectedGid: number): VerifyCheck {
  const section = sections.get(SectionName.renderNodes);
  const problem = unreadableSection(ID, section, RENDER_NODES_COMMAND);
  if (problem) return problem;
  const body = section?.body ?? '';

  const nodes = body
    .split('\n')
    .map((line) => NODE_LINE.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match): RenderNode => ({ ...(match[1] !== undefined ? { mode: parseInt(match[1], 8) } : {}), gid: Number(match[2]), group: match[3] ?? '', path: match[4] ?? '' }));

  if (nodes.length === 0) {
    if (/No such file/i.test(body)) {
      return check(
        ID,
        'fail',
        'The host has no /dev/dri/renderD* node: no kernel GPU driver is bound, so no container can use the GPU for transcoding (and a container whose devices name a render node is not created).',
        'Render nodes come from the kernel driver (i915 or xe for Intel, amdgpu for AMD), not from hardware.graphics. ' +
          '"lspci -nnk | grep -iA3 vga" shows the GPU and whether a driver is in use; "journalctl -k | grep -iE \'i915|xe |amdgpu|firmware\'" shows why not. ' +
          'Usual causes: no GPU firmware (set hardware.enableRedistributableFirmware = true; amdgpu cannot start without it), "nomodeset" in boot.kernelParams, the driver in boot.blacklistedKernelModules, or a VM without the GPU passed through. Then sudo nixos-rebuild switch and reboot.',
      );
    }
    return check(ID, 'unknown', `Could not read the render nodes: ${body.trim() || 'no output'}.`);
  }

  const locked = nodes.filter((node) => !worldAccessible(node)).filter((node) => node.mode !== undefined && (node.mode & 0o060) !== 0o060);
  if (locked.length > 0) {
    return check(
      ID,
      'fail',
      `${locked.map((node) => `${node.path} is mode ${octal(node.mode ?? 0)} (gid ${node.gid} ${node.group})`).join('; ')}: only root can open ${locked.length === 1 ? 'it' : 'them'}, so a non-root container process cannot, whatever its groups.`,
      'A udev rule (services.udev.extraRules or a package in services.udev.packages) sets this mode; NixOS alone leaves render nodes 0666. ' +
        'Drop the rule, or give the group access (MODE="0660") and the containers that group\'s gid; then sudo nixos-rebuild switch and "sudo udevadm trigger --subsystem-match=drm".',
    );
  }
  const list = (some: RenderNode[]): string => some.map((node) => node.path.replace('/dev/dri/', '')).join(', ');
  const wrong = nodes.filter((node) => !worldAccessible(node) && node.gid !== expectedGid);
  if (wrong.length === 0) {
    const open = nodes.filter(worldAccessible);
    const grouped = nodes.filter((node) => !worldAccessible(node));
    const parts: string[] = [];
    if (open.length > 0) {
      const first = open[0];
      parts.push(`${list(open)} ${open.length === 1 ? 'is' : 'are'} mode ${octal(first?.mode ?? 0)} (gid ${first?.gid} ${first?.group}): every container process can open ${open.length === 1 ? 'it' : 'them'}, whatever its groups`);
    }
    if (grouped.length > 0) parts.push(`${list(grouped)} belong${grouped.length === 1 ? 's' : ''} to gid ${expectedGid} (${grouped[0]?.group})${grouped[0]?.mode !== undefined ? `, mode ${octal(grouped[0].mode)}` : ''}`);
    return check(ID, 'pass', `${parts.join('; ')}.`);
  }

  const first = wrong[0];
  const groupName = first?.group && !/^\d+$/.test(first.group) ? first.group : 'render';
  const modeNote = (node: RenderNode): string => (node.mode !== undefined ? `, mode ${octal(node.mode)}` : '');
  const detail =
    wrong.map((node) => `${node.path} belongs to gid ${node.gid} (${node.group})${modeNote(node)}`).join('; ') +
    `, but the containers expect gid ${expectedGid}${first?.mode !== undefined ? ', and the mode lets only that group in (a udev rule changed NixOS\'s default 0666)' : ''}.`;
  const defaultNote = first?.gid === NIXOS_RENDER_GID ? ` ${NIXOS_RENDER_GID} is the gid NixOS gives render by default: the configuration does not force ${expectedGid}, or it came too late.` : '';
  return check(
    ID,
    'fail',
    detail + defaultNote,
    `Declare users.groups.${groupName}.gid = lib.mkForce ${expectedGid}; (a plain value conflicts with the NixOS default, lib.mkDefault is ignored). ` +
      `NixOS does not change the gid of a group that already exists in /etc/group, so if the setting is already there: run "sudo groupmod -g ${expectedGid} ${groupName}" and reboot (udev then gives the device the new gid), ` +
      'or reinstall with the setting present from the first activation.' +
      (first?.mode !== undefined ? ' Alternatively drop the udev rule that restricts the mode: NixOS alone leaves render nodes 0666, which every container can open.' : ''),
  );
}
