import { firstLine, unreadableSection } from './checkHelpers';
import type { ExpectedMount } from './expectation';
import { check, type VerifyCheck } from './report';
import { SectionName, type Section } from './sections';

interface MountedFs {
  target: string;
  source: string;
  fstype: string;
  uuid?: string;
}

/** `mount:<mp>` for each expected mount: something is mounted there, and from the expected UUID when known. */
export function checkMounts(sections: Map<string, Section>, mounts: readonly ExpectedMount[]): VerifyCheck[] {
  if (mounts.length === 0) return [];
  const section = sections.get(SectionName.mounts);
  const command = 'findmnt -J -o TARGET,SOURCE,FSTYPE,UUID,OPTIONS';
  const parsed = section && section.rc === 0 ? parseFindmnt(section.body) : undefined;

  return mounts.map((mount) => {
    const id = `mount:${mount.mountpoint}`;
    const problem = unreadableSection(id, section, command);
    if (problem) return problem;
    if (!parsed) return check(id, 'unknown', `Could not read the mount table: ${firstLine(section?.body ?? '') || 'unexpected output'}.`);
    return checkOneMount(id, mount, parsed);
  });
}

function checkOneMount(id: string, mount: ExpectedMount, mounted: readonly MountedFs[]): VerifyCheck {
  const mountpoint = stripTrailingSlash(mount.mountpoint);
  // With stacked mounts the last one listed is the one in effect.
  const found = mounted.filter((fs) => fs.target === mountpoint).pop();
  if (!found) {
    const device = mount.uuid ? `/dev/disk/by-uuid/${mount.uuid}` : '/dev/disk/by-uuid/…';
    return check(
      id,
      'fail',
      `Nothing is mounted at ${mountpoint}: containers bind-mounting it would write into the root filesystem.`,
      `Declare fileSystems."${mountpoint}" = { device = "${device}"; fsType = "…"; options = [ "nofail" ]; }; and run sudo nixos-rebuild switch; ` +
        `if it is declared, "systemctl status ${mountUnitName(mountpoint)}" says why it did not mount.`,
    );
  }
  const where = `${found.source} (${found.fstype})`;
  if (!mount.uuid) return check(id, 'pass', `${mountpoint} is mounted from ${where}.`);

  const expected = mount.uuid.toLowerCase();
  const actual = found.uuid?.toLowerCase() ?? uuidFromSource(found.source);
  if (actual === undefined) return check(id, 'pass', `${mountpoint} is mounted from ${where}; its UUID is not readable without root, so it was not compared.`);
  if (actual === expected) return check(id, 'pass', `${mountpoint} is mounted from ${where}, UUID ${mount.uuid}.`);
  return check(
    id,
    'fail',
    `${mountpoint} is mounted from ${where} with UUID ${actual}, but the old host had UUID ${mount.uuid} there.`,
    `Check fileSystems."${mountpoint}".device: it should be /dev/disk/by-uuid/${mount.uuid} ("lsblk -f" lists the disks and their UUIDs).`,
  );
}

/** Flattens `findmnt -J` output (a tree under `filesystems`); undefined when it is not that JSON. */
export function parseFindmnt(text: string): MountedFs[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(json) || !Array.isArray(json.filesystems)) return undefined;
  const out: MountedFs[] = [];
  const visit = (nodes: unknown[]): void => {
    for (const node of nodes) {
      if (!isRecord(node) || typeof node.target !== 'string') continue;
      const fs: MountedFs = {
        target: node.target,
        source: typeof node.source === 'string' ? node.source : '',
        fstype: typeof node.fstype === 'string' ? node.fstype : '',
      };
      if (typeof node.uuid === 'string' && node.uuid !== '') fs.uuid = node.uuid;
      out.push(fs);
      if (Array.isArray(node.children)) visit(node.children);
    }
  };
  visit(json.filesystems);
  return out;
}

function uuidFromSource(source: string): string | undefined {
  const match = /^(?:\/dev\/disk\/by-uuid\/|UUID=)(.+)$/.exec(source);
  return match?.[1]?.toLowerCase();
}

function stripTrailingSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** systemd's unit name for a mount point (`systemd-escape --path --suffix=mount`). */
export function mountUnitName(mountpoint: string): string {
  const trimmed = mountpoint.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '-.mount';
  const escaped = trimmed
    .split(/\/+/)
    .map((part) =>
      Array.from(part)
        .map((ch, i) => (/[A-Za-z0-9:_]/.test(ch) || (ch === '.' && i > 0) ? ch : escapeByte(ch)))
        .join(''),
    )
    .join('-');
  return `${escaped}.mount`;
}

function escapeByte(ch: string): string {
  return Array.from(new TextEncoder().encode(ch))
    .map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`)
    .join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
