import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autostartBlock, autostartScript } from '../../../../src/core/fixes/autostart';
import { renderNix } from '../../../../src/core/edits/nixExpr';

test('the unit waits for the network, Docker and the data disks and has docker on its PATH', () => {
  const block = autostartBlock({ stackDirs: ['/srv/a'], requiresMountsFor: ['/mnt/data'] });
  const byPath = new Map(block.settings.map((s) => [s.path.slice(3).join('.'), renderNix(s.value, '', '  ')]));
  assert.equal(byPath.get('wants'), '[ "network-online.target" ]');
  assert.equal(byPath.get('after'), '[ "network-online.target" "docker.service" ]');
  assert.equal(byPath.get('requires'), '[ "docker.service" ]');
  assert.equal(byPath.get('wantedBy'), '[ "multi-user.target" ]');
  assert.equal(byPath.get('unitConfig.RequiresMountsFor'), '[ "/mnt/data" ]');
  assert.equal(byPath.get('path'), '[ pkgs.docker ]');
  assert.equal(byPath.get('serviceConfig.Type'), '"oneshot"');
  assert.equal(byPath.get('serviceConfig.RemainAfterExit'), 'true');
  assert.ok(block.settings.every((s) => s.path.slice(0, 3).join('.') === 'systemd.services.homelab-autostart'));
});

test('no RequiresMountsFor when no data disk is bound', () => {
  const block = autostartBlock({ stackDirs: ['/srv/a'], requiresMountsFor: [] });
  assert.ok(!block.settings.some((s) => s.path.includes('RequiresMountsFor')));
});

test('the script loops over a Nix list, tolerates pull failures, keeps going and fails at the end', () => {
  const expr = autostartScript(['/srv/a b', '/srv/${x}']);
  assert.equal(expr.kind, 'raw');
  const text = expr.kind === 'raw' ? expr.text : '';
  assert.ok(text.startsWith("''\n"), 'an indented string');
  assert.ok(!text.includes('#!'));
  assert.match(text, /for dir in \$\{lib\.escapeShellArgs \[\n    "\/srv\/a b"\n    "\/srv\/\\\$\{x\}"\n  \]\}; do/);
  assert.match(text, /\(cd "\$dir" && docker compose pull --ignore-buildable --quiet\) \|\| echo/);
  assert.match(text, /if ! \(cd "\$dir" && docker compose up -d --remove-orphans\); then\n.*\n      failed="\$failed \$dir"/);
  assert.match(text, /if \[ -n "\$failed" \]; then\n.*\n    exit 1/);
  // Only the one Nix interpolation: every other `${` would be a bash expansion Nix must not see.
  assert.equal(text.match(/(?<!\\)\$\{/g)?.length, 1);
});
