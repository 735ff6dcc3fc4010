/**
 * Realistic verify-script output, section by section, as a NixOS 24.11 homelab prints it. Tests start from the
 * healthy host and replace the sections they are about.
 */
import type { VerifyExpectation } from '../../../../src/core/verify';

export interface SectionOutput {
  body: string;
  rc: number;
}

export const NIXOS_OS_RELEASE = `ANSI_COLOR="1;34"
BUG_REPORT_URL="https://github.com/NixOS/nixpkgs/issues"
BUILD_ID="24.11.711815.8f3e1f807051"
CPE_NAME="cpe:/o:nixos:nixos:24.11"
DEFAULT_HOSTNAME=nixos
DOCUMENTATION_URL="https://nixos.org/learn.html"
HOME_URL="https://nixos.org/"
ID=nixos
IMAGE_ID=""
IMAGE_VERSION=""
LOGO="nix-snowflake"
NAME=NixOS
PRETTY_NAME="NixOS 24.11 (Vicuna)"
SUPPORT_END="2025-06-30"
SUPPORT_URL="https://nixos.org/community.html"
VARIANT=""
VARIANT_ID=""
VENDOR_NAME=NixOS
VENDOR_URL="https://nixos.org/"
VERSION="24.11 (Vicuna)"
VERSION_CODENAME=vicuna
VERSION_ID="24.11"`;

export const DEBIAN_OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"`;

export const HEALTHY_FINDMNT = `{
   "filesystems": [
      {
         "target": "/",
         "source": "/dev/nvme0n1p2",
         "fstype": "ext4",
         "uuid": "3f1c2a9e-7b4d-4e0a-9f51-2c8d6e7a1b90",
         "options": "rw,relatime",
         "children": [
            {
               "target": "/boot",
               "source": "/dev/nvme0n1p1",
               "fstype": "vfat",
               "uuid": "8A1C-3F2E",
               "options": "rw,relatime,fmask=0022,dmask=0022,codepage=437,iocharset=iso8859-1,shortname=mixed,errors=remount-ro"
            },{
               "target": "/mnt/PlexStorage",
               "source": "/dev/sda1",
               "fstype": "ext4",
               "uuid": "d2b7c6e1-5a0f-4c3b-8e9d-1f2a3b4c5d6e",
               "options": "rw,noatime"
            },{
               "target": "/mnt/Backups",
               "source": "/dev/sdb1",
               "fstype": "btrfs",
               "uuid": null,
               "options": "rw,noatime,compress=zstd:3,space_cache=v2,subvolid=5,subvol=/"
            }
         ]
      }
   ]
}`;

export function healthySections(): Map<string, SectionOutput> {
  return new Map<string, SectionOutput>([
    ['uname', { body: 'Linux', rc: 0 }],
    ['os-release', { body: NIXOS_OS_RELEASE, rc: 0 }],
    ['render-nodes', { body: '666 110 render /dev/dri/renderD128', rc: 0 }],
    ['docker', { body: 'active', rc: 0 }],
    [
      'autostart',
      {
        body: [
          'Result=success',
          'ExecMainStartTimestamp=Sat 2025-03-01 10:12:03 CET',
          'ExecMainStatus=0',
          'LoadState=loaded',
          'ActiveState=active',
          'SubState=exited',
        ].join('\n'),
        rc: 0,
      },
    ],
    [
      'autostart-journal',
      {
        body: [
          'Mar 01 10:12:03 homelab systemd[1]: Starting Start the docker compose stacks...',
          'Mar 01 10:12:41 homelab homelab-autostart-start[1412]:  Container plex  Started',
          'Mar 01 10:12:41 homelab systemd[1]: Finished Start the docker compose stacks.',
        ].join('\n'),
        rc: 0,
      },
    ],
    ['findmnt', { body: HEALTHY_FINDMNT, rc: 0 }],
    ['passwd:palav', { body: 'palav:x:1000:100:Palav:/home/palav:/run/current-system/sw/bin/bash', rc: 0 }],
    ['group:110', { body: 'render:x:110:palav', rc: 0 }],
    ['group:100', { body: 'users:x:100:palav', rc: 0 }],
  ]);
}

/** Renders sections exactly as the script's `section` function prints them, with a login banner before. */
export function renderOutput(sections: Map<string, SectionOutput>): string {
  let out = 'Welcome to homelab!\n';
  for (const [name, { body, rc }] of sections) {
    out += `===NIXOS-HOMELAB-BEGIN ${name}===\n`;
    if (body !== '') out += `${body}\n`;
    out += `===NIXOS-HOMELAB-END ${name} rc=${rc}===\n`;
  }
  return out;
}

export function homelabExpectation(): VerifyExpectation {
  return {
    renderGid: 110,
    users: [{ name: 'palav', uid: 1000 }],
    groups: [{ name: 'render', gid: 110 }, { name: 'users', gid: 100 }],
    mounts: [{ mountpoint: '/mnt/PlexStorage', uuid: 'd2b7c6e1-5a0f-4c3b-8e9d-1f2a3b4c5d6e' }, { mountpoint: '/mnt/Backups', uuid: '5e0c4d1a-9b7f-4a2e-8c3d-6f1b2a9e0d47' }],
    autostartUnit: 'homelab-autostart.service',
  };
}
