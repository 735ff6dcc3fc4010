import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildExtractionScript, describeSection, SectionProgress } from '../../../../src/core/host';

const marker = (name: string): string => `===NIXOS-HOMELAB-BEGIN ${name}===\n`;
const end = (name: string): string => `\n===NIXOS-HOMELAB-END ${name} rc=0===\n`;

test('names each command as its section starts, whatever the chunk boundaries', () => {
  const output = `${marker('uname')}Linux${end('uname')}${marker('lsblk')}NAME FSTYPE\nsda${end('lsblk')}${marker('id-palav')}uid=1000(palav)${end('id-palav')}${marker('group-110')}render:x:110:${end('group-110')}${marker('uid-1001')}x${end('uid-1001')}`;
  const expected = ['uname -s', 'lsblk -f -o NAME,FSTYPE,UUID,MOUNTPOINT', 'id palav', 'getent group 110', 'getent passwd 1001'];
  for (const size of [1, 7, 30, output.length]) {
    const progress = new SectionProgress();
    const steps: string[] = [];
    for (let i = 0; i < output.length; i += size) steps.push(...progress.push(output.slice(i, i + size)));
    assert.deepEqual(steps, expected, `chunks of ${size}`);
  }
});

test('command output that merely contains the marker text mid-line is not a step', () => {
  const progress = new SectionProgress();
  assert.deepEqual(progress.push(`some text ===NIXOS-HOMELAB-BEGIN lsblk===\n${marker('fstab')}`), ['cat /etc/fstab']);
});

test('every section the real script prints is described by its command', () => {
  const script = buildExtractionScript({ users: ['palav'], gids: [110] });
  for (const name of ['uname', 'hostname', 'os-release', 'lsblk', 'lsblk-json', 'fstab', 'id-palav', 'group-110', 'dri', 'gpu']) {
    assert.ok(script.includes(`nh_section ${name} `), name);
    assert.notEqual(describeSection(name), name, name);
  }
});
