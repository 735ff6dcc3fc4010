import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { evaluationFindings, markEvaluated, ruleRunsOn } from '../../../../src/core/evaluation/findings';
import { isFixable } from '../../../../src/core/rules';
import { evaluationOf, isEvaluatedDefinition, mergeEvaluation, workspaceFileMapper } from '../../../../src/core/evaluation/merge';
import { composeUnits } from '../../../../src/core/nix/composeUnits';
import { declaredMounts } from '../../../../src/core/nix/mounts';
import { initNixParser } from '../../../../src/core/nix/syntax';
import { isEnabled } from '../../../../src/core/rules/facts';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings';
import { loadFiles, loadModule } from '../nix/nixFixture';
import { evaluation, projection } from './evaluationFixture';

before(async () => {
  await initNixParser();
});

const ENTRY = '/etc/nixos/configuration.nix';

test('a user made by genAttrs, unknown to the static reader, is the evaluated one, located at the file Nix names', () => {
  const nix = loadFiles({
    [ENTRY]: '{ imports = [ ./users.nix ]; }\n',
    '/etc/nixos/users.nix': '{ lib, ... }: {\n  users.users = lib.genAttrs [ "palav" ] (name: { uid = 1000; });\n}\n',
  });
  assert.equal(nix.findUserByUid(1000), undefined, 'the static reader cannot follow genAttrs');
  const merged = mergeEvaluation(
    nix,
    evaluation(
      projection({
        users: { ok: { palav: { ok: { uid: 1000, group: 'users', extraGroups: ['render'], isNormalUser: true } }, root: { ok: { uid: 0, group: 'root', extraGroups: [], isNormalUser: false } } } },
        userFiles: { ok: { palav: ['/nix/store/x-source/users.nix', '/etc/nixos/users.nix'], root: [] } },
      }),
      ['/etc/nixos/users.nix'],
    ),
  );
  const palav = merged.findUserByUid(1000);
  assert.equal(palav?.name, 'palav');
  assert.deepEqual(palav?.extraGroups, ['render']);
  assert.equal(palav?.isNormalUser, true);
  assert.equal(palav?.uidDef?.file, '/etc/nixos/users.nix');
  assert.ok(palav?.uidDef && isEvaluatedDefinition(palav.uidDef));
  assert.equal(merged.findUserByUid(0)?.uidDef?.file, ENTRY, 'a user no workspace file defines sits at the entry module');
  assert.ok(evaluationOf(merged));
  assert.equal(evaluationOf(nix), undefined, 'the static model is left as it was');
});

test('a static user that agrees keeps its definition; one Nix does not have is gone; a failed entry keeps the static reading', () => {
  const nix = loadModule('{\n  users.users.palav.uid = 1000;\n  users.users.ghost.uid = 1001;\n  users.users.broken.uid = 1002;\n}\n');
  const staticUid = nix.users.get('palav')?.uidDef;
  const merged = mergeEvaluation(
    nix,
    evaluation(projection({ users: { ok: { palav: { ok: { uid: 1000, group: '', extraGroups: [], isNormalUser: false } }, broken: { failed: true } } } })),
  );
  assert.equal(merged.users.get('palav')?.uidDef, staticUid, 'the same definition object: positions and fixes stay');
  assert.ok(staticUid && isEvaluatedDefinition(staticUid), 'confirmed by the evaluation');
  assert.equal(merged.users.has('ghost'), false);
  assert.equal(merged.users.get('broken')?.uid, 1002);
});

test('evaluated groups replace the static table (a group a service module creates is known)', () => {
  const nix = loadModule('{ users.groups.media.gid = 2000; }\n');
  const merged = mergeEvaluation(nix, evaluation(projection({ groups: { ok: { media: { ok: { gid: 2000, members: [] } }, jellyfin: { ok: { gid: 996, members: [] } }, render: { ok: { gid: 303, members: [] } } } } })));
  assert.equal(merged.findGroupByGid(996)?.name, 'jellyfin');
  assert.equal(merged.groups.get('media')?.gidDef, nix.groups.get('media')?.gidDef);
  assert.equal(merged.groups.get('render')?.nixosDefaultGid, 303, 'what the static table knows of a NixOS group stays');
});

test('Docker enabled in a module the static reader could not follow is enabled; a conditional definition that is off is not', () => {
  const computed = loadModule('{ imports = [ (import ./docker.nix { on = true; }) ]; }\n');
  assert.equal(computed.unreadableImports.length, 1);
  const merged = mergeEvaluation(computed, evaluation(projection({}, { 'virtualisation.docker.enable': { value: true, files: ['/etc/nixos/docker.nix'] } }), ['/etc/nixos/docker.nix']));
  assert.equal(isEnabled(merged, ['virtualisation', 'docker', 'enable']), true);
  assert.equal(merged.definitionsOf(['virtualisation', 'docker', 'enable'])[0]?.file, '/etc/nixos/docker.nix');
  assert.deepEqual(merged.unreadableImports, [], 'Nix read the module: no finding depends on it any more');

  const conditional = loadModule('{ config, lib, ... }: {\n  virtualisation.docker.enable = lib.mkIf config.services.foo.enable true;\n}\n');
  assert.equal(isEnabled(conditional, ['virtualisation', 'docker', 'enable']), true, 'the static reading counts a conditional true');
  const off = mergeEvaluation(conditional, evaluation(projection({}, { 'virtualisation.docker.enable': { value: false, highestPrio: 1500 } })));
  assert.equal(isEnabled(off, ['virtualisation', 'docker', 'enable']), false);
  const [definition] = off.definitionsOf(['virtualisation', 'docker', 'enable']);
  assert.equal(definition?.loc.range.start.line, 1, 'the evaluated value sits where the static one was written');
});

test('an option left at its NixOS default adds no definition; an option that failed to evaluate keeps the static reading', () => {
  const nix = loadModule('{ hardware.graphics.enable = true; }\n');
  const merged = mergeEvaluation(nix, evaluation(projection({}, { 'virtualisation.docker.enableNvidia': { value: false, highestPrio: 1500 } })));
  assert.equal(merged.definitionsOf(['virtualisation', 'docker', 'enableNvidia']).length, 0);
  assert.equal(merged.definitionsOf(['hardware', 'graphics', 'enable']).length, 1, 'absent from the projection: static');
});

test('file systems and systemd mounts are the evaluated ones', () => {
  const nix = loadModule('{ lib, ... }: {\n  fileSystems."/mnt/old" = lib.mkIf false { device = "/dev/sdb1"; };\n}\n');
  const merged = mergeEvaluation(
    nix,
    evaluation(
      projection({
        fileSystems: { ok: { '/mnt/PlexStorage': { ok: { mountPoint: '/mnt/PlexStorage', device: '/dev/disk/by-uuid/3b6f', fsType: 'ext4', options: ['nofail'] } } } },
        systemdMounts: { ok: [{ where: '/mnt/nfs', what: 'nas:/export', type: 'nfs', options: 'noauto' }] },
      }),
    ),
  );
  const mounts = declaredMounts(merged).map((mount) => [mount.mountpoint, mount.source, mount.fsType, mount.options.join(',')]);
  assert.deepEqual(mounts, [
    ['/mnt/PlexStorage', 'fileSystems', 'ext4', 'nofail'],
    ['/mnt/nfs', 'systemd.mounts', 'nfs', 'noauto'],
  ]);
});

test('failed assertions and warnings become findings with NixOS\'s message, at the definition when Nix names the file', () => {
  const nix = loadFiles({
    [ENTRY]: '{ imports = [ ./checks.nix ]; }\n',
    '/etc/nixos/checks.nix': '{ config, ... }: {\n  assertions = [ { assertion = false; message = "no"; } ];\n}\n',
  });
  const merged = mergeEvaluation(
    nix,
    evaluation(
      projection({
        assertions: { ok: ['palav must have uid 1000', 'Docker enableNvidia needs\n  hardware.graphics.enable32Bit'] },
        assertionLocations: { ok: [{ file: '/etc/nixos/checks.nix', message: 'palav must have uid 1000' }, { file: '/nix/store/abc-nixpkgs/nixos/modules/virtualisation/docker.nix', message: 'Docker enableNvidia needs\n  hardware.graphics.enable32Bit' }] },
        warnings: { ok: ['sound.enable is gone'] },
        warningLocations: { ok: [] },
      }),
      ['/etc/nixos/checks.nix'],
    ),
  );
  const findings = evaluationFindings(merged, DEFAULT_SETTINGS).map((finding) => [finding.code, finding.severity, finding.file, finding.range.start.line, finding.message, finding.explanation]);
  assert.deepEqual(findings, [
    ['nixos-assertion', 'error', '/etc/nixos/checks.nix', 1, 'NixOS assertion failed: palav must have uid 1000', '`nixos-rebuild` stops here before building anything (evaluated with `nix eval /homelab#nixosConfigurations.nas`).'],
    ['nixos-assertion', 'error', ENTRY, 0, 'NixOS assertion failed: Docker enableNvidia needs hardware.graphics.enable32Bit', '`nixos-rebuild` stops here before building anything (evaluated with `nix eval /homelab#nixosConfigurations.nas`).'],
    ['nixos-warning', 'warning', ENTRY, 0, 'NixOS warning: sound.enable is gone', 'Evaluated with `nix eval /homelab#nixosConfigurations.nas`.'],
  ]);
  assert.deepEqual(evaluationFindings(nix, DEFAULT_SETTINGS), [], 'no evaluation, no such findings');
});

test('findings of rules reading evaluated values say "evaluated"; others and unevaluated configurations are unchanged', () => {
  const nix = loadModule('{ }\n');
  const merged = mergeEvaluation(nix, evaluation(projection()));
  const found = { file: '/x/compose.yaml', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: 'Docker is not enabled', related: [] };
  assert.equal(markEvaluated('docker-not-enabled', found, merged).message, 'Docker is not enabled (evaluated)');
  assert.equal(markEvaluated('docker-not-enabled', found, merged).data?.['evaluated'], true);
  assert.equal(markEvaluated('print0-read-without-nul', found, merged), found);
  assert.equal(markEvaluated('docker-not-enabled', found, nix), found);
});

test('files Nix reports from a flake\'s store copy map back to the workspace, through the Git root too', () => {
  const existing = new Set(['/home/me/homelab/hosts/nas.nix', '/home/me/repo/nixos/hosts/nas.nix']);
  const exists = (file: string): boolean => existing.has(file);
  const flake = workspaceFileMapper('/home/me/homelab', exists);
  assert.equal(flake('/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source/hosts/nas.nix'), '/home/me/homelab/hosts/nas.nix');
  assert.equal(flake('/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source/hosts/nas.nix, via option flake.nixosModules.nas'), '/home/me/homelab/hosts/nas.nix');
  assert.equal(flake('/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source/nixos/modules/virtualisation/docker.nix'), undefined);
  assert.equal(workspaceFileMapper('/home/me/repo/nixos', exists)('/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source/nixos/hosts/nas.nix'), '/home/me/repo/nixos/hosts/nas.nix');
  assert.equal(workspaceFileMapper(undefined, exists)('/home/me/homelab/hosts/nas.nix'), '/home/me/homelab/hosts/nas.nix');
});

test('units made by a function come from the evaluation: their folders, env files and names, store copies mapped back', () => {
  const nix = loadFiles({
    [ENTRY]: '{ imports = [ ./stacks.nix ]; }\n',
    '/etc/nixos/stacks.nix': [
      '{ lib, ... }: {',
      '  systemd.services = lib.mapAttrs\' (name: _: lib.nameValuePair "${name}-stack" { script = "docker compose up -d"; }) { immich = null; };',
      '  systemd.services.paperless = { after = [ "docker.service" ]; script = "cd /srv/stacks/paperless && docker compose --env-file /run/agenix/paperless up -d"; };',
      '  systemd.services.legacy.serviceConfig.ExecStart = "${pkgs.writeShellScript "up" "docker compose up"}";',
      '}',
      '',
    ].join('\n'),
  });
  assert.deepEqual(composeUnits(nix).map((unit) => unit.service).sort(), ['legacy', 'paperless'], 'the static reader cannot follow mapAttrs\'');
  const unit = (service: string, fields: Partial<Record<string, unknown>>) => ({
    ok: { script: '', execStart: [], execStartPre: [], workingDirectory: null, environmentFile: [], environment: {}, after: [], requires: [], wants: [], requiresMountsFor: [], files: [], ...fields },
  });
  const store = '/nix/store/0123456789abcdefghijklmnopqrstuv-source';
  const merged = mergeEvaluation(
    nix,
    evaluation(
      projection({
        composeUnits: {
          ok: {
            'immich-stack': unit('immich-stack', { script: 'docker compose up -d', workingDirectory: `${store}/stacks/immich`, environmentFile: [`-${store}/stacks/immich/vars.env`], environment: { IMMICH_TZ: 'UTC' }, files: ['/etc/nixos/stacks.nix'] }),
            paperless: unit('paperless', { script: 'cd /srv/stacks/paperless && docker compose --env-file /run/agenix/paperless up -d', after: ['docker.service', 'network-online.target'], requiresMountsFor: ['/mnt/data /mnt/media'] }),
            broken: { failed: true },
          },
        } as never,
      }),
      ['/etc/nixos/stacks.nix'],
    ),
  );
  const units = composeUnits(merged);
  assert.deepEqual(units.map((unit) => unit.service).sort(), ['immich-stack', 'legacy', 'paperless'], 'a unit only the static reader sees stays');
  const immich = units.find((unit) => unit.service === 'immich-stack');
  assert.equal(immich?.evaluated, true);
  assert.deepEqual(immich?.loc, { file: '/etc/nixos/stacks.nix', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  assert.deepEqual([...(immich?.names.keys() ?? [])], ['IMMICH_TZ']);
  // WorkingDirectory, and the folder Compose runs in (the same): a host path here, the fixture's mapper knows no store copy.
  assert.deepEqual(immich?.folders.map((folder) => folder.tail.slice(-2)), [['stacks', 'immich'], ['stacks', 'immich']]);
  assert.deepEqual(immich?.envFiles.map((envFile) => [envFile.via, envFile.written]), [['EnvironmentFile', `${store}/stacks/immich/vars.env`]]);
  const paperless = units.find((unit) => unit.service === 'paperless');
  assert.equal(paperless?.evaluated, undefined, 'found by the static reader: its positions stay');
  assert.equal(paperless?.envFiles.length, 1, 'the same secret read twice is one env file');
  assert.deepEqual(merged.systemdServices.get('paperless')?.after, ['docker.service', 'network-online.target']);
  assert.deepEqual(merged.systemdServices.get('paperless')?.requiresMountsFor, ['/mnt/data', '/mnt/media']);
  assert.equal(nix.systemdServices.get('paperless')?.after.length, 1, 'the static model is left as it was');
});

test('a unit\'s store paths become repository paths when the flake\'s copy maps back', () => {
  const nix = loadModule('{ }\n');
  const store = '/nix/store/0123456789abcdefghijklmnopqrstuv-source';
  const base = evaluation(projection({ composeUnits: { ok: { up: { ok: { script: `docker compose -f ${store}/stacks/immich/compose.yaml --env-file ${store}/stacks/immich/vars.env up`, execStart: [], execStartPre: [], workingDirectory: null, environmentFile: [], environment: {}, after: [], requires: [], wants: [], requiresMountsFor: [], files: [] } } } } }));
  const merged = mergeEvaluation(nix, { ...base, workspaceFile: (reported) => (reported.startsWith(store) ? `/home/me/homelab${reported.slice(store.length)}` : undefined) });
  const [unit] = composeUnits(merged);
  assert.deepEqual(unit?.folders.map((folder) => folder.local), ['/home/me/homelab/stacks/immich']);
  assert.deepEqual(unit?.envFiles.map((envFile) => envFile.local), ['/home/me/homelab/stacks/immich/vars.env']);
  assert.equal(unit?.loc.file, nix.entry, 'no workspace file defines it: at the entry module');
});

test('a host known only from Nix: only the rules that read evaluated values run, and their findings have no fix', () => {
  const nix = loadFiles({ [ENTRY]: '{ }\n' });
  const only = mergeEvaluation(nix, evaluation(projection({}, { 'virtualisation.docker.enable': { value: true } })), { nixOnly: true });
  assert.equal(only.evaluatedOnly, true);
  assert.equal(ruleRunsOn('puid-unmapped', only), true);
  assert.equal(ruleRunsOn('autostart-without-mount-deps', only), false, 'it would read an empty static model');
  assert.equal(ruleRunsOn('autostart-without-mount-deps', mergeEvaluation(nix, evaluation(projection()))), true, 'a host the static reader found runs every rule');
  const found = markEvaluated('puid-unmapped', { file: '/x/compose.yml', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'PUID 1001', related: [], data: { userName: 'jellyfin' } }, only);
  assert.deepEqual(found.data, { userName: 'jellyfin', evaluated: true, evaluatedOnly: true });
  assert.equal(isFixable({ code: 'puid-unmapped', data: found.data ?? {} }, { hasConfiguration: true }), false);
  assert.equal(isFixable({ code: 'puid-unmapped', data: { userName: 'jellyfin', evaluated: true } }, { hasConfiguration: true }), true);
});
