import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initNixParser } from '../../../../../src/core/nix/syntax';
import { loadSnapshotFromFiles } from '../../../../../src/core/host';
import { assertAllParse, findingsOf, fixChecker, rangeText } from './nixRuleFixture';
import { said } from '../said';

before(async () => {
  await initNixParser();
});

const { fixedText, results: fixed } = fixChecker();

after(() => {
  assertAllParse(fixed);
});

test('nvidia-open-unset: only with "nvidia" in videoDrivers, from 24.11, on the videoDrivers value', () => {
  const text = '{\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia.modesetting.enable = true;\n}\n';
  assert.equal(findingsOf(text, 'nvidia-open-unset', { release: '24.05' }).length, 0);
  const [finding, ...rest] = findingsOf(text, 'nvidia-open-unset', { release: '24.11' });
  assert.ok(finding);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'error');
  assert.equal(rangeText(text, finding.range), '[ "nvidia" ]');
  assert.match(said(finding), /You must configure `hardware.nvidia.open` on NVIDIA driver versions >= 560/);
});

test('nvidia-open-unset: quiet for modesetting alone, other hardware.nvidia options, the datacenter driver, open set, legacy packages', () => {
  for (const text of [
    '{ hardware.nvidia.modesetting.enable = true; }',
    '{ hardware.nvidia.package = null; hardware.nvidia.powerManagement.enable = true; }',
    '{ hardware.nvidia.datacenter.enable = true; }',
    '{ hardware.nvidia.open = false; services.xserver.videoDrivers = [ "nvidia" ]; }',
    '{ services.xserver.videoDrivers = [ "amdgpu" ]; }',
    '{ config, ... }: { services.xserver.videoDrivers = [ "nvidia" ]; hardware.nvidia.package = config.boot.kernelPackages.nvidiaPackages.legacy_470; }',
  ]) {
    assert.equal(findingsOf(text, 'nvidia-open-unset', { release: '25.11' }).length, 0, text);
  }
});

test('nvidia-open-unset fix: open = true (an RTX card on the old host) is added near the driver selection and parses', () => {
  const turing = loadSnapshotFromFiles(new Map([['gpu.txt', '01:00.0 VGA compatible controller [0300]: NVIDIA Corporation GA102 [GeForce RTX 3090] [10de:2204] (rev a1)\n']])).snapshot;
  assert.equal(
    fixedText('{\n  services.xserver.videoDrivers = [ "nvidia" ];\n}\n', 'nvidia-open-unset', { snapshot: turing }),
    '{\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia.open = true;\n}\n',
  );
});

test('nvidia-driver-not-loaded: hardware.nvidia.* without the driver selected', () => {
  const text = '{\n  hardware.nvidia = {\n    modesetting.enable = true;\n    open = true;\n  };\n}\n';
  const [finding, ...rest] = findingsOf(text, 'nvidia-driver-not-loaded');
  assert.ok(finding);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'error');
  assert.equal(rangeText(text, finding.range), 'hardware.nvidia');
  assert.match(said(finding), /no NVIDIA kernel module is loaded/);
  const withOtherDriver = '{\n  services.xserver.videoDrivers = [ "modesetting" ];\n  hardware.nvidia.modesetting.enable = true;\n}\n';
  const [other] = findingsOf(withOtherDriver, 'nvidia-driver-not-loaded');
  assert.equal(other?.related.length, 1);
});

test('nvidia-driver-not-loaded: quiet with "nvidia", the datacenter driver, an unreadable list, the toolkit (its own rule), or only under mkIf', () => {
  for (const text of [
    '{ services.xserver.videoDrivers = [ "nvidia" ]; hardware.nvidia.open = true; }',
    '{ hardware.nvidia.datacenter.enable = true; hardware.nvidia.open = true; }',
    '{ drivers, ... }: { services.xserver.videoDrivers = drivers; hardware.nvidia.open = true; }',
    '{ hardware.nvidia-container-toolkit.enable = true; hardware.nvidia.open = true; }',
    '{ lib, config, ... }: { hardware.nvidia = lib.mkIf config.my.gpu { open = true; }; }',
    '{ services.xserver.videoDrivers = [ "amdgpu" ]; }',
  ]) {
    assert.equal(findingsOf(text, 'nvidia-driver-not-loaded').length, 0, text);
  }
});

test('nvidia-driver-not-loaded fix: "nvidia" appended to videoDrivers, or the option declared', () => {
  assert.equal(
    fixedText('{\n  services.xserver.videoDrivers = [ "modesetting" ];\n  hardware.nvidia.open = true;\n}\n', 'nvidia-driver-not-loaded'),
    '{\n  services.xserver.videoDrivers = [ "modesetting" "nvidia" ];\n  hardware.nvidia.open = true;\n}\n',
  );
  const declared = fixedText('{\n  hardware.nvidia.open = true;\n}\n', 'nvidia-driver-not-loaded');
  assert.match(declared, /services\.xserver\.videoDrivers = \[ "nvidia" \];/);
});
