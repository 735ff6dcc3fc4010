/**
 * Fuzz-style test of the edit planner: random but parseable configurations holding the same settings in random
 * shapes (nested or dotted at every level, random order, comments, 2/4-space or tab indentation, LF or CRLF,
 * different module headers), then the fix blocks applied one after another. Every result must parse (one batched
 * Nix oracle call), a second application must change nothing, every desired value must be defined exactly once,
 * and every comment must survive. Seeded, bounded: the same cases run every time.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { dockerBlock, fileSystemBlock, graphicsBlock, groupBlock, nvidiaBlock, userBlock } from '../../../../src/core/fixes/blocks';
import { attrPath, renderNix } from '../../../../src/core/edits/nixExpr';
import type { Block } from '../../../../src/core/edits/setting';
import { loadNixConfiguration } from '../../../../src/core/nix';
import { normalizeNixText } from '../../../../src/core/nix/editText';
import { memoryHost } from '../../helpers/memoryHost';
import { prng } from '../../helpers/prng';
import { ENTRY, oracle, planOnce, ready } from './planFixture';

before(ready);

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 60);

interface Gen {
  random: () => number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  shuffle<T>(items: T[]): T[];
}

function gen(seed: number): Gen {
  const random = prng(seed);
  return {
    random,
    pick: (items) => items[Math.floor(random() * items.length)] as (typeof items)[number],
    chance: (p) => random() < p,
    shuffle: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [copy[i], copy[j]] = [copy[j] as (typeof copy)[number], copy[i] as (typeof copy)[number]];
      }
      return copy;
    },
  };
}

type Pair = [string[], string];

/** Settings a hand-written configuration may already have; a random subset is written in each case. */
function existingSettings(g: Gen): Pair[] {
  const list = (items: string[]): string => (g.chance(0.5) ? `[ ${items.join(' ')} ]` : `[\n${items.join('\n')}\n]`);
  const pool: Pair[] = [
    [['users', 'users', 'palav', 'isNormalUser'], 'true'],
    [['users', 'users', 'palav', 'description'], '"Palav"'],
    [['networking', 'hostName'], '"nas"'],
    [['services', 'openssh', 'enable'], 'true'],
    [['fileSystems', '/', 'device'], '"/dev/disk/by-uuid/1234"'],
    [['fileSystems', '/', 'fsType'], '"ext4"'],
    [['time', 'timeZone'], '"Europe/Berlin"'],
  ];
  const optional: Pair[] = [
    [['users', 'users', 'palav', 'extraGroups'], list(['"wheel"', '"networkmanager"'])],
    [['environment', 'systemPackages'], g.chance(0.5) ? `with pkgs; ${list(['vim', 'git'])}` : list(['pkgs.vim'])],
    [['users', 'groups', 'render', 'gid'], '110'],
    [['virtualisation', 'docker', 'enable'], 'true'],
    [['hardware', 'graphics', 'enable'], 'true'],
  ];
  return [...pool.slice(0, 1), ...g.shuffle(pool.slice(1)).slice(0, 2 + Math.floor(g.random() * 5)), ...optional.filter(() => g.chance(0.4))];
}

/** Renders pairs as bindings, nesting or dotting each shared prefix at random, with random comments. */
function renderBindings(g: Gen, pairs: Pair[], indent: string, unit: string, prefix: string[], comments: string[]): string[] {
  const groups = new Map<string, Pair[]>();
  for (const [path, value] of pairs) {
    const [first, ...rest] = path;
    if (first === undefined) continue;
    const group = groups.get(first) ?? [];
    group.push([rest, value]);
    groups.set(first, group);
  }
  const lines: string[] = [];
  for (const [first, group] of g.shuffle([...groups])) {
    const key = [...prefix, first];
    if (g.chance(0.2)) {
      const comment = `# note ${comments.length}`;
      comments.push(comment);
      lines.push(`${indent}${comment}`);
    }
    const leaf = group.find(([rest]) => rest.length === 0);
    if (leaf) {
      const value = leaf[1].replace(/\n/g, `\n${indent}${unit}`).replace(/\n(\S*)\]$/, `\n${indent}]`);
      const trailing = g.chance(0.2) ? ` # trailing ${comments.push(`# trailing ${comments.length}`) - 1}` : '';
      lines.push(`${indent}${attrPath(key)} = ${value};${trailing}`);
    } else if (group.length === 1 || g.chance(0.5)) {
      lines.push(...renderBindings(g, group, indent, unit, key, comments));
    } else {
      lines.push(`${indent}${attrPath(key)} = {`, ...renderBindings(g, group, indent + unit, unit, [], comments), `${indent}};`);
    }
  }
  return lines;
}

function randomModule(seed: number): { text: string; comments: string[]; unit: string } {
  const g = gen(seed);
  const unit = g.pick(['  ', '    ', '\t']);
  const comments: string[] = [];
  const body = renderBindings(g, existingSettings(g), unit, unit, [], comments).join('\n');
  const withPkgs = ['{ config, pkgs, ... }:\n\n{', '{ pkgs, lib, ... }:\n{', 'args@{ pkgs, ... }:\n{', '# Hand-written configuration.\n{ config, pkgs,\n  ...\n}:\n{'];
  const withoutPkgs = ['{', '{ config, ... }:\nlet\n  hostName = "nas";\nin\n{'];
  // Nix's parser rejects unbound variables: a body that names pkgs needs a header that binds it.
  const header = g.pick(body.includes('pkgs') ? withPkgs : [...withPkgs, ...withoutPkgs]);
  const text = `${header}\n${body}\n}\n`;
  return { text: g.chance(0.25) ? text.replace(/\n/g, '\r\n') : text, comments, unit };
}

function fixBlocks(seed: number): Block[] {
  const g = gen(seed * 7 + 1);
  const all: Block[] = [
    userBlock({ name: 'palav', uid: 1000, exists: true }),
    groupBlock({ name: 'render', gid: 110, members: ['palav'] }),
    { title: 'personal group', settings: [...groupBlock({ name: 'palav', gid: 1000 }).settings, ...userBlock({ name: 'palav', uid: 1000, exists: true, personalGroup: true }).settings] },
    dockerBlock('palav'),
    graphicsBlock('25.05', ['intel']),
    nvidiaBlock('25.05', { open: g.chance(0.5) }),
    fileSystemBlock({ mountpoint: '/mnt/PlexStorage', uuid: 'abcd-1234', fsType: 'ext4', options: ['nofail', 'noatime'], origin: 'fstab' }),
  ];
  return g.shuffle(all).slice(0, 2 + Math.floor(g.random() * (all.length - 1)));
}

test(`fuzz: ${ITERATIONS} random configurations take every fix, parse, and stay fixed`, () => {
  for (let seed = 1; seed <= ITERATIONS; seed++) {
    const { text, comments, unit } = randomModule(seed);
    const fixTarget = seed % 5 === 0 ? 'module' : 'entry';
    let files: Record<string, string> = { [ENTRY]: text };
    const blocks = fixBlocks(seed);
    for (const block of blocks) {
      const planned = planOnce(files, block.settings, fixTarget);
      if ('error' in planned.result) assert.fail(`seed ${seed}, ${block.title}: ${planned.result.error}\n${files[ENTRY]}`);
      files = planned.files;
    }
    const everything = blocks.flatMap((block) => block.settings);
    const again = planOnce(files, everything, fixTarget);
    assert.deepEqual(again.result, { edits: [], creates: [] }, `seed ${seed}: a second application changes nothing\n${files[ENTRY]}`);

    const configuration = loadNixConfiguration(ENTRY, memoryHost(files));
    for (const setting of everything) {
      const definitions = configuration.definitionsOf(setting.path);
      if (setting.mode === 'set') {
        assert.equal(definitions.length, 1, `seed ${seed}: ${setting.path.join('.')} defined once\n${files[ENTRY]}`);
        const written = files[definitions[0]?.file ?? ''] ?? '';
        const range = definitions[0]?.exprLoc.range;
        assert.ok(range);
        const lines = written.split(/\r?\n/);
        const valueText = range.start.line === range.end.line ? lines[range.start.line]?.slice(range.start.character, range.end.character) : undefined;
        if (valueText !== undefined) assert.equal(normalizeNixText(valueText), normalizeNixText(renderNix(setting.value, '', '  ')), `seed ${seed}: value of ${setting.path.join('.')}`);
      } else {
        const present = definitions.flatMap((d) => (d.value.kind === 'list' ? d.value.items.map((item) => (item.kind === 'string' ? `"${item.value}"` : item.kind === 'unknown' ? item.text.replace(/^pkgs\./, '') : '')) : []));
        const wanted = setting.value.kind === 'list' ? setting.value.items.map((item) => renderNix(item, '', '  ').replace(/^pkgs\./, '')) : [];
        for (const item of wanted) assert.ok(present.includes(item), `seed ${seed}: ${setting.path.join('.')} has ${item} (has ${present.join(' ')})`);
      }
    }
    for (const comment of comments) assert.ok(files[ENTRY]?.includes(comment), `seed ${seed}: comment "${comment}" kept`);
    if (text.includes('\r\n')) for (const file of Object.values(files)) if (file !== text) assert.doesNotMatch(file.replace(/\r\n/g, ''), /\n/, `seed ${seed}: CRLF kept`);
    const original = new Set(text.split(/\r?\n/));
    for (const file of Object.values(files)) {
      for (const line of file.split(/\r?\n/)) {
        if (original.has(line)) continue;
        const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
        const ok = unit === '\t' ? !indent.includes(' ') : !indent.includes('\t') && indent.length % unit.length === 0;
        assert.ok(ok, `seed ${seed}: new line ${JSON.stringify(line)} is indented in the file's unit ${JSON.stringify(unit)}`);
      }
    }
    for (const [file, result] of Object.entries(files)) oracle.add(`seed ${seed} ${file}`, result);
  }
});

test('every fuzz result parses (one nix-instantiate call)', () => {
  assert.ok(oracle.size >= ITERATIONS);
  oracle.check();
});
