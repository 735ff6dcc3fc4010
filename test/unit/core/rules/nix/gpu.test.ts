import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initNixParser } from '../../../../../src/core/nix/syntax';
import { loadSnapshotFromFiles } from '../../../../../src/core/host';
import { assertAllParse, ENTRY, findingsOf, fixesFor, applyFix, lintNix, rangeText, fixChecker } from './nixRuleFixture';
import { said } from '../said';

/** An old host with a Turing card (takes the open kernel modules), and one with a Pascal card (does not). */
const gpuSnapshot = (line: string) => loadSnapshotFromFiles(new Map([['gpu.txt', line]])).snapshot;
const TURING = gpuSnapshot('01:00.0 VGA compatible controller [0300]: NVIDIA Corporation TU104 [GeForce RTX 2080] [10de:1e82] (rev a1)\n');
const PASCAL = gpuSnapshot('01:00.0 VGA compatible controller [0300]: NVIDIA Corporation GP104 [GeForce GTX 1080] [10de:1b80] (rev a1)\n');

before(async () => {
  await initNixParser();
});

const { fixedText, results: fixed } = fixChecker();

const OPENGL_BLOCK = '{ config, pkgs, ... }:\n{\n  hardware.opengl = {\n    enable = true;\n    driSupport = true;\n    driSupport32Bit = true;\n    extraPackages = [ pkgs.intel-media-driver ];\n  };\n}\n';

test('opengl-renamed: only from 24.11; one finding per binding naming opengl; error with driSupport', () => {
  assert.equal(findingsOf(OPENGL_BLOCK, 'opengl-renamed', { release: '24.05' }).length, 0);
  const [finding, ...rest] = findingsOf(OPENGL_BLOCK, 'opengl-renamed', { release: '24.11' });
  assert.ok(finding);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'error');
  assert.equal(rangeText(OPENGL_BLOCK, finding.range), 'hardware.opengl');
  assert.match(said(finding), /driSupport` was removed/);
  assert.match(said(finding), /enable32Bit/);

  const plain = '{ hardware.opengl.enable = true; hardware.opengl.extraPackages = [ ]; }';
  const findings = findingsOf(plain, 'opengl-renamed', { release: '25.05' });
  assert.deepEqual(findings.map((f) => [f.severity, rangeText(plain, f.range)]), [['warning', 'hardware.opengl.enable'], ['warning', 'hardware.opengl.extraPackages']]);
  assert.equal(findingsOf('{ hardware.graphics.enable = true; }', 'opengl-renamed').length, 0);
});

test('opengl-renamed fix: nested block renamed, driSupport dropped, driSupport32Bit → enable32Bit', () => {
  assert.equal(
    fixedText(OPENGL_BLOCK, 'opengl-renamed'),
    '{ config, pkgs, ... }:\n{\n  hardware.graphics = {\n    enable = true;\n    enable32Bit = true;\n    extraPackages = [ pkgs.intel-media-driver ];\n  };\n}\n',
  );
  assert.equal(
    fixedText('{\n  hardware = {\n    opengl.enable = true;\n    cpu.intel.updateMicrocode = true;\n  };\n}\n', 'opengl-renamed'),
    '{\n  hardware = {\n    graphics.enable = true;\n    cpu.intel.updateMicrocode = true;\n  };\n}\n',
  );
});

test('opengl-renamed fix: dotted forms, one binding at a time', () => {
  let files: Record<string, string> = { [ENTRY]: '{\n  hardware.opengl.enable = true;\n  hardware.opengl.driSupport = true; # for Steam\n  hardware.opengl.driSupport32Bit = true;\n}\n' };
  for (let round = 0; round < 5; round++) {
    const { findings, nix } = lintNix(files);
    const finding = findings.find((f) => f.code === 'opengl-renamed');
    if (!finding) break;
    const [fix] = fixesFor(finding, nix, files);
    assert.ok(fix);
    files = applyFix(files, fix);
  }
  assert.equal(files[ENTRY], '{\n  hardware.graphics.enable = true;\n  hardware.graphics.enable32Bit = true;\n}\n');
  fixed.push(files[ENTRY] as string);
});

const NVIDIA = '{ config, ... }:\n{\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia = {\n    modesetting.enable = true;\n  };\n}\n';

test('nvidia-open-unset: from 24.11, on the videoDrivers value; not when open is set', () => {
  assert.equal(findingsOf(NVIDIA, 'nvidia-open-unset', { release: '24.05' }).length, 0);
  const [finding] = findingsOf(NVIDIA, 'nvidia-open-unset', { release: '24.11' });
  assert.ok(finding);
  assert.equal(finding.severity, 'error');
  assert.equal(rangeText(NVIDIA, finding.range), '[ "nvidia" ]');
  assert.equal(findingsOf('{ hardware.nvidia.open = false; services.xserver.videoDrivers = [ "nvidia" ]; }', 'nvidia-open-unset').length, 0);
  assert.equal(findingsOf('{ services.xserver.videoDrivers = [ "amdgpu" ]; }', 'nvidia-open-unset').length, 0);
  // Without "nvidia" in videoDrivers the NVIDIA module does not apply, so neither does its assertion.
  assert.equal(findingsOf('{ hardware.nvidia.package = null; }', 'nvidia-open-unset').length, 0);
});

test('nvidia-open-unset fixes: open = true and open = false, inside hardware.nvidia; the old host\'s GPU decides which is preferred', () => {
  const { findings, nix, files } = lintNix(NVIDIA, { snapshot: TURING });
  const finding = findings.find((f) => f.code === 'nvidia-open-unset');
  assert.ok(finding);
  const fixes = fixesFor(finding, nix, files);
  assert.deepEqual(fixes.map((fix) => fix.preferred), [true, false]);
  const pascal = lintNix(NVIDIA, { snapshot: PASCAL });
  const pascalFinding = pascal.findings.find((f) => f.code === 'nvidia-open-unset');
  assert.ok(pascalFinding);
  assert.deepEqual(fixesFor(pascalFinding, pascal.nix, pascal.files).map((fix) => fix.preferred), [false, true]);
  // Without GPU data both are offered and neither is preferred: the fix never chooses for the user.
  const unknown = lintNix(NVIDIA);
  const unknownFinding = unknown.findings.find((f) => f.code === 'nvidia-open-unset');
  assert.ok(unknownFinding);
  assert.match(said(unknownFinding), /no fix picks it for you/);
  assert.deepEqual(fixesFor(unknownFinding, unknown.nix, unknown.files).map((fix) => fix.preferred), [false, false]);
  const results = fixes.map((fix) => applyFix(files, fix)[ENTRY] as string);
  assert.equal(results[0], '{ config, ... }:\n{\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia = {\n    modesetting.enable = true;\n    open = true;\n  };\n}\n');
  assert.equal(results[1], results[0]?.replace('open = true', 'open = false'));
  for (const result of results) assert.equal(findingsOf(result, 'nvidia-open-unset').length, 0);
  fixed.push(...results);
  // Without a hardware.nvidia set: a new line at the end of the module.
  assert.equal(
    fixedText('{\n  services.xserver.videoDrivers = [ "nvidia" ];\n}\n', 'nvidia-open-unset', { snapshot: TURING }),
    '{\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia.open = true;\n}\n',
  );
  // Next to a dotted sibling.
  assert.equal(
    fixedText('{\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia.modesetting.enable = true;\n  networking.hostName = "x";\n}\n', 'nvidia-open-unset', { snapshot: TURING }),
    '{\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia.modesetting.enable = true;\n  hardware.nvidia.open = true;\n  networking.hostName = "x";\n}\n',
  );
});

test('docker-enable-nvidia-deprecated: from 24.05, not when false', () => {
  const text = '{\n  virtualisation.docker.enableNvidia = true;\n}\n';
  assert.equal(findingsOf(text, 'docker-enable-nvidia-deprecated', { release: '23.11' }).length, 0);
  const [finding] = findingsOf(text, 'docker-enable-nvidia-deprecated', { release: '24.05' });
  assert.equal(finding?.severity, 'warning');
  assert.equal(rangeText(text, finding!.range), 'virtualisation.docker.enableNvidia');
  assert.equal(findingsOf('{ virtualisation.docker.enableNvidia = false; }', 'docker-enable-nvidia-deprecated').length, 0);
});

test('docker-enable-nvidia-deprecated fix: replaced in place, or moved out of the docker set', () => {
  assert.equal(
    fixedText('{\n  services.xserver.videoDrivers = [ "nvidia" ];\n  virtualisation.docker.enableNvidia = true;\n}\n', 'docker-enable-nvidia-deprecated'),
    '{\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia-container-toolkit.enable = true;\n}\n',
  );
  assert.equal(
    fixedText('{\n  hardware.nvidia.open = true;\n  virtualisation.docker = {\n    enable = true;\n    enableNvidia = true;\n  };\n}\n', 'docker-enable-nvidia-deprecated'),
    '{\n  hardware.nvidia.open = true;\n  hardware.nvidia-container-toolkit.enable = true;\n  virtualisation.docker = {\n    enable = true;\n  };\n}\n',
  );
  // The toolkit is already on: only the old option goes.
  assert.equal(
    fixedText('{\n  hardware.nvidia-container-toolkit.enable = true;\n  virtualisation.docker.enableNvidia = true;\n}\n', 'docker-enable-nvidia-deprecated'),
    '{\n  hardware.nvidia-container-toolkit.enable = true;\n}\n',
  );
});

test('toolkit-without-nvidia-driver: fires without "nvidia"; not with it, suppressed, or datacenter', () => {
  const text = '{\n  hardware.nvidia-container-toolkit.enable = true;\n}\n';
  const [finding] = findingsOf(text, 'toolkit-without-nvidia-driver');
  assert.equal(finding?.severity, 'error');
  assert.equal(rangeText(text, finding!.range), 'hardware.nvidia-container-toolkit.enable');
  assert.equal(findingsOf('{ hardware.nvidia-container-toolkit.enable = true; services.xserver.videoDrivers = [ "nvidia" ]; }', 'toolkit-without-nvidia-driver').length, 0);
  assert.equal(findingsOf('{ hardware.nvidia-container-toolkit = { enable = true; suppressNvidiaDriverAssertion = true; }; }', 'toolkit-without-nvidia-driver').length, 0);
  assert.equal(findingsOf('{ hardware.nvidia-container-toolkit.enable = true; hardware.nvidia.datacenter.enable = true; }', 'toolkit-without-nvidia-driver').length, 0);
  assert.equal(findingsOf('{ hardware.nvidia-container-toolkit.enable = false; }', 'toolkit-without-nvidia-driver').length, 0);
});

test('toolkit-without-nvidia-driver fix: appends to videoDrivers, or declares it', () => {
  assert.equal(
    fixedText('{\n  services.xserver.videoDrivers = [ "modesetting" ];\n  hardware.nvidia-container-toolkit.enable = true;\n  hardware.nvidia.open = true;\n}\n', 'toolkit-without-nvidia-driver'),
    '{\n  services.xserver.videoDrivers = [ "modesetting" "nvidia" ];\n  hardware.nvidia-container-toolkit.enable = true;\n  hardware.nvidia.open = true;\n}\n',
  );
  assert.equal(
    fixedText('{\n  services.xserver = {\n    enable = false;\n    videoDrivers = [\n      "modesetting"\n    ];\n  };\n  hardware.nvidia-container-toolkit.enable = true;\n  hardware.nvidia.open = true;\n}\n', 'toolkit-without-nvidia-driver'),
    '{\n  services.xserver = {\n    enable = false;\n    videoDrivers = [\n      "modesetting"\n      "nvidia"\n    ];\n  };\n  hardware.nvidia-container-toolkit.enable = true;\n  hardware.nvidia.open = true;\n}\n',
  );
  assert.equal(
    fixedText('{\n  hardware.nvidia-container-toolkit.enable = true;\n  hardware.nvidia.open = true;\n}\n', 'toolkit-without-nvidia-driver'),
    '{\n  hardware.nvidia-container-toolkit.enable = true;\n  hardware.nvidia.open = true;\n  services.xserver.videoDrivers = [ "nvidia" ];\n}\n',
  );
});

test('every fixed text parses (one nix-instantiate call)', () => {
  assert.ok(fixed.length >= 10);
  assertAllParse(fixed);
});
