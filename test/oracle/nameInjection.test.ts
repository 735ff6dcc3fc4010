/**
 * Names from the user's files must stay data in the Nix the product writes: `nixos-rebuild` evaluates it as root.
 * Every hostile name below goes through each context (double-quoted string, indented string, attribute name,
 * comment, import path), then the real Nix parser and evaluator judge the result: the file parses, every value
 * evaluates to the intended string, and no attribute appears that the product did not write.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyseWorkspace } from '../../src/core/analysis/pipeline';
import { DiskFileSource } from '../../src/core/analysis/fileSource';
import { nix } from '../../src/core/edits/nixExpr';
import { renderModule } from '../../src/core/fixes/renderModule';
import { set } from '../../src/core/edits/setting';
import { generateModule } from '../../src/core/generate';
import { initNixParser } from '../../src/core/nix';
import { importPathFor } from '../../src/core/nix/editImports';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { attrAt, evalModule, parseNixFiles } from './nixOracle';

const dir = mkdtempSync(join(tmpdir(), 'nixoshl-injection-'));

/** Each would end a comment, a string or an attribute name if written raw, and then run `injected`. */
const PAYLOADS: Record<string, string> = {
  cr: 'a\rinjected = builtins.abort "cr";\r',
  lf: 'a\ninjected = builtins.abort "lf";\n',
  crlf: 'a\r\ninjected = 1;',
  indentedClose: "a'';injected = 1;b''",
  oddQuoteThenInterpolation: "a'${builtins.abort \"quote\"}",
  interpolation: '${builtins.abort "interpolation"}',
  dollarDollar: '$${x}$',
  blockComment: '*/ injected = 1; /*',
  quoteAndBackslash: 'a"b\\c\\"d\\${e}',
  nul: 'a\0injected = 1;',
  unicodeBreaks: 'a\u2028injected = 1;\u2029b\u0085c',
  bidi: 'a\u202Einjected\u2066x',
  tabs: 'a\tb',
  dollarAtEnd: 'a$',
  quotesAtEnd: "a'",
};

/** What Nix can hold: everything but NUL, which the product writes as U+FFFD. */
function intended(value: string): string {
  return value.replace(/\0/g, '\uFFFD');
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function evaluated(file: string): unknown {
  const result = evalModule(file);
  if (!result.ok) assert.fail(`${file} does not evaluate:\n${result.error}`);
  return result.value;
}

before(async () => {
  await initNixParser();
});

test('every hostile name as a string, an indented-string line, an attribute name and in comments stays data', () => {
  const files: [string, string][] = [];
  for (const [label, payload] of Object.entries(PAYLOADS)) {
    const blocks = [
      {
        title: `Title ${payload}`,
        settings: [
          set(['t', 'string'], nix.str(payload), { reason: `because ${payload}` }),
          set(['t', 'list'], nix.strings([payload, 'second'])),
          set(['t', 'indented'], nix.indented(['first', payload, `  ${payload}`, 'last'])),
          set(['t', 'names', payload], nix.str('value')),
        ],
      },
      { title: `A note\nwith ${payload}`, settings: [] },
    ];
    files.push([label, write(`render-${label}.nix`, renderModule(blocks, { header: [`Header ${payload}`] }).text)]);
  }
  const verdicts = parseNixFiles(files.map(([, file]) => file));
  for (const [label, file] of files) {
    assert.deepEqual(verdicts.get(file), { ok: true }, `${label} does not parse`);
    const value = evaluated(file);
    const expected = intended(PAYLOADS[label] as string);
    assert.deepEqual(Object.keys(value as object), ['t'], `${label}: an attribute was injected`);
    assert.deepEqual(Object.keys(attrAt(value, ['t']) as object).sort(), ['indented', 'list', 'names', 'string'], label);
    assert.equal(attrAt(value, ['t', 'string']), expected, label);
    assert.deepEqual(attrAt(value, ['t', 'list']), [expected, 'second'], label);
    assert.equal(attrAt(value, ['t', 'indented']), `first\n${expected}\n  ${expected}\nlast\n`, label);
    assert.deepEqual(Object.keys(attrAt(value, ['t', 'names']) as object), [expected], label);
  }
});

test('a generated module over a workspace whose folder, service, mount and snapshot values are hostile parses and evaluates to them', () => {
  const evil = "x\r\n''${builtins.abort \"pwn\"}*/\u2028\u2029\u0085'#";
  const root = join(dir, 'ws');
  const stackDir = join(root, `stack${evil}`);
  mkdirSync(stackDir, { recursive: true });
  const mountpoint = `/mnt/Data${evil}`;
  // A NUL in the service name through YAML's `\0` escape: the file itself holds no NUL byte.
  const service = `svc${evil}\0end`;
  writeFileSync(
    join(stackDir, 'docker-compose.yml'),
    [
      'services:',
      `  ${JSON.stringify(service)}:`,
      '    image: busybox',
      '    environment:',
      '      - PUID=1000',
      '      - PGID=2000',
      '    volumes:',
      `      - ${JSON.stringify(`${mountpoint}/media:/media`)}`,
      '',
    ].join('\n'),
  );
  const snapshot = join(root, 'snapshot');
  mkdirSync(snapshot);
  // fstab writes the CR and LF of the mount point as octal escapes; the options carry Nix's special characters.
  const fstabMountpoint = mountpoint.replace(/\r/g, '\\015').replace(/\n/g, '\\012').replace(/ /g, '\\040');
  writeFileSync(join(snapshot, 'fstab.txt'), `UUID=3b6f2a9e-${"''${x}"} ${fstabMountpoint} ext4 nofail,x-${"''${builtins.abort\"o\"}"}*/ 0 2\n`);
  writeFileSync(join(snapshot, 'id-palav.txt'), 'uid=1000(palav) gid=1000(palav) groups=1000(palav)\n');
  writeFileSync(join(snapshot, 'group-2000.txt'), 'media:x:2000:palav\n');

  const analysis = analyseWorkspace({ roots: [root], snapshotDir: 'snapshot', settings: DEFAULT_SETTINGS }, new DiskFileSource());
  const generated = generateModule(analysis, { workspaceRoot: root, stacksRoot: `/srv/${evil}` });
  const file = write('hostile-workspace.nix', generated.text);
  assert.deepEqual([...parseNixFiles([file]).values()], [{ ok: true }]);
  const value = evaluated(file);

  assert.deepEqual(Object.keys(value as object).sort(), ['environment', 'fileSystems', 'systemd', 'users', 'virtualisation']);
  assert.deepEqual(Object.keys(attrAt(value, ['fileSystems']) as object), [mountpoint]);
  assert.deepEqual(attrAt(value, ['fileSystems', mountpoint]), {
    device: "/dev/disk/by-uuid/3b6f2a9e-''${x}",
    fsType: 'ext4',
    options: ['nofail', "x-''${builtins.abort\"o\"}*/"],
  });
  const unit = attrAt(value, ['systemd', 'services', 'homelab-autostart']) as Record<string, unknown>;
  // The stacks root (hostile too) may count as a mount of its own; the data disk must be there.
  assert.ok((attrAt(unit, ['unitConfig', 'RequiresMountsFor']) as string[]).includes(mountpoint));
  const script = unit['script'] as string;
  const quoted = evil.replace(/'/g, "'\\''");
  assert.ok(script.includes(`for dir in '/srv/${quoted}/stack${quoted}'; do`), script);
  // The names reach the terminal (notes, sources) on one line each.
  for (const line of [...generated.sources, ...generated.notes]) assert.ok(!/[\r\n\0\u2028\u2029\u0085]/.test(line), JSON.stringify(line));
  // The script stays valid bash with the hostile folder as one word.
  const check = spawnSync('bash', ['-n', write('hostile-autostart.sh', script)], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
});

test('an import path through a hostile folder is a Nix path expression naming exactly that file', () => {
  const evil = "d\r\n''${builtins.abort \"pwn\"}\"\\";
  const entry = join(dir, 'cfg', 'configuration.nix');
  const module = join(dir, 'cfg', evil, 'homelab.nix');
  const far = join('/', 'a', 'b', 'c', evil, 'homelab.nix');
  const near = importPathFor(entry, module);
  const absolute = importPathFor(join(dir, 'x', 'y', 'z', 'w', 'configuration.nix'), far);
  mkdirSync(join(dir, 'cfg'), { recursive: true });
  const file = write(join('cfg', 'import.nix'), `{ near = toString (${near}); far = toString (${absolute}); }\n`);
  assert.deepEqual([...parseNixFiles([file]).values()], [{ ok: true }]);
  const value = evaluated(file) as Record<string, string>;
  assert.equal(value['near'], module);
  assert.equal(value['far'], far);
});
