// `npm run demo`: the main job on the bundled example homelab (examples/pop-os-homelab, a Pop!_OS host about to
// become NixOS). Lints it, then runs `lint --fix` on a temporary copy and shows what changed and what is left for
// a person. Exits 0 when the tool behaved as expected (findings on the fresh install, none after the fixes but
// those needing a decision); any other outcome is a failure.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const example = join(root, 'examples', 'pop-os-homelab');
const cli = join(root, 'dist', 'cli.js');
const bold = (text) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text);

function run(args, cwd) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, stdio: 'inherit' });
  return result.status;
}

console.log(bold('\n▶ nixos-homelab lint --snapshot snapshot .   (the fresh NixOS install knows nothing of the stacks yet)\n'));
const before = run(['lint', '--snapshot', 'snapshot', '.'], example);
if (before !== 1) {
  console.error(`demo: expected lint to report errors on the fresh install (exit 1), got exit ${before}`);
  process.exit(1);
}

const copy = mkdtempSync(join(tmpdir(), 'nixos-homelab-demo-'));
try {
  cpSync(example, copy, { recursive: true });
  console.log(bold(`\n▶ nixos-homelab lint --fix --snapshot snapshot .   (on a copy in ${copy})\n`));
  const after = run(['lint', '--fix', '--snapshot', 'snapshot', '.'], copy);
  if (after !== 0) {
    console.error(`demo: expected no error-severity finding after --fix (exit 0), got exit ${after}`);
    process.exit(1);
  }
  console.log(bold('\n▶ the fixed nixos/configuration.nix\n'));
  console.log(readFileSync(join(copy, 'nixos', 'configuration.nix'), 'utf8'));
} finally {
  rmSync(copy, { recursive: true, force: true });
}
console.log(bold('Next: `node dist/cli.js generate --snapshot examples/pop-os-homelab/snapshot examples/pop-os-homelab` writes the whole module; docs/cli.md has every command.'));
