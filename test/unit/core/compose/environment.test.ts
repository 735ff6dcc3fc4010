import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, loadCompose, service, textAt, STACK } from './fixture';

test('environment list form: values are strings and loc covers the value part', () => {
  const project = loadCompose('services:\n  app:\n    image: x\n    environment:\n      - PUID=1000\n      - TZ=Europe/Paris\n      - EMPTY=\n');
  const env = service(project, 'app').environment;
  assert.equal(env.get('PUID')?.value, '1000');
  assert.equal(env.get('PUID')?.from, 'environment');
  assert.deepEqual(env.get('PUID')?.loc.range, { start: { line: 4, character: 13 }, end: { line: 4, character: 17 } });
  assert.equal(textAt(project, env.get('TZ')!.loc), 'Europe/Paris');
  assert.equal(env.get('EMPTY')?.value, '');
});

test('environment list form with quoted items points inside the quotes', () => {
  const project = loadCompose('services:\n  app:\n    environment:\n      - "PGID=110"\n      - \'UMASK=022\'\n');
  const env = service(project, 'app').environment;
  assert.equal(textAt(project, env.get('PGID')!.loc), '110');
  assert.deepEqual(env.get('PGID')?.loc.range.start, { line: 3, character: 14 });
  assert.equal(env.get('UMASK')?.value, '022');
});

test('environment map form: a number is its string, loc is the value scalar', () => {
  const project = loadCompose('services:\n  app:\n    environment:\n      PUID: 1000\n      PGID: "110"\n      ENABLED: true\n      RATIO: 1.50\n');
  const env = service(project, 'app').environment;
  assert.equal(env.get('PUID')?.value, '1000');
  assert.deepEqual(env.get('PUID')?.loc.range, { start: { line: 3, character: 12 }, end: { line: 3, character: 16 } });
  assert.equal(env.get('PGID')?.value, '110');
  assert.equal(textAt(project, env.get('PGID')!.loc), '"110"');
  assert.equal(env.get('ENABLED')?.value, 'true');
  assert.equal(env.get('RATIO')?.value, '1.50', 'the number as written, not 1.5');
});

test('a variable without value takes it from .env, else is dropped', () => {
  const listForm = load({ 'docker-compose.yml': 'services:\n  app:\n    environment:\n      - TZ\n      - NOT_ANYWHERE\n', '.env': 'TZ=Europe/Oslo\n' });
  const env = service(listForm, 'app').environment;
  assert.equal(env.get('TZ')?.value, 'Europe/Oslo');
  assert.equal(env.get('TZ')?.substitutions?.[0]?.file, `${STACK}/.env`);
  assert.equal(textAt(listForm, env.get('TZ')!.loc), 'TZ');
  assert.equal(env.has('NOT_ANYWHERE'), false);
  const mapForm = load({ 'docker-compose.yml': 'services:\n  app:\n    environment:\n      TZ:\n', '.env': 'TZ=UTC\n' });
  assert.equal(service(mapForm, 'app').environment.get('TZ')?.value, 'UTC');
});

test('interpolated environment values keep raw text and substitutions', () => {
  const project = load({
    'docker-compose.yml': 'services:\n  app:\n    environment:\n      - PUID=${PUID}\n      - PGID=${PGID:-100}\n',
    '.env': 'PUID=1000\n',
  });
  const env = service(project, 'app').environment;
  assert.equal(env.get('PUID')?.value, '1000');
  assert.equal(env.get('PUID')?.raw, '${PUID}');
  assert.equal(textAt(project, env.get('PUID')!.loc), '${PUID}');
  assert.deepEqual(env.get('PUID')?.substitutions, [{ name: 'PUID', value: '1000', source: 'env-file', file: `${STACK}/.env` }]);
  assert.equal(env.get('PGID')?.value, '100');
  assert.equal(env.get('PGID')?.substitutions?.[0]?.source, 'default');
});

test('env_file as a string: values come from the file, loc is the env_file entry', () => {
  const project = load({
    'docker-compose.yml': 'services:\n  app:\n    env_file: app.env\n',
    'app.env': 'PUID=1000\nPGID=1000\n',
  });
  const env = service(project, 'app').environment;
  const puid = env.get('PUID');
  assert.equal(puid?.value, '1000');
  assert.equal(puid?.from, 'env_file');
  assert.equal(puid?.file, `${STACK}/app.env`);
  assert.equal(textAt(project, puid!.loc), 'app.env');
  assert.ok(project.envFiles.includes(`${STACK}/app.env`));
});

test('env_file list: later files win, environment wins over env_file', () => {
  const project = load({
    'docker-compose.yml': 'services:\n  app:\n    env_file:\n      - ./a.env\n      - b.env\n    environment:\n      PGID: 110\n',
    'a.env': 'PUID=1\nPGID=1\nONLY_A=a\n',
    'b.env': 'PUID=2\nPGID=2\n',
  });
  const env = service(project, 'app').environment;
  assert.equal(env.get('PUID')?.value, '2');
  assert.equal(env.get('PUID')?.file, `${STACK}/b.env`);
  assert.equal(env.get('ONLY_A')?.value, 'a');
  assert.equal(env.get('PGID')?.value, '110');
  assert.equal(env.get('PGID')?.from, 'environment');
});

test('env_file long form with required: false tolerates a missing file; a required one is a problem', () => {
  const project = load({
    'docker-compose.yml':
      'services:\n  app:\n    env_file:\n      - path: ./optional.env\n        required: false\n      - path: ./present.env\n      - ./missing.env\n',
    'present.env': 'X=1\n',
  });
  assert.equal(service(project, 'app').environment.get('X')?.value, '1');
  assert.equal(project.problems.length, 1);
  assert.match(project.problems[0]!.message, /docker-compose\.yml: env_file `\.\/missing\.env` of service `app` does not exist/);
  assert.equal(textAt(project, { file: project.problems[0]!.file, range: project.problems[0]!.range }), './missing.env');
});

test('env_file values may use the stack .env variables', () => {
  const project = load({
    'docker-compose.yml': 'services:\n  app:\n    env_file: app.env\n',
    'app.env': 'DATA=${ROOT}/data\n',
    '.env': 'ROOT=/mnt/disk\n',
  });
  assert.equal(service(project, 'app').environment.get('DATA')?.value, '/mnt/disk/data');
});
