import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalysisCache } from '../../../../src/core/analysis/incremental';
import { analyseWorkspace } from '../../../../src/core/analysis/pipeline';
import { DiskFileSource } from '../../../../src/core/analysis/fileSource';
import { createCachingSource, createOverlaySource } from '../../../../src/core/analysis/fileLayers';
import { initNixParser } from '../../../../src/core/nix';
import type { WorkspaceOptions } from '../../../../src/core/analysis/types';
import { NIX_RULES, type NixRuleContext } from '../../../../src/core/rules';
import { prng } from '../../helpers/prng';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings';

const example = path.resolve(__dirname, '..', '..', '..', '..', 'examples', 'pop-os-homelab');
const options: WorkspaceOptions = { roots: [example], snapshotDir: 'snapshot', settings: DEFAULT_SETTINGS };
const configurationFile = path.join(example, 'nixos', 'configuration.nix');
const plexFile = path.join(example, 'docker', 'plex', 'docker-compose.yml');

before(() => initNixParser());

/** The example read from disk, with an in-memory overlay the test edits (like the server's open documents). */
function setup(): { cache: AnalysisCache; edit(file: string, text: string): void; disk: string } {
  const overlay = new Map<string, string>();
  const host = createOverlaySource(createCachingSource(new DiskFileSource()), { textOf: (file) => overlay.get(file), files: () => overlay.keys() });
  const disk = new DiskFileSource().readText(configurationFile) ?? '';
  return { cache: new AnalysisCache(options, host), edit: (file, text) => overlay.set(file, text), disk };
}

const key = (f: { code: string; file: string; range: { start: { line: number; character: number } }; message: string }) => `${f.code}|${f.file}|${f.range.start.line}:${f.range.start.character}|${f.message}`;

test('the cached analysis finds exactly what analyseWorkspace finds, in the same order', () => {
  const expected = analyseWorkspace(options, new DiskFileSource());
  const { cache } = setup();
  const analysis = cache.analyse();
  assert.ok(expected.findings.length > 20);
  assert.deepEqual(analysis.findings.map(key), expected.findings.map(key));
  assert.deepEqual([...analysis.findingsByFile.values()].flat().length, expected.findings.length);
});

test('an unchanged workspace reuses every model and every per-file list', () => {
  const { cache } = setup();
  const first = cache.analyse();
  const second = cache.analyse();
  assert.equal(second.configurations[0], first.configurations[0], 'the Nix configuration is not reloaded');
  for (const [index, project] of first.projects.entries()) assert.equal(second.projects[index], project);
  for (const [file, list] of first.findingsByFile) assert.equal(second.findingsByFile.get(file), list, file);
});

test('a compose edit reloads only that stack; a Nix edit reloads the configuration and re-checks every stack', () => {
  const { cache, edit, disk } = setup();
  const first = cache.analyse();
  const plexText = new DiskFileSource().readText(plexFile) ?? '';
  edit(plexFile, plexText.replace('PGID=110', 'PGID=100'));
  const afterCompose = cache.analyse();
  assert.equal(afterCompose.configurations[0], first.configurations[0]);
  const plexProject = (a: typeof first) => a.projects.find((p) => p.file === plexFile);
  assert.notEqual(plexProject(afterCompose), plexProject(first));
  for (const project of first.projects.filter((p) => p.file !== plexFile)) assert.ok(afterCompose.projects.includes(project), project.file);
  assert.ok(!afterCompose.findingsByFile.get(plexFile)?.some((f) => f.code === 'pgid-unmapped' && f.range.start.line === 8));
  const jellyfin = path.join(example, 'docker', 'jellyfin', 'compose.yaml');
  assert.equal(afterCompose.findingsByFile.get(jellyfin), first.findingsByFile.get(jellyfin), 'other stacks keep their lists');

  edit(configurationFile, disk.replace('services.openssh.enable = true;', 'services.openssh.enable = true;\n  virtualisation.docker.enable = true;'));
  const afterNix = cache.analyse();
  assert.notEqual(afterNix.configurations[0], first.configurations[0]);
  assert.ok(!afterNix.findings.some((f) => f.code === 'docker-not-enabled'), 'every stack re-checked against the new configuration');
  assert.ok(first.findings.some((f) => f.code === 'docker-not-enabled'));
});

test('an open compose file the folder walk has not seen is analysed too', () => {
  const { cache, edit } = setup();
  const unsaved = path.join(example, 'docker', 'new-stack', 'compose.yaml');
  edit(unsaved, 'services:\n  app:\n    image: nginx\n    environment:\n      - PUID=4242\n    volumes:\n      - ./html:/usr/share/nginx/html\n');
  const analysis = cache.analyse([unsaved]);
  assert.ok(analysis.findingsByFile.get(unsaved)?.some((f) => f.code === 'puid-unmapped'));
});

test('a keystroke in one service re-checks that service only, and the result is what a fresh analysis finds', () => {
  const { cache, edit } = setup();
  const file = path.join(example, 'docker', 'many', 'compose.yaml');
  const service = (name: string, pgid: number) => `  ${name}:\n    image: lscr.io/linuxserver/${name}:latest\n    environment:\n      - PUID=1000\n      - PGID=${pgid}\n      - TZ=\${TZ}\n    devices:\n      - /dev/dri:/dev/dri\n`;
  const text = (pgid: number) => `services:\n${service('first', 110)}${service('second', pgid)}${service('third', 110)}`;
  edit(file, text(110));
  cache.analyse([file]);
  edit(file, text(111));
  const before = cache.analyse([file]).findingsByFile.get(file) ?? [];
  edit(file, text(112));
  const after = cache.analyse([file]).findingsByFile.get(file) ?? [];

  const inSecond = (f: { range: { start: { line: number } } }) => f.range.start.line >= 9 && f.range.start.line <= 16; // lines of `second:`
  assert.ok(after.some((f) => f.code === 'pgid-unmapped' && inSecond(f) && f.message.includes('112')));
  for (const finding of after.filter((f) => !inSecond(f))) assert.ok(before.includes(finding), `kept as the same object: ${finding.code} line ${finding.range.start.line}`);
  for (const finding of after.filter((f) => inSecond(f) && f.code !== 'unresolved-variable')) assert.ok(!before.includes(finding), `re-checked: ${finding.code}`);

  assert.equal(cache.analyse([file]).findingsByFile.get(file), after, 'stable while nothing changes');
  const expected = new AnalysisCache(options, createOverlaySource(new DiskFileSource(), { textOf: (f) => (f === file ? text(112) : undefined), files: () => [file] })).analyse([file]);
  assert.deepEqual(after, expected.findingsByFile.get(file));
});

test('a compose edit does not re-run the Nix rules that do not read the stacks; those give the same findings without them', () => {
  const { cache, edit, disk } = setup();
  const checked = disk.replace(
    'services.openssh.enable = true;',
    'services.openssh.enable = true;\n  virtualisation.docker.enableNvidia = true;\n  hardware.opengl.enable = true;\n  users.groups.media.gid = 2000;\n  users.groups.books.gid = 2000;',
  );
  edit(configurationFile, checked);
  const first = cache.analyse();
  const nixFindings = first.findingsByFile.get(configurationFile) ?? [];
  const readsStacks = new Set(NIX_RULES.filter((rule) => rule.readsStacks).map((rule) => rule.id));
  // Both kinds fire here: enableNvidia's rule reads the stacks (its fix rewrites the services using the runtime).
  assert.ok(nixFindings.some((f) => readsStacks.has(f.code)) && nixFindings.filter((f) => !readsStacks.has(f.code)).length >= 2, nixFindings.map((f) => f.code).join(', '));

  // Count the checks the compose edit runs (the rule objects are the ones the cache iterates).
  const runs = new Map<string, number>();
  const restore = NIX_RULES.map((rule) => {
    const check = rule.check;
    const counted = rule as { check: typeof check };
    counted.check = (ctx) => {
      runs.set(rule.id, (runs.get(rule.id) ?? 0) + 1);
      return check.call(rule, ctx);
    };
    return () => (counted.check = check);
  });
  let second: ReturnType<typeof cache.analyse>;
  try {
    const plexText = new DiskFileSource().readText(plexFile) ?? '';
    edit(plexFile, plexText.replace('PGID=110', 'PGID=100'));
    second = cache.analyse();
  } finally {
    for (const undo of restore) undo();
  }
  assert.deepEqual([...runs.keys()].filter((id) => !readsStacks.has(id)), [], 'the rules that do not read the stacks were not re-run');
  assert.deepEqual([...runs.keys()].sort(), [...readsStacks].sort(), 'the rules that read the stacks were');
  // Unchanged findings stay the same objects, the re-run rules' ones too (interned): nothing downstream is redone for them.
  const kept = second.findingsByFile.get(configurationFile) ?? [];
  assert.equal(kept.length, nixFindings.length);
  for (const [index, finding] of nixFindings.entries()) assert.equal(kept[index], finding, `kept as the same object: ${finding.code}`);

  const [nix] = second.configurations;
  assert.ok(nix);
  for (const rule of NIX_RULES.filter((r) => !r.readsStacks)) {
    const ctx: Omit<NixRuleContext, 'projects'> = { nix, snapshot: second.snapshot, release: second.release, mountRoots: DEFAULT_SETTINGS.mountRoots };
    assert.deepEqual(rule.check({ ...ctx, projects: [] }), rule.check({ ...ctx, projects: second.projects }), rule.id);
  }
});

test('after any sequence of compose, .env and Nix edits, the kept analysis finds exactly what a fresh one finds', () => {
  const random = prng(Number(process.env.FUZZ_SEED ?? 20261126));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const overlay = new Map<string, string>();
  const overlayHost = () => createOverlaySource(createCachingSource(new DiskFileSource()), { textOf: (file) => overlay.get(file), files: () => overlay.keys() });
  const cache = new AnalysisCache(options, overlayHost());
  const dir = path.join(example, 'docker', 'edited');
  const file = path.join(dir, 'compose.yaml');
  const envFile = path.join(dir, '.env');
  const disk = new DiskFileSource().readText(configurationFile) ?? '';

  const services = ['first', 'second', 'third'].map((name) => ({ name, pgid: 110, dri: true, env: 'list' as 'list' | 'map' }));
  let extra = false;
  const env = { TZ: false, DATA_ROOT: false };
  const nix = { graphics: false, render: false, docker: false };
  const composeText = (): string =>
    `services:\n${services
      .map((s) => {
        const environment = s.env === 'list' ? `    environment:\n      - PUID=1000\n      - PGID=${s.pgid}\n      - TZ=\${TZ}\n` : `    environment:\n      PUID: "1000"\n      PGID: "${s.pgid}"\n      TZ: \${TZ}\n`;
        return `  ${s.name}:\n    image: lscr.io/linuxserver/${s.name}:latest\n${environment}${s.dri ? '    devices:\n      - /dev/dri:/dev/dri\n' : ''}    volumes:\n      - \${DATA_ROOT:-/mnt/PlexStorage}/media:/media\n`;
      })
      .join('')}${extra ? '  extra:\n    image: nginx\n    ports:\n      - "8080:80"\n' : ''}`;
  const write = (): void => {
    overlay.set(file, composeText());
    overlay.set(envFile, Object.entries(env).filter(([, on]) => on).map(([name]) => `${name}=${name === 'TZ' ? 'Europe/Berlin' : '/mnt/MediaArchive'}\n`).join(''));
    const lines = [nix.graphics ? 'hardware.graphics.enable = true;' : '', nix.render ? 'users.groups.render.gid = lib.mkForce 110;' : '', nix.docker ? 'virtualisation.docker.enable = true;' : ''].filter(Boolean);
    overlay.set(configurationFile, disk.replace('services.openssh.enable = true;', ['services.openssh.enable = true;', ...lines].join('\n  ')));
  };
  const edits: (() => void)[] = [
    () => (pick(services).pgid = pick([110, 111, 303, 1000, 4242])),
    () => {
      const service = pick(services);
      service.dri = !service.dri;
    },
    () => {
      const service = pick(services);
      service.env = service.env === 'list' ? 'map' : 'list';
    },
    () => (extra = !extra),
    () => {
      const name = pick(['TZ', 'DATA_ROOT'] as const);
      env[name] = !env[name];
    },
    () => {
      const name = pick(['graphics', 'render', 'docker'] as const);
      nix[name] = !nix[name];
    },
  ];

  const json = (analysis: { findings: unknown[] }): string => JSON.stringify(analysis.findings);
  write();
  for (let step = 0; step < 40; step++) {
    const kept = cache.analyse([file]);
    const fresh = new AnalysisCache(options, overlayHost()).analyse([file]);
    assert.equal(json(kept), json(fresh), `step ${step}: ${composeText()}`);
    pick(edits)();
    write();
  }
});

test('analyseInSteps: a stack yielded ahead of the rest has the findings the finished analysis lists for its files', () => {
  const { cache } = setup();
  const steps = cache.analyseInSteps([], [plexFile]);
  const early: { dir: string; byFile: Map<string, unknown[]> }[] = [];
  let next = steps.next();
  while (!next.done) {
    if (next.value) early.push({ dir: next.value.project.dir, byFile: next.value.findingsByFile });
    next = steps.next();
  }
  const analysis = next.value;
  assert.ok(early.length >= 2, `${early.length} stacks yielded early`);
  assert.equal(early[0]?.dir, path.dirname(plexFile), 'the prioritized stack comes first');
  for (const stack of early) {
    assert.ok(stack.byFile.size > 0);
    for (const [file, findings] of stack.byFile) assert.deepEqual(findings, analysis.findingsByFile.get(file), file);
  }
});

test('the deploy-time evidence of a stack is kept between compose edits, and a wrapper written meanwhile is still seen', () => {
  const { cache, edit } = setup();
  const plexText = new DiskFileSource().readText(plexFile) ?? '';
  const withVariable = (value: string): string => plexText.replace('PGID=110', `PGID=110\n      - EXTRA=\${PLEX_EXTRA}${value}`);
  const unresolved = (analysis: ReturnType<typeof cache.analyse>): boolean => (analysis.findingsByFile.get(plexFile) ?? []).some((f) => f.code === 'unresolved-variable' && f.message.startsWith('PLEX_EXTRA'));
  edit(plexFile, withVariable(''));
  const first = cache.analyse();
  assert.ok(unresolved(first));
  edit(plexFile, withVariable('x'));
  const second = cache.analyse();
  assert.ok(unresolved(second));
  const project = (a: typeof first) => a.projects.find((p) => p.file === plexFile);
  assert.notEqual(project(second), project(first), 'the edited stack was loaded again');
  assert.equal(project(second)?.deployEnv, project(first)?.deployEnv, 'its folder was not searched again');
  // A wrapper that exports the variable, written next to the stack: the stack's reads include the folder's listing.
  edit(path.join(path.dirname(plexFile), 'run.sh'), '#!/bin/sh\nexport PLEX_EXTRA=1\ndocker compose up -d\n');
  assert.ok(!unresolved(cache.analyse()));
});

/** A workspace of its own in a temporary folder: one host, one stack of three services, edited through an overlay. */
function tempWorkspace(configuration: string, compose: string): { cache: AnalysisCache; edit(file: string, text: string): void; fresh(): ReturnType<typeof analyseWorkspace>; nixFile: string; composeFile: string; dispose(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-incremental-'));
  const nixFile = path.join(root, 'nixos', 'configuration.nix');
  const composeFile = path.join(root, 'docker', 'app', 'compose.yaml');
  fs.mkdirSync(path.dirname(nixFile), { recursive: true });
  fs.mkdirSync(path.dirname(composeFile), { recursive: true });
  fs.writeFileSync(nixFile, configuration);
  fs.writeFileSync(composeFile, compose);
  const overlay = new Map<string, string>();
  const source = () => createOverlaySource(createCachingSource(new DiskFileSource()), { textOf: (file) => overlay.get(file), files: () => overlay.keys() });
  const own: WorkspaceOptions = { roots: [root], settings: DEFAULT_SETTINGS };
  return {
    cache: new AnalysisCache(own, source()),
    edit: (file, text) => overlay.set(file, text),
    fresh: () => analyseWorkspace(own, source()),
    nixFile,
    composeFile,
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

const firmwareConfiguration = (firmware: string) => `{ ... }:\n{\n  virtualisation.docker.enable = true;\n  users.users.palav.isNormalUser = true;\n${firmware}  system.stateVersion = "25.05";\n}\n`;
const threeServices = (pgids: [number, number, number], lastImage = 'lscr.io/linuxserver/plex:latest') =>
  `services:\n${pgids.map((pgid, index) => `  s${index}:\n    image: ${index === 2 ? lastImage : 'lscr.io/linuxserver/plex:latest'}\n    environment:\n      - PUID=1000\n      - PGID=${pgid}\n    devices:\n      - /dev/dri:/dev/dri\n`).join('')}`;

test('grouped findings: an edit that leaves a rule\'s findings as they were keeps its group; one that changes them regroups', () => {
  const workspace = tempWorkspace(firmwareConfiguration(''), threeServices([4321, 4321, 4321]));
  try {
    const { cache, edit, composeFile } = workspace;
    const pgidOf = (analysis: ReturnType<typeof cache.analyse>) => (analysis.findingsByFile.get(composeFile) ?? []).filter((f) => f.code === 'pgid-unmapped');
    const first = pgidOf(cache.analyse());
    assert.equal(first.length, 1);
    assert.match(first[0]!.message, /\(and 2 more\)/);

    // The third service's image changes, not its PGID: its pgid finding says the same, and so does the group.
    edit(composeFile, threeServices([4321, 4321, 4321], 'lscr.io/linuxserver/jellyfin:latest'));
    const kept = pgidOf(cache.analyse());
    assert.equal(kept[0], first[0], 'the grouped finding is the same object');
    assert.deepEqual(cache.analyse().findings, workspace.fresh().findings);

    // Its PGID changes: the group shrinks and the third service has a finding of its own.
    edit(composeFile, threeServices([4321, 4321, 4322], 'lscr.io/linuxserver/jellyfin:latest'));
    const regrouped = pgidOf(cache.analyse());
    assert.equal(regrouped.length, 2);
    assert.match(regrouped[0]!.message, /\(and 1 more\)/);
    assert.ok(regrouped.some((f) => f.message.includes('4322')));
    assert.deepEqual(cache.analyse().findings, workspace.fresh().findings);

    // And back: one group of three again.
    edit(composeFile, threeServices([4321, 4321, 4321]));
    const back = pgidOf(cache.analyse());
    assert.equal(back.length, 1);
    assert.match(back[0]!.message, /\(and 2 more\)/);
    assert.deepEqual(cache.analyse().findings, workspace.fresh().findings);
  } finally {
    workspace.dispose();
  }
});

test('a Nix edit that installs GPU firmware removes the firmware findings, and removing it brings them back', () => {
  const workspace = tempWorkspace(firmwareConfiguration(''), threeServices([4321, 4321, 4321]));
  try {
    const { cache, edit, nixFile } = workspace;
    const firmware = (analysis: ReturnType<typeof cache.analyse>) => analysis.findings.filter((f) => f.code === 'dri-without-gpu-firmware').length;
    assert.equal(firmware(cache.analyse()), 3);
    edit(nixFile, firmwareConfiguration('  hardware.enableRedistributableFirmware = true;\n'));
    assert.equal(firmware(cache.analyse()), 0);
    assert.deepEqual(cache.analyse().findings, workspace.fresh().findings);
    edit(nixFile, firmwareConfiguration('  hardware.enableRedistributableFirmware = false;\n'));
    assert.equal(firmware(cache.analyse()), 3);
    assert.deepEqual(cache.analyse().findings, workspace.fresh().findings);
  } finally {
    workspace.dispose();
  }
});
