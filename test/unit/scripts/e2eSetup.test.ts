import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

// scripts/e2e-setup.sh runs `npm install` for code-server and playwright-core. Called from `npm test`, it inherits
// what the outer npm exports to its scripts; code-server's postinstall read the outer Node version from
// npm_config_user_agent and refused to install (issue #12). These tests run the script's `--print-env` mode, which
// prints the environment its installs would get, under a real npm (`npm exec`) with the project's test environment.

const repo = path.resolve(__dirname, '..', '..', '..');
const script = path.join(repo, 'scripts', 'e2e-setup.sh');

function environmentUnderNpm(extra: Record<string, string>): Map<string, string> {
  const result = spawnSync('npm', ['exec', '--offline', '--', 'bash', script, '--print-env'], {
    cwd: repo,
    env: { ...process.env, ...extra },
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `e2e-setup.sh --print-env failed: ${result.stderr}`);
  const vars = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(line.slice(0, eq))) vars.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return vars;
}

test('the e2e set-up passes none of the outer npm process to its inner installs', () => {
  const env = environmentUnderNpm({ npm_config_user_agent: 'npm/11.0.0 node/v20.0.0 linux x64 workspaces/false' });
  const leaked = [...env.keys()].filter((name) =>
    /^(npm_config_user_agent|npm_config_node_gyp|npm_config_nodedir|npm_config_npm_version|npm_config_local_prefix|npm_config_prefix|npm_config_global_prefix|npm_config_loglevel|npm_execpath|npm_node_execpath|npm_command|npm_lifecycle_.*|npm_package_.*|INIT_CWD|NODE|NODE_OPTIONS)$/i.test(name),
  );
  assert.deepEqual(leaked, []);
  const pathDirs = (env.get('PATH') ?? '').split(':');
  assert.deepEqual(pathDirs.filter((dir) => dir.includes('node_modules/.bin') || dir.endsWith('node-gyp-bin')), []);
  assert.ok(pathDirs.length > 0 && pathDirs.some((dir) => dir === '/usr/bin' || dir === '/bin'), `PATH lost the system folders: ${env.get('PATH')}`);
});

test('the e2e set-up keeps the npm settings that say how to reach the registry', () => {
  const env = environmentUnderNpm({
    npm_config_registry: 'https://registry.example.invalid/',
    npm_config_https_proxy: 'http://proxy.example.invalid:3128',
    npm_config_cafile: '/etc/ssl/certs/ca-certificates.crt',
  });
  assert.equal(env.get('npm_config_registry'), 'https://registry.example.invalid/');
  assert.equal(env.get('npm_config_https_proxy'), 'http://proxy.example.invalid:3128');
  assert.equal(env.get('npm_config_cafile'), '/etc/ssl/certs/ca-certificates.crt');
});
