/**
 * The pre-commit hook definition (.pre-commit-hooks.yaml) with the real `pre-commit` (Debian's package; installed by
 * scripts/ensure-system-deps.sh): its `language: node` install — `npm install` in a clone of this repository (the
 * postinstall script builds dist/), `npm pack`, `npm install -g` of the tarball — then the hook in a throwaway git
 * repository holding the example homelab: it fails on the example's findings, is skipped when no file it reads is
 * staged, and, installed as a git hook, refuses a commit that touches a compose file. Needs the npm registry (or a
 * warm npm cache) for the clone's dependencies. Never skipped: a missing `pre-commit` is a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '..', '..');
/** The working-tree files the hook's install and the CLI are built from (copied over a clone of HEAD). */
const HOOK_SOURCES = ['.pre-commit-hooks.yaml', '.npmignore', 'package.json', 'package-lock.json', 'esbuild.js', 'tsconfig.json', 'src'];
/** Git without the user's and the system's configuration (a global core.hooksPath makes `pre-commit install` refuse). */
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

function run(command: string, args: string[], options: SpawnSyncOptions & { cwd: string }) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 600_000, ...options, env: { ...process.env, ...GIT_ENV, ...options.env } });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  return { status: result.status, output: `${String(result.stdout)}${String(result.stderr)}` };
}

function git(cwd: string, ...args: string[]): string {
  const result = run('git', args, { cwd });
  assert.equal(result.status, 0, `git ${args.join(' ')}: ${result.output}`);
  return result.output.trim();
}

test('the pre-commit hook installs with language: node and lints the repository it guards', { timeout: 900_000 }, () => {
  const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, `pre-commit is not installed (scripts/ensure-system-deps.sh installs it): ${version.error?.message ?? version.stderr}`);

  const work = mkdtempSync(join(tmpdir(), 'nh-pre-commit-'));
  try {
    // The hook repository: HEAD plus the working tree's build inputs, committed (pre-commit installs a commit).
    const hookRepo = join(work, 'hook-repo');
    git(work, 'clone', '--quiet', repo, hookRepo);
    for (const entry of HOOK_SOURCES) {
      rmSync(join(hookRepo, entry), { recursive: true, force: true });
      cpSync(join(repo, entry), join(hookRepo, entry), { recursive: true });
    }
    git(hookRepo, 'add', '-A');
    git(hookRepo, 'commit', '--quiet', '--allow-empty', '-m', 'the working tree under test');
    const rev = git(hookRepo, 'rev-parse', 'HEAD');

    // The repository it guards: the example homelab (its snapshot in snapshot/, as the hook's args say).
    const guarded = join(work, 'homelab');
    cpSync(join(repo, 'examples', 'pop-os-homelab'), guarded, { recursive: true });
    writeFileSync(
      join(guarded, '.pre-commit-config.yaml'),
      `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: nixos-homelab-lint\n        args: [--snapshot, snapshot]\n`,
    );
    writeFileSync(join(guarded, 'NOTES.md'), '# notes\n');
    git(guarded, 'init', '--quiet');
    git(guarded, 'add', '-A');
    git(guarded, 'commit', '--quiet', '-m', 'the homelab as it is');
    const env = { PRE_COMMIT_HOME: join(work, 'pre-commit-home') };
    mkdirSync(env.PRE_COMMIT_HOME);

    const all = run('pre-commit', ['run', '--all-files'], { cwd: guarded, env });
    assert.equal(all.status, 1, all.output);
    assert.match(all.output, /nixos-homelab lint\.+Failed/);
    assert.match(all.output, /docker\/plex\/docker-compose\.yml:\d+:\d+ +\w+ +.*\[docker-not-enabled\]/);
    assert.match(all.output, /✖ \d+ problems \(\d+ errors?/);

    // Only a file the findings do not depend on is staged: the hook does not run.
    writeFileSync(join(guarded, 'NOTES.md'), '# notes\nmore\n');
    git(guarded, 'add', 'NOTES.md');
    const notes = run('pre-commit', ['run'], { cwd: guarded, env });
    assert.equal(notes.status, 0, notes.output);
    assert.match(notes.output, /nixos-homelab lint\.+\(no files to check\)Skipped/);
    git(guarded, 'commit', '--quiet', '-m', 'notes');

    // As the git hook: a commit touching a compose file is refused while the homelab has error findings.
    const installed = run('pre-commit', ['install'], { cwd: guarded, env });
    assert.equal(installed.status, 0, installed.output);
    writeFileSync(join(guarded, 'docker', 'plex', 'docker-compose.yml'), `# touched\n${readFileSync(join(guarded, 'docker', 'plex', 'docker-compose.yml'), 'utf8')}`);
    git(guarded, 'add', 'docker/plex/docker-compose.yml');
    const commit = run('git', ['commit', '-m', 'touch plex'], { cwd: guarded, env });
    assert.notEqual(commit.status, 0, commit.output);
    assert.match(commit.output, /nixos-homelab lint\.+Failed/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

