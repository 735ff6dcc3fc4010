import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliError } from '../../../src/cli/args';
import { stacksRootFlag, workspaceInputs } from '../../../src/cli/workspaceFlags';

function withFolder(run: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-flags-'));
  try {
    fs.mkdirSync(path.join(dir, 'stacks'));
    fs.mkdirSync(path.join(dir, 'snapshot'));
    fs.writeFileSync(path.join(dir, 'configuration.nix'), '{ }\n');
    run(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const refused = (command: () => unknown, message: RegExp): void => assert.throws(command, (error: unknown) => error instanceof CliError && message.test(error.message));

test('workspaceInputs resolves PATHs (default: the current folder), --nix and --snapshot against the current folder', () => {
  withFolder((dir) => {
    assert.deepEqual(workspaceInputs('lint', {}, [], dir), { roots: [dir], nixFiles: [], snapshotDir: undefined, release: undefined });
    assert.deepEqual(workspaceInputs('generate', { nix: ['configuration.nix'], snapshot: 'snapshot', release: '24.11' }, ['stacks'], dir), {
      roots: [path.join(dir, 'stacks')],
      nixFiles: [path.join(dir, 'configuration.nix')],
      snapshotDir: path.join(dir, 'snapshot'),
      release: '24.11',
    });
  });
});

test('workspaceInputs refuses, naming the command and the flag: a release not shaped 24.11, a PATH, --nix or --snapshot that does not exist', () => {
  withFolder((dir) => {
    refused(() => workspaceInputs('lint', { release: 'latest' }, [], dir), /^lint: --release must look like 24\.11 \(got "latest"\)$/);
    refused(() => workspaceInputs('generate', {}, ['no/such'], dir), /^generate: no\/such: no such file or folder$/);
    refused(() => workspaceInputs('verify', { nix: ['missing.nix'] }, [], dir), /^verify: --nix .*missing\.nix: no such file$/);
    refused(() => workspaceInputs('lint', { snapshot: 'gone' }, [], dir), /^lint: --snapshot gone: no such folder \(run `nixos-homelab extract` first\)$/);
  });
});

test('stacksRootFlag takes an absolute path on the NixOS host without trailing slashes, and refuses a relative one', () => {
  assert.equal(stacksRootFlag('generate', undefined), undefined);
  assert.equal(stacksRootFlag('generate', '/home/palav/homelab/'), '/home/palav/homelab');
  assert.equal(stacksRootFlag('verify', '///'), '/');
  refused(() => stacksRootFlag('verify', 'homelab'), /^verify: --stacks-root must be an absolute path on the NixOS host/);
  refused(() => stacksRootFlag('generate', '/srv/\nx'), /^generate: --stacks-root must be an absolute path/);
});
