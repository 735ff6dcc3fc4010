import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initNixParser } from '../../../../../src/core/nix/syntax';
import { applyFix, assertAllParse, ENTRY, findingsOf, fixChecker, fixesFor, lintNix, rangeText } from './nixRuleFixture';
import { said } from '../said';

before(async () => {
  await initNixParser();
});

const { fixedText, results: fixed } = fixChecker();

after(() => {
  assertAllParse(fixed);
});

// docker-execstart-override

const DOCKER_SETTINGS = '  virtualisation.docker.enable = true;\n  virtualisation.docker.daemon.settings.log-opts.max-size = "10m";\n';

test('docker-execstart-override: a forced ExecStart without --config-file, with daemon settings to lose', () => {
  const text = `{ lib, pkgs, ... }:\n{\n${DOCKER_SETTINGS}  systemd.services.docker.serviceConfig.ExecStart = lib.mkForce "\${pkgs.docker}/bin/dockerd -H fd://";\n}\n`;
  const [finding, ...rest] = findingsOf(text, 'docker-execstart-override');
  assert.ok(finding);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(rangeText(text, finding.range), 'systemd.services.docker.serviceConfig.ExecStart');
  assert.match(said(finding), /replaces the one NixOS writes/);
  assert.match(said(finding), /virtualisation\.docker\.daemon\.settings/);
});

test('docker-execstart-override: a plain (unforced) list is merged with NixOS\'s command, which is said', () => {
  const text = `{\n${DOCKER_SETTINGS}  systemd.services.docker.serviceConfig.ExecStart = [ "" "/run/current-system/sw/bin/dockerd" ];\n}\n`;
  const [finding] = findingsOf(text, 'docker-execstart-override');
  assert.match(said(finding), /Type=notify/);
});

test('docker-execstart-override: quiet with --config-file, without anything to lose, without Docker, or unreadable', () => {
  const quiet = [
    `{\n${DOCKER_SETTINGS}  systemd.services.docker.serviceConfig.ExecStart = [ "" "dockerd --config-file=/etc/docker/daemon.json" ];\n}\n`,
    '{\n  virtualisation.docker.enable = true;\n  systemd.services.docker.serviceConfig.ExecStart = [ "" "dockerd" ];\n}\n',
    '{\n  virtualisation.docker.daemon.settings.debug = true;\n  systemd.services.docker.serviceConfig.ExecStart = [ "" "dockerd" ];\n}\n',
    `{ cmd, ... }: {\n${DOCKER_SETTINGS}  systemd.services.docker.serviceConfig.ExecStart = cmd;\n}\n`,
  ];
  for (const text of quiet) assert.equal(findingsOf(text, 'docker-execstart-override').length, 0, text);
  // The toolkit's CDI switch counts as something lost.
  const toolkit = '{\n  virtualisation.docker.enable = true;\n  hardware.nvidia-container-toolkit.enable = true;\n  systemd.services.docker.serviceConfig.ExecStart = [ "" "dockerd" ];\n}\n';
  assert.match(said(findingsOf(toolkit, 'docker-execstart-override')[0]), /features\.cdi/);
});

// docker-package-insecure

test('docker-package-insecure: a plain virtualisation.docker.enable on 25.11 only', () => {
  const text = '{ pkgs, ... }:\n{\n  virtualisation.docker.enable = true;\n}\n';
  const [finding] = findingsOf(text, 'docker-package-insecure', { release: '25.11' });
  assert.ok(finding);
  assert.equal(finding.severity, 'warning');
  assert.equal(rangeText(text, finding.range), 'virtualisation.docker.enable');
  assert.match(said(finding), /docker_28 has been unmaintained since November 2025/);
  for (const release of ['24.11', '25.05', '26.05']) assert.equal(findingsOf(text, 'docker-package-insecure', { release }).length, 0, release);
  // An unknown release counts as the newest known one (25.11).
  assert.equal(findingsOf(text, 'docker-package-insecure', { release: 'unstable' }).length, 1);
});

test('docker-package-insecure: quiet with another package, the insecure one permitted, or Docker off; an explicit docker_28 is reported', () => {
  for (const text of [
    '{ pkgs, ... }: { virtualisation.docker.enable = true; virtualisation.docker.package = pkgs.docker_29; }',
    '{ virtualisation.docker.enable = true; nixpkgs.config.permittedInsecurePackages = [ "docker-28.5.2" ]; }',
    '{ virtualisation.docker.enable = false; }',
  ]) {
    assert.equal(findingsOf(text, 'docker-package-insecure', { release: '25.11' }).length, 0, text);
  }
  const explicit = '{ pkgs, ... }:\n{\n  virtualisation.docker.enable = true;\n  virtualisation.docker.package = pkgs.docker_28;\n}\n';
  const [finding] = findingsOf(explicit, 'docker-package-insecure', { release: '25.11' });
  assert.equal(rangeText(explicit, finding!.range), 'virtualisation.docker.package');
  assert.equal(
    fixedText(explicit, 'docker-package-insecure', { release: '25.11' }),
    '{ pkgs, ... }:\n{\n  virtualisation.docker.enable = true;\n  virtualisation.docker.package = pkgs.docker_29;\n}\n',
  );
});

test('docker-package-insecure fix: the package is declared next to enable, and pkgs bound when missing', () => {
  assert.equal(
    fixedText('{ config, ... }:\n{\n  virtualisation.docker = {\n    enable = true;\n  };\n}\n', 'docker-package-insecure', { release: '25.11' }),
    '{ config, pkgs, ... }:\n{\n  virtualisation.docker = {\n    enable = true;\n    package = pkgs.docker_29;\n  };\n}\n',
  );
  assert.equal(
    fixedText('{\n  virtualisation.docker.enable = true;\n}\n', 'docker-package-insecure', { release: '25.11' }),
    '{ pkgs, ... }:\n{\n  virtualisation.docker.enable = true;\n  virtualisation.docker.package = pkgs.docker_29;\n}\n',
  );
});

// option-renamed

test('option-renamed: from the release that renamed each option, warning; a removed option is an error', () => {
  const text = '{\n  sound.enable = true;\n  hardware.pulseaudio.enable = false;\n  services.openssh.permitRootLogin = "no";\n}\n';
  const on = (release: string): string[] => findingsOf(text, 'option-renamed', { release }).map((f) => `${f.severity} ${rangeText(text, f.range)}`);
  assert.deepEqual(on('24.05'), ['warning services.openssh.permitRootLogin']);
  assert.deepEqual(on('24.11'), ['error sound.enable', 'warning services.openssh.permitRootLogin']);
  assert.deepEqual(on('25.05'), ['error sound.enable', 'warning hardware.pulseaudio.enable', 'warning services.openssh.permitRootLogin']);
  const [sound] = findingsOf(text, 'option-renamed', { release: '24.11' });
  assert.match(said(sound), /heavily overloaded/);
  assert.equal(findingsOf('{ services.pulseaudio.enable = false; }', 'option-renamed').length, 0);
});

test('option-renamed fix: the old segments are renamed in place (dotted, nested, inside a shared set)', () => {
  const options = { release: '25.11' };
  assert.equal(fixedText('{\n  hardware.pulseaudio.enable = false;\n}\n', 'option-renamed', options), '{\n  services.pulseaudio.enable = false;\n}\n');
  assert.equal(
    fixedText('{\n  hardware.pulseaudio = {\n    enable = true;\n    support32Bit = true;\n  };\n}\n', 'option-renamed', options),
    '{\n  services.pulseaudio = {\n    enable = true;\n    support32Bit = true;\n  };\n}\n',
  );
  assert.equal(
    fixedText('{\n  services.openssh = {\n    enable = true;\n    permitRootLogin = "no";\n  };\n}\n', 'option-renamed', options),
    '{\n  services.openssh = {\n    enable = true;\n    settings.PermitRootLogin = "no";\n  };\n}\n',
  );
  assert.equal(
    fixedText('{\n  services.xserver.displayManager.gdm.enable = true;\n}\n', 'option-renamed', options),
    '{\n  services.displayManager.gdm.enable = true;\n}\n',
  );
});

test('option-renamed: a binding inside a set the new name leaves gets no automatic fix; a removal only a non-preferred one', () => {
  const nested = '{\n  services.xserver = {\n    enable = true;\n    desktopManager.gnome.enable = true;\n  };\n}\n';
  const { findings, nix, files } = lintNix(nested, { release: '25.11' });
  const finding = findings.find((f) => f.code === 'option-renamed');
  assert.ok(finding);
  assert.equal(finding.data?.['inPlace'], false);
  assert.match(said(finding), /move it by hand/);
  assert.deepEqual(fixesFor(finding, nix, files), []);

  const removed = '{\n  sound.enable = true;\n  networking.hostName = "x";\n}\n';
  const lint = lintNix(removed, { release: '24.11' });
  const sound = lint.findings.find((f) => f.code === 'option-renamed');
  assert.ok(sound);
  const [fix, ...more] = fixesFor(sound, lint.nix, lint.files);
  assert.ok(fix);
  assert.equal(more.length, 0);
  assert.equal(fix.preferred, false);
  const result = applyFix(lint.files, fix)[ENTRY] as string;
  assert.equal(result, '{\n  networking.hostName = "x";\n}\n');
  fixed.push(result);
});
