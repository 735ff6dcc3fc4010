import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allPassed, evaluateVerify, formatVerifyText, type VerifyReport } from '../../../../src/core/verify';
import { DEBIAN_OS_RELEASE, healthySections, homelabExpectation, renderOutput } from './fixtures';

function byId(report: VerifyReport, id: string) {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
}

test('a healthy NixOS host passes every check', () => {
  const report = evaluateVerify(renderOutput(healthySections()), homelabExpectation(), 'palav@homelab');
  assert.deepEqual(
    report.checks.map((c) => [c.id, c.status]),
    [
      ['os-is-nixos', 'pass'],
      ['render-node-gid', 'pass'],
      ['docker-active', 'pass'],
      ['autostart-unit', 'pass'],
      ['mount:/mnt/PlexStorage', 'pass'],
      ['mount:/mnt/Backups', 'pass'],
      ['user:palav', 'pass'],
      ['group:110', 'pass'],
      ['group:100', 'pass'],
    ],
  );
  assert.equal(report.version, 1);
  assert.equal(report.host, 'palav@homelab');
  assert.ok(allPassed(report));
  assert.equal(byId(report, 'os-is-nixos').detail, 'NixOS 24.11 (Vicuna).');
  assert.equal(byId(report, 'render-node-gid').detail, 'renderD128 is mode 0666 (gid 110 render): every container process can open it, whatever its groups.');
  // findmnt could not read the Backups UUID (null without root): passes on the mount point, says so.
  assert.match(byId(report, 'mount:/mnt/Backups').detail, /UUID is not readable/);
  assert.ok(report.checks.every((c) => c.fix === undefined), 'no fix on passing checks');
  // The JSON form is public: no undefined-valued keys.
  assert.deepEqual(Object.keys(byId(report, 'docker-active')), ['id', 'status', 'detail']);
});

test('render nodes at NixOS\'s default 0666 pass whatever their gid: systemd\'s group-render-mode leaves them world-accessible', () => {
  const sections = healthySections();
  sections.set('render-nodes', { body: '666 303 render /dev/dri/renderD128\n666 303 render /dev/dri/renderD129', rc: 0 });
  const render = byId(evaluateVerify(renderOutput(sections), homelabExpectation()), 'render-node-gid');
  assert.equal(render.status, 'pass');
  assert.equal(render.detail, 'renderD128, renderD129 are mode 0666 (gid 303 render): every container process can open them, whatever its groups.');
});

test('a render node restricted to its group passes only with the containers\' gid', () => {
  const sections = healthySections();
  sections.set('render-nodes', { body: '660 110 render /dev/dri/renderD128', rc: 0 });
  const ok = byId(evaluateVerify(renderOutput(sections), homelabExpectation()), 'render-node-gid');
  assert.equal(ok.status, 'pass');
  assert.equal(ok.detail, 'renderD128 belongs to gid 110 (render), mode 0660.');

  sections.set('render-nodes', { body: '660 303 render /dev/dri/renderD128', rc: 0 });
  const wrong = byId(evaluateVerify(renderOutput(sections), homelabExpectation()), 'render-node-gid');
  assert.equal(wrong.status, 'fail');
  assert.match(wrong.detail, /renderD128 belongs to gid 303 \(render\), mode 0660, but the containers expect gid 110, and the mode lets only that group in/);
  assert.match(wrong.fix ?? '', /lib\.mkForce 110;/);
  assert.match(wrong.fix ?? '', /drop the udev rule that restricts the mode/);
});

test('a render node only root can open fails with the udev advice, not a gid change', () => {
  const sections = healthySections();
  sections.set('render-nodes', { body: '600 110 render /dev/dri/renderD128', rc: 0 });
  const render = byId(evaluateVerify(renderOutput(sections), homelabExpectation()), 'render-node-gid');
  assert.equal(render.status, 'fail');
  assert.match(render.detail, /renderD128 is mode 0600 \(gid 110 render\): only root can open it/);
  assert.match(render.fix ?? '', /udev rule/);
  assert.doesNotMatch(render.fix ?? '', /mkForce/);
});

test('render at the NixOS default 303 instead of 110 (output without the mode) fails with the groupmod and mkForce advice', () => {
  const sections = healthySections();
  sections.set('render-nodes', { body: '303 render /dev/dri/renderD128\n303 render /dev/dri/renderD129', rc: 0 });
  sections.set('group:110', { body: '', rc: 2 });
  const report = evaluateVerify(renderOutput(sections), homelabExpectation());

  const render = byId(report, 'render-node-gid');
  assert.equal(render.status, 'fail');
  assert.match(render.detail, /\/dev\/dri\/renderD128 belongs to gid 303 \(render\).*renderD129.*expect gid 110/);
  assert.match(render.detail, /303 is the gid NixOS gives render by default/);
  assert.match(render.fix ?? '', /users\.groups\.render\.gid = lib\.mkForce 110;/);
  assert.match(render.fix ?? '', /sudo groupmod -g 110 render" and reboot/);
  assert.match(render.fix ?? '', /reinstall/);

  const group = byId(report, 'group:110');
  assert.equal(group.status, 'fail');
  assert.equal(group.detail, 'No group has gid 110 on the host (expected render).');
  assert.match(group.fix ?? '', /lib\.mkForce 110/);
  assert.equal(allPassed(report), false);
});

test('docker inactive fails with the enable advice', () => {
  const sections = healthySections();
  sections.set('docker', { body: 'inactive', rc: 3 });
  const check = byId(evaluateVerify(renderOutput(sections), homelabExpectation()), 'docker-active');
  assert.equal(check.status, 'fail');
  assert.equal(check.detail, 'docker.service is inactive.');
  assert.match(check.fix ?? '', /virtualisation\.docker\.enable = true;/);
});

test('a failed autostart unit fails with the exit status and the last journal lines', () => {
  const sections = healthySections();
  sections.set('autostart', {
    body: 'Result=exit-code\nExecMainStartTimestamp=Sat 2025-03-01 10:12:03 CET\nExecMainStatus=1\nLoadState=loaded\nActiveState=failed\nSubState=failed',
    rc: 0,
  });
  sections.set('autostart-journal', {
    body: [
      'Mar 01 10:12:03 homelab systemd[1]: Starting Start the docker compose stacks...',
      'Mar 01 10:12:04 homelab homelab-autostart-start[1412]: Error response from daemon: invalid mount config for type "bind": bind source path does not exist: /mnt/PlexStorage/media',
      'Mar 01 10:12:04 homelab systemd[1]: homelab-autostart.service: Main process exited, code=exited, status=1/FAILURE',
      'Mar 01 10:12:04 homelab systemd[1]: homelab-autostart.service: Failed with result \'exit-code\'.',
    ].join('\n'),
    rc: 0,
  });
  const check = byId(evaluateVerify(renderOutput(sections), homelabExpectation()), 'autostart-unit');
  assert.equal(check.status, 'fail');
  assert.match(check.detail, /^homelab-autostart\.service failed \(result exit-code, exit status 1\)\./);
  assert.match(check.detail, /bind source path does not exist/);
  assert.doesNotMatch(check.detail, /Starting Start/, 'only the last three lines');
  assert.match(check.fix ?? '', /journalctl -u homelab-autostart\.service -b/);
});

test('autostart: missing unit, never run, and a oneshot that exited successfully', () => {
  const sections = healthySections();
  sections.set('autostart', { body: 'Result=success\nExecMainStartTimestamp=\nExecMainStatus=0\nLoadState=not-found\nActiveState=inactive\nSubState=dead', rc: 0 });
  let check = byId(evaluateVerify(renderOutput(sections), homelabExpectation()), 'autostart-unit');
  assert.equal(check.status, 'fail');
  assert.match(check.fix ?? '', /nixos-homelab generate/);

  sections.set('autostart', { body: 'Result=success\nExecMainStartTimestamp=\nExecMainStatus=0\nLoadState=loaded\nActiveState=inactive\nSubState=dead', rc: 0 });
  check = byId(evaluateVerify(renderOutput(sections), homelabExpectation()), 'autostart-unit');
  assert.equal(check.status, 'fail');
  assert.equal(check.detail, 'homelab-autostart.service has not run since boot.');
  assert.match(check.fix ?? '', /wantedBy = \[ "multi-user\.target" \]/);

  sections.set('autostart', {
    body: 'Result=success\nExecMainStartTimestamp=Sat 2025-03-01 10:12:03 CET\nExecMainStatus=0\nLoadState=loaded\nActiveState=inactive\nSubState=dead',
    rc: 0,
  });
  check = byId(evaluateVerify(renderOutput(sections), homelabExpectation()), 'autostart-unit');
  assert.equal(check.status, 'pass');
});

test('wrong uid, a gid taken by another group, missing mount and a mount from another disk each fail with a fix', () => {
  const sections = healthySections();
  sections.set('passwd:palav', { body: 'palav:x:1001:100::/home/palav:/run/current-system/sw/bin/bash', rc: 0 });
  sections.set(
    'findmnt',
    {
      body: JSON.stringify({
        filesystems: [
          { target: '/', source: '/dev/nvme0n1p2', fstype: 'ext4', uuid: null, options: 'rw', children: [
            { target: '/mnt/Backups', source: '/dev/sdc1', fstype: 'btrfs', uuid: '0000aaaa-0000-4000-8000-000000000000', options: 'rw' },
          ] },
        ],
      }),
      rc: 0,
    },
  );
  sections.set('group:110', { body: 'netdev:x:110:', rc: 0 });
  const report = evaluateVerify(renderOutput(sections), homelabExpectation());

  const group = byId(report, 'group:110');
  assert.equal(group.status, 'fail');
  assert.equal(group.detail, 'gid 110 is group "netdev" on the host, but "render" was expected (no listed members).');
  assert.match(group.fix ?? '', /gid 110 is taken by "netdev"/);

  const user = byId(report, 'user:palav');
  assert.equal(user.status, 'fail');
  assert.match(user.detail, /palav has uid 1001, but the compose files run containers as uid 1000/);
  assert.match(user.fix ?? '', /users\.users\.palav\.uid = 1000;.*usermod -u 1000 palav/);

  const plex = byId(report, 'mount:/mnt/PlexStorage');
  assert.equal(plex.status, 'fail');
  assert.match(plex.fix ?? '', /fileSystems\."\/mnt\/PlexStorage" = \{ device = "\/dev\/disk\/by-uuid\/d2b7c6e1-5a0f-4c3b-8e9d-1f2a3b4c5d6e"/);
  assert.match(plex.fix ?? '', /systemctl status mnt-PlexStorage\.mount/);

  const backups = byId(report, 'mount:/mnt/Backups');
  assert.equal(backups.status, 'fail');
  assert.match(backups.detail, /UUID 0000aaaa-0000-4000-8000-000000000000, but the old host had UUID 5e0c4d1a/);
});

test('a Debian host without systemd (this kind of container): checks fail or are unknown, nothing throws', () => {
  const sections = new Map([
    ['uname', { body: 'Linux', rc: 0 }],
    ['os-release', { body: DEBIAN_OS_RELEASE, rc: 0 }],
    ['render-nodes', { body: "stat: cannot statx '/dev/dri/renderD*': No such file or directory", rc: 1 }],
    ['docker', { body: "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down", rc: 1 }],
    ['autostart', { body: "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down", rc: 1 }],
    ['autostart-journal', { body: 'No journal files were found.\n-- No entries --', rc: 0 }],
    ['findmnt', { body: '{"filesystems": [{"target": "/", "source": "/dev/vda", "fstype": "ext4", "uuid": null, "options": "rw,relatime"}]}', rc: 0 }],
    ['passwd:palav', { body: '', rc: 2 }],
    ['group:110', { body: '', rc: 2 }],
    ['group:100', { body: 'users:x:100:', rc: 0 }],
  ]);
  const report = evaluateVerify(renderOutput(sections), homelabExpectation(), 'debian');
  assert.deepEqual(
    report.checks.map((c) => [c.id, c.status]),
    [
      ['os-is-nixos', 'fail'],
      ['render-node-gid', 'fail'],
      ['docker-active', 'unknown'],
      ['autostart-unit', 'unknown'],
      ['mount:/mnt/PlexStorage', 'fail'],
      ['mount:/mnt/Backups', 'fail'],
      ['user:palav', 'fail'],
      ['group:110', 'fail'],
      ['group:100', 'pass'],
    ],
  );
  assert.match(byId(report, 'os-is-nixos').detail, /Debian GNU\/Linux 12 \(bookworm\), not NixOS \(os-release ID=debian\)/);
  const missing = byId(report, 'render-node-gid');
  assert.match(missing.detail, /no kernel GPU driver is bound/);
  assert.match(missing.fix ?? '', /hardware\.enableRedistributableFirmware = true;/);
  assert.match(missing.fix ?? '', /not from hardware\.graphics/);
  assert.match(byId(report, 'docker-active').detail, /systemctl could not answer: System has not been booted with systemd/);
  assert.equal(byId(report, 'group:100').detail, 'gid 100 is users (no listed members).');
  assert.ok(report.checks.filter((c) => c.status === 'fail').every((c) => c.fix), 'every failure says what to do');
});

test('a non-Linux host fails the OS check', () => {
  const sections = healthySections();
  sections.set('uname', { body: 'Darwin', rc: 0 });
  const check = byId(evaluateVerify(renderOutput(sections), homelabExpectation()), 'os-is-nixos');
  assert.equal(check.status, 'fail');
  assert.match(check.detail, /"uname -s" printed "Darwin"/);
});

test('truncated output: checks before the cut are judged, the rest are unknown', () => {
  const full = renderOutput(healthySections());
  // Cut in the middle of the findmnt JSON, as a dropped connection would.
  const cut = full.slice(0, full.indexOf('"target": "/mnt/PlexStorage"'));
  const report = evaluateVerify(cut, homelabExpectation());
  const statuses = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
  assert.deepEqual(statuses, {
    'os-is-nixos': 'pass',
    'render-node-gid': 'pass',
    'docker-active': 'pass',
    'autostart-unit': 'pass',
    'mount:/mnt/PlexStorage': 'unknown',
    'mount:/mnt/Backups': 'unknown',
    'user:palav': 'unknown',
    'group:110': 'unknown',
    'group:100': 'unknown',
  });
  assert.match(byId(report, 'mount:/mnt/PlexStorage').detail, /was cut off/);
  assert.match(byId(report, 'user:palav').detail, /output ended before "getent passwd palav" ran/);
  assert.match(byId(report, 'user:palav').fix ?? '', /Run verify again/);

  const empty = evaluateVerify('', homelabExpectation());
  assert.ok(empty.checks.every((c) => c.status === 'unknown'));
  assert.equal(empty.checks.length, 9);
});

test('commands missing on the host are unknown, not failures', () => {
  const sections = healthySections();
  sections.set('findmnt', { body: 'sh: 1: findmnt: not found', rc: 127 });
  sections.set('docker', { body: 'sh: 1: systemctl: not found', rc: 127 });
  const report = evaluateVerify(renderOutput(sections), homelabExpectation());
  assert.equal(byId(report, 'mount:/mnt/PlexStorage').status, 'unknown');
  assert.equal(byId(report, 'docker-active').status, 'unknown');
  assert.equal(byId(report, 'docker-active').detail, '"systemctl" is not installed on the host.');
});

test('optional checks are left out when the expectation does not ask for them', () => {
  const report = evaluateVerify(renderOutput(healthySections()), { users: [], groups: [], mounts: [] });
  assert.deepEqual(report.checks.map((c) => c.id), ['os-is-nixos', 'docker-active']);
});

test('formatVerifyText prints a row per check, fixes under failures, and a summary', () => {
  const sections = healthySections();
  sections.set('docker', { body: 'inactive', rc: 3 });
  const text = formatVerifyText(evaluateVerify(renderOutput(sections), homelabExpectation(), 'palav@homelab'));
  const lines = text.split('\n');
  assert.equal(lines[0], 'Verify palav@homelab');
  assert.match(text, /^STATUS   CHECK\s+DETAIL$/m);
  assert.match(text, /^pass     os-is-nixos\s+NixOS 24\.11 \(Vicuna\)\.$/m);
  const failRow = lines.findIndex((line) => line.startsWith('FAIL     docker-active'));
  assert.ok(failRow > 0);
  const fixLine = lines[failRow + 1] ?? '';
  assert.match(fixLine, /^\s+fix: Set virtualisation\.docker\.enable = true;/);
  // The fix starts under the DETAIL column.
  assert.equal(fixLine.indexOf('fix:'), (lines[failRow] ?? '').indexOf('docker.service is inactive'));
  assert.match(text, /8 passed, 1 failed, 0 unknown\.\n$/);
});
