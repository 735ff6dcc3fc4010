import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadComposeProject } from '../../../../../src/core/compose';
import { initNixParser } from '../../../../../src/core/nix/syntax';
import { nulBlindReads } from '../../../../../src/core/rules/nix/shellScan';
import { memoryHost } from '../../../helpers/memoryHost';
import { assertAllParse, findingsOf, rangeText, fixChecker } from './nixRuleFixture';
import { said } from '../said';

before(async () => {
  await initNixParser();
});

const { fixedText, results: fixed } = fixChecker();

const unit = (body: string): string => `{ pkgs, ... }:\n{\n  systemd.services.stacks = {\n${body}\n  };\n}\n`;

test('network-online-not-wanted: after without wants/requires, on the target string', () => {
  const text = unit('    after = [ "docker.service" "network-online.target" ];\n    script = "true";');
  const [finding, ...rest] = findingsOf(text, 'network-online-not-wanted');
  assert.ok(finding);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(rangeText(text, finding.range), '"network-online.target"');
  assert.equal(findingsOf(unit('    after = [ "network-online.target" ];\n    wants = [ "network-online.target" ];'), 'network-online-not-wanted').length, 0);
  assert.equal(findingsOf(unit('    after = [ "network-online.target" ];\n    requires = [ "network-online.target" ];'), 'network-online-not-wanted').length, 0);
  assert.equal(findingsOf(unit('    after = [ "network.target" ];'), 'network-online-not-wanted').length, 0);
});

test('network-online-not-wanted fix: wants next to after, or appended to wants', () => {
  assert.equal(
    fixedText(unit('    after = [ "network-online.target" ];\n    script = "true";'), 'network-online-not-wanted'),
    unit('    after = [ "network-online.target" ];\n    wants = [ "network-online.target" ];\n    script = "true";'),
  );
  assert.equal(
    fixedText(unit('    wants = [ "docker.service" ];\n    after = [ "network-online.target" ];'), 'network-online-not-wanted'),
    unit('    wants = [ "docker.service" "network-online.target" ];\n    after = [ "network-online.target" ];'),
  );
  assert.equal(
    fixedText('{\n  systemd.services.stacks.after = [ "network-online.target" ];\n  systemd.services.stacks.script = "true";\n}\n', 'network-online-not-wanted'),
    '{\n  systemd.services.stacks.after = [ "network-online.target" ];\n  systemd.services.stacks.wants = [ "network-online.target" ];\n  systemd.services.stacks.script = "true";\n}\n',
  );
  assert.equal(
    fixedText('{\n\tsystemd.services.x = { after = [ "network-online.target" ]; };\n}\n', 'network-online-not-wanted'),
    '{\n\tsystemd.services.x = { after = [ "network-online.target" ]; wants = [ "network-online.target" ]; };\n}\n',
  );
});

test("shell scan: -print0 pipelines into read, with and without -d ''", () => {
  const blind = (script: string): string[] => nulBlindReads(script).map((read) => script.slice(read.readStart, read.insertAt));
  assert.deepEqual(blind('find . -print0 | while IFS= read -r f; do echo "$f"; done'), ['read -r']);
  assert.deepEqual(blind('find . -print0 | sort -z | while read f; do :; done'), ['read']);
  assert.deepEqual(blind('find . -print0 \\\n  | while read -r -p x f; do :; done'), ['read -r -p x']);
  assert.deepEqual(blind('find . -print0 |\n  while IFS= read -r f; do :; done'), ['read -r']);
  assert.deepEqual(blind("find . -print0 | while IFS= read -r -d '' f; do :; done"), []);
  assert.deepEqual(blind("find . -print0 | while IFS= read -rd '' f; do :; done"), []);
  assert.deepEqual(blind("find . -print0 | while read -d $'\\0' f; do :; done"), []);
  assert.deepEqual(blind('find . -print0 | xargs -0 rm; read -r answer'), []);
  assert.deepEqual(blind('find . -print | while read -r f; do :; done'), []);
  // Process substitution: the loop's read is fed by find, across lines and around a nested loop.
  assert.deepEqual(blind('while IFS= read -r f; do\n  for x in a b; do :; done\n  echo "$f"\ndone < <(find /srv -print0)'), ['read -r']);
  assert.deepEqual(blind("while IFS= read -r -d '' f; do :; done < <(find /srv -print0)"), []);
  assert.deepEqual(blind('while read -r f; do :; done < <(find /srv -print)'), []);
});

// `''${…}` escapes before the pipeline shift every offset between the script text and the file.
const PRINT0 = `{ pkgs, ... }:
{
  systemd.services.stacks = {
    script = ''
      echo "''\${HOME} and \${pkgs.docker}/bin/docker"
      find /srv -name '*.yaml' -print0 | while IFS= read -r f; do
        echo "''\${f}"
      done
    '';
  };
}
`;

test('print0-read-without-nul: the range is the `read` inside the indented string', () => {
  const [finding, ...rest] = findingsOf(PRINT0, 'print0-read-without-nul');
  assert.ok(finding);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'error');
  const line = PRINT0.split('\n')[5] as string;
  assert.deepEqual(finding.range, { start: { line: 5, character: line.indexOf('read') }, end: { line: 5, character: line.indexOf('read') + 4 } });
  assert.equal(rangeText(PRINT0, finding.range), 'read');
  assert.match(said(finding), /-d '''/);
});

test("print0-read-without-nul fix: -d ''' in an indented string, -d '' in a plain one", () => {
  assert.equal(fixedText(PRINT0, 'print0-read-without-nul'), PRINT0.replace('read -r f', "read -r -d ''' f"));
  const plain = '{\n  systemd.services.x.script = "find . -print0 | while read f; do echo $f; done";\n}\n';
  assert.equal(fixedText(plain, 'print0-read-without-nul'), plain.replace('read f', "read -d '' f"));
  assert.equal(findingsOf(PRINT0.replace('read -r f', "read -r -d ''' f"), 'print0-read-without-nul').length, 0);
  const substituted = `{\n  systemd.services.x.script = ''\n    while IFS= read -r f; do\n      echo "$f"\n    done < <(find /srv -print0)\n  '';\n}\n`;
  assert.equal(fixedText(substituted, 'print0-read-without-nul'), substituted.replace('read -r f', "read -r -d ''' f"));
});

test('script-shebang-ignored: information on the #! line; the fix removes the line', () => {
  const text = unit("    script = ''\n      #!/usr/bin/env bash\n      docker compose up -d\n    '';");
  const [finding] = findingsOf(text, 'script-shebang-ignored');
  assert.equal(finding?.severity, 'information');
  assert.equal(rangeText(text, finding!.range), '#!/usr/bin/env bash');
  assert.equal(fixedText(text, 'script-shebang-ignored'), unit("    script = ''\n      docker compose up -d\n    '';"));
  assert.equal(findingsOf(unit("    script = ''\n      # a comment\n    '';"), 'script-shebang-ignored').length, 0);
  assert.equal(findingsOf(unit('    serviceConfig.ExecStart = "#!/bin/sh";'), 'script-shebang-ignored').length, 0);
  const plain = '{ systemd.services.x.preStart = "#!/bin/sh\\nmkdir -p /srv/x"; }\n';
  assert.equal(fixedText(plain, 'script-shebang-ignored'), '{ systemd.services.x.preStart = "mkdir -p /srv/x"; }\n');
});

test('log-opts-not-strings: numbers and booleans, nested and quoted forms; the fix quotes', () => {
  const nested = '{\n  virtualisation.docker.daemon.settings = {\n    log-opts = {\n      max-size = "10m";\n      max-file = 3;\n      compress = true;\n    };\n  };\n}\n';
  const findings = findingsOf(nested, 'log-opts-not-strings');
  assert.deepEqual(findings.map((f) => [f.severity, rangeText(nested, f.range)]), [['error', '3'], ['error', 'true']]);
  const dotted = '{ virtualisation.docker.daemon.settings."log-opts".max-file = 5; }\n';
  assert.equal(fixedText(dotted, 'log-opts-not-strings'), '{ virtualisation.docker.daemon.settings."log-opts".max-file = "5"; }\n');
  assert.equal(findingsOf('{ virtualisation.docker.daemon.settings.log-opts.max-file = "3"; }', 'log-opts-not-strings').length, 0);
  assert.equal(findingsOf('{ virtualisation.docker.daemon.settings.max-concurrent-downloads = 3; }', 'log-opts-not-strings').length, 0);
  const viaLet = '{ ... }:\nlet files = 3; in\n{\n  virtualisation.docker.daemon.settings.log-opts.max-file = files;\n}\n';
  assert.equal(fixedText(viaLet, 'log-opts-not-strings'), viaLet.replace('= files;', '= (toString files);'));
});

function plexProject() {
  const host = memoryHost({
    '/home/palav/docker/plex/compose.yaml': 'services:\n  plex:\n    image: plexinc/pms-docker\n    volumes:\n      - /mnt/PlexStorage/media:/data\n      - ./config:/config\n',
  });
  return loadComposeProject('/home/palav/docker/plex/compose.yaml', host);
}

/** The unit, and the data disk declared `nofail` (so nothing orders services after it). */
const AUTOSTART = (extra: string): string =>
  unit(`    after = [ "docker.service" ];${extra}\n    script = ''\n      cd /home/palav/docker/plex\n      docker compose up -d\n    '';`).replace(
    '\n}\n',
    '\n  fileSystems."/mnt/PlexStorage" = { device = "/dev/disk/by-uuid/3b6f2a9e"; fsType = "ext4"; options = [ "nofail" ]; };\n}\n',
  );

test('autostart-without-mount-deps: docker compose up for a stack on a data disk without RequiresMountsFor', () => {
  const options = { projects: [plexProject()] };
  const text = AUTOSTART('');
  const [finding] = findingsOf(text, 'autostart-without-mount-deps', options);
  assert.ok(finding);
  assert.equal(finding.severity, 'warning');
  assert.equal(rangeText(text, finding.range), 'docker compose up');
  assert.deepEqual(finding.data?.['missing'], ['/mnt/PlexStorage']);
  assert.equal(finding.related[0]?.location.file, '/home/palav/docker/plex/compose.yaml');
  assert.equal(findingsOf(AUTOSTART('\n    unitConfig.RequiresMountsFor = [ "/mnt/PlexStorage" ];'), 'autostart-without-mount-deps', options).length, 0);
  assert.equal(findingsOf(AUTOSTART('\n    unitConfig.RequiresMountsFor = "/mnt/PlexStorage/media";'), 'autostart-without-mount-deps', options).length, 0);
  assert.equal(findingsOf(AUTOSTART('\n    requires = [ "mnt-PlexStorage.mount" ];'), 'autostart-without-mount-deps', options).length, 0);
  assert.equal(findingsOf(text, 'autostart-without-mount-deps').length, 0, 'no stacks, nothing to check');
});

test('autostart-without-mount-deps fix: unitConfig.RequiresMountsFor added, or merged into what is there', () => {
  const options = { projects: [plexProject()] };
  assert.equal(
    fixedText(AUTOSTART(''), 'autostart-without-mount-deps', options),
    AUTOSTART('').replace("    '';\n", "    '';\n    unitConfig.RequiresMountsFor = [ \"/mnt/PlexStorage\" ];\n"),
  );
  assert.equal(
    fixedText(AUTOSTART('\n    unitConfig.RequiresMountsFor = [ "/srv" ];'), 'autostart-without-mount-deps', options),
    AUTOSTART('\n    unitConfig.RequiresMountsFor = [ "/srv" "/mnt/PlexStorage" ];'),
  );
  assert.equal(
    fixedText(AUTOSTART('\n    unitConfig = {\n      RequiresMountsFor = "/srv";\n    };'), 'autostart-without-mount-deps', options),
    AUTOSTART('\n    unitConfig = {\n      RequiresMountsFor = [ "/srv" "/mnt/PlexStorage" ];\n    };'),
  );
});

test('every fixed text parses (one nix-instantiate call)', () => {
  assert.ok(fixed.length >= 12);
  assertAllParse(fixed);
});
