import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exampleNames, gitignoreFor, gitignoreMatches, readDeployEnv, readWrapper } from '../../../../src/core/compose/deployEnv';
import { memoryHost } from '../../helpers/memoryHost';

test('gitignoreMatches: names at any depth, anchored paths, folders above the file, globs', () => {
  assert.equal(gitignoreMatches('.env', 'stacks/immich/.env'), true);
  assert.equal(gitignoreMatches('*.env', 'stacks/immich/.env'), true);
  assert.equal(gitignoreMatches('.env*', 'stacks/immich/.env'), true);
  assert.equal(gitignoreMatches('/.env', 'stacks/immich/.env'), false, 'anchored to the .gitignore folder');
  assert.equal(gitignoreMatches('/.env', '.env'), true);
  assert.equal(gitignoreMatches('stacks/*/.env', 'stacks/immich/.env'), true);
  assert.equal(gitignoreMatches('**/.env', 'stacks/immich/.env'), true);
  assert.equal(gitignoreMatches('secrets/', 'secrets/immich/.env'), true, 'an ignored folder ignores what is in it');
  assert.equal(gitignoreMatches('.env/', 'stacks/.env'), false, 'a folder-only pattern does not match the file');
  assert.equal(gitignoreMatches('.env.example', 'stacks/immich/.env'), false);
  assert.equal(gitignoreMatches('[.]env', '.env'), true);
});

test('gitignoreFor: the deepest, last matching line wins; `!` re-includes; the walk stops at the repository root', () => {
  const host = memoryHost({
    '/repo/.git': '',
    '/repo/.gitignore': '# local values\n.env\n',
    '/repo/stacks/public/.gitignore': '!.env\n',
    '/.gitignore': 'stacks/\n',
  });
  assert.deepEqual(gitignoreFor('/repo/stacks/immich/.env', host), { gitignore: '/repo/.gitignore', line: 1, pattern: '.env' });
  assert.equal(gitignoreFor('/repo/stacks/public/.env', host), undefined);
  assert.equal(gitignoreFor('/elsewhere/.env', memoryHost({ '/elsewhere/.git': '' })), undefined);
});

test('exampleNames: assignments, exports and commented-out assignments (documented names)', () => {
  assert.deepEqual(exampleNames('# Copy to .env\nDB_PASSWORD=\nexport TZ=UTC\n# SMTP_HOST=smtp.example.org\n#   just a comment\n'), ['DB_PASSWORD', 'TZ', 'SMTP_HOST']);
});

test('readWrapper: a justfile with --env-file in a variable, exports and dotenv-path', () => {
  const host = memoryHost({ '/repo/env/app.env': 'DOMAIN=x\nexport SIGNUPS=false\n' });
  const justfile = 'set dotenv-path := "/run/agenix/app"\nexport ADMIN_TOKEN := env_var("T")\ncompose := "docker compose --env-file ../../env/app.env"\nup:\n    {{compose}} up -d\n    docker compose --env-file $ENV_FILE up\n';
  const wrapper = readWrapper('/repo/stacks/app/justfile', justfile, host);
  assert.deepEqual(wrapper.names, ['ADMIN_TOKEN']);
  assert.deepEqual(wrapper.envFiles.map((file) => [file.written, file.path, file.names]), [
    ['/run/agenix/app', '/run/agenix/app', undefined],
    ['../../env/app.env', '/repo/env/app.env', ['DOMAIN', 'SIGNUPS']],
    ['$ENV_FILE', undefined, undefined],
  ]);
});

test('readWrapper: a Makefile exports an included file only after a bare `export`; a script after `set -a`', () => {
  const host = memoryHost({ '/s/vars.env': 'A=1\n' });
  assert.deepEqual(readWrapper('/s/Makefile', 'include vars.env\nexport\nup:\n\tdocker compose up -d\n', host).envFiles.map((file) => file.names), [['A']]);
  assert.deepEqual(readWrapper('/s/Makefile', 'include vars.env\nup:\n\tdocker compose up -d\n', host).envFiles, []);
  const script = '#!/usr/bin/env bash\nset -a\n. ./vars.env\nset +a\nIMAGE_TAG=1.2 docker compose up -d\n';
  const wrapper = readWrapper('/s/up.sh', script, host);
  assert.deepEqual(wrapper.envFiles.map((file) => file.names), [['A']]);
  assert.deepEqual(wrapper.names.sort(), ['IMAGE_TAG']);
});

test('readDeployEnv: wrappers that run compose, examples, an ignored .env only when the .env is absent', () => {
  const files = {
    '/repo/.git': '',
    '/repo/.gitignore': '.env\n',
    '/repo/stacks/app/compose.yaml': 'services: {}\n',
    '/repo/stacks/app/.env.example': 'A=\n',
    '/repo/stacks/app/Makefile': 'lint:\n\tyamllint .\n',
    '/repo/justfile': 'app:\n    docker compose -f stacks/app/compose.yaml --env-file /run/secrets/app up -d\nother:\n    docker compose -f stacks/other/compose.yaml up -d\n',
  };
  const evidence = readDeployEnv('/repo/stacks/app', memoryHost(files));
  assert.deepEqual(evidence.examples, [{ file: '/repo/stacks/app/.env.example', names: ['A'] }]);
  assert.equal(evidence.ignoredDotEnv?.pattern, '.env');
  assert.equal(evidence.dotEnvPresent, false);
  assert.deepEqual(evidence.wrappers.map((wrapper) => wrapper.file), ['/repo/justfile'], 'a Makefile that does not run compose is no wrapper');
  const present = readDeployEnv('/repo/stacks/app', memoryHost({ ...files, '/repo/stacks/app/.env': 'B=1\n' }));
  assert.equal(present.dotEnvPresent, true);
  assert.equal(present.ignoredDotEnv, undefined);
});
