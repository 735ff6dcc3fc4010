import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDri } from '../../../../src/core/host/dri';
import { displayControllerLines, parseLspci } from '../../../../src/core/host/lspci';
import { parseOsRelease } from '../../../../src/core/host/osRelease';
import { fixture, NIXOS_HOST, POP_OS_SNAPSHOT, UBUNTU_HOST } from './hostFixtures';

test('dri: ls -ln /dev/dri keeps char devices, skips total and by-path', () => {
  const { value, warnings } = parseDri(fixture(POP_OS_SNAPSHOT, 'dri.txt'));
  assert.deepEqual(warnings, []);
  assert.deepEqual(value, [
    { node: 'card0', uid: 0, gid: 44, mode: 'crw-rw----+' },
    { node: 'card1', uid: 0, gid: 44, mode: 'crw-rw----+' },
    { node: 'renderD128', uid: 0, gid: 110, mode: 'crw-rw----+' },
    { node: 'renderD129', uid: 0, gid: 110, mode: 'crw-rw----+' },
  ]);
});

test('dri: ISO dates and old-year dates', () => {
  assert.deepEqual(parseDri(fixture(UBUNTU_HOST, 'dri.txt')).value.map((n) => [n.node, n.gid]), [['card1', 44], ['renderD128', 993]]);
  assert.deepEqual(parseDri(fixture(NIXOS_HOST, 'dri.txt')).value.map((n) => [n.node, n.gid, n.mode]), [['card0', 26, 'crw-rw----+'], ['renderD128', 303, 'crw-rw-rw-']]);
});

test('dri: ls -l with names resolves through the given resolver, unknown names are warnings', () => {
  const text = 'crw-rw----+ 1 root video  226,   0 Mar  8 09:12 card0\ncrw-rw----+ 1 root render 226, 128 Mar  8 09:12 renderD128\n';
  const { value, warnings } = parseDri(text, (name) => (name === 'video' ? 44 : undefined));
  assert.deepEqual(value, [{ node: 'card0', uid: 0, gid: 44, mode: 'crw-rw----+' }]);
  assert.match(warnings[0]?.message ?? '', /renderD128/);
  assert.equal(warnings[0]?.line, 2);
});

test('lspci -nn: Intel iGPU and NVIDIA dGPU, vendors from PCI ids', () => {
  const { value } = parseLspci(fixture(POP_OS_SNAPSHOT, 'gpu.txt'));
  assert.deepEqual(value, [
    { slot: '00:02.0', vendor: 'intel', vendorId: '8086', deviceId: '4680', description: 'Intel Corporation AlderLake-S GT1' },
    { slot: '01:00.0', vendor: 'nvidia', vendorId: '10de', deviceId: '2504', description: 'NVIDIA Corporation GA106 [GeForce RTX 3060 Lite Hash Rate]' },
  ]);
});

test('lspci -nn: full listing keeps only display controllers (AMD, 3D controller, domain prefix)', () => {
  assert.deepEqual(parseLspci(fixture(UBUNTU_HOST, 'gpu.txt')).value.map((g) => [g.slot, g.vendor, g.deviceId]), [['03:00.0', 'amd', '73ff']]);
  const text = [
    '0000:65:00.0 3D controller [0302]: NVIDIA Corporation GA102GL [A10] [10de:2236] (rev a1)',
    '0000:00:02.0 Display controller [0380]: Intel Corporation Device [8086:a7a0] (rev 04)',
    '0000:00:1f.3 Audio device [0403]: Intel Corporation Device [8086:51c8] (rev 01)',
  ].join('\n');
  assert.deepEqual(parseLspci(text).value.map((g) => [g.slot, g.vendor]), [['0000:65:00.0', 'nvidia'], ['0000:00:02.0', 'intel']]);
  assert.equal(displayControllerLines(text).split('\n').filter(Boolean).length, 2);
});

test('lspci without -nn: class and vendor read from names', () => {
  const { value } = parseLspci('00:02.0 VGA compatible controller: Intel Corporation UHD Graphics 630 (rev 02)\n00:14.0 USB controller: Intel Corporation Device\n');
  assert.deepEqual(value, [{ slot: '00:02.0', vendor: 'intel', description: 'Intel Corporation UHD Graphics 630' }]);
});

test('os-release: quoted and unquoted values', () => {
  assert.deepEqual(parseOsRelease(fixture(POP_OS_SNAPSHOT, 'os-release.txt')).value, { id: 'pop', versionId: '22.04', prettyName: 'Pop!_OS 22.04 LTS' });
  assert.deepEqual(parseOsRelease(fixture(NIXOS_HOST, 'os-release.txt')).value, { id: 'nixos', versionId: '24.11', prettyName: 'NixOS 24.11 (Vicuna)' });
  assert.deepEqual(parseOsRelease("ID='arch'\nPRETTY_NAME=\"Say \\\"hi\\\"\"\n").value, { id: 'arch', prettyName: 'Say "hi"' });
  assert.equal(parseOsRelease('').warnings.length, 1);
});
