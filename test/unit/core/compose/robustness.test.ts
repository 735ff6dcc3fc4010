import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadComposeProject } from '../../../../src/core/compose';
import { memoryHost } from '../../helpers/memoryHost';
import { load, loadCompose, service, textAt, MAIN } from './fixture';

function messages(project: { problems: { message: string }[] }): string {
  return project.problems.map((problem) => problem.message).join('\n');
}

test('a syntax error is a problem at its position and intact services are still modelled', () => {
  const project = loadCompose('services:\n  good:\n    image: nginx\n    environment:\n      PUID: 1000\n  broken:\n    image: [unclosed\n    user: "1000\n');
  assert.ok(project.problems.length >= 1);
  assert.match(project.problems[0]!.message, /^docker-compose\.yml: YAML error: .+\. Fix it; the services that parsed are still checked\.$/);
  assert.ok(project.problems[0]!.range.start.line >= 6);
  assert.equal(service(project, 'good').environment.get('PUID')?.value, '1000');
});

test('half-typed keys do not lose the rest of the service', () => {
  const project = loadCompose('services:\n  app:\n    image: nginx\n    environment:\n      PUID: 1000\n      PGID:\n    devices:\n      - \n    user:\n');
  const app = service(project, 'app');
  assert.equal(app.environment.get('PUID')?.value, '1000');
  assert.equal(app.environment.has('PGID'), false);
  assert.deepEqual(app.devices, []);
  assert.equal(app.user, undefined);
});

test('duplicate keys are reported without crashing; the model is kept', () => {
  const project = loadCompose('services:\n  app:\n    image: a\n    image: b\n    environment:\n      PUID: 1\n      PUID: 2\n');
  assert.match(messages(project), /unique/i);
  assert.equal(service(project, 'app').image?.value, 'b');
  assert.equal(service(project, 'app').environment.get('PUID')?.value, '2');
});

test('a top-level list or scalar is a clear problem', () => {
  const list = loadCompose('- web\n- db\n');
  assert.equal(list.services.length, 0);
  assert.equal(list.problems[0]?.message, 'docker-compose.yml: the top level must be a map with a `services` key, found a list. Write `services:` followed by your services.');
  const scalar = loadCompose('just some text\n');
  assert.match(messages(scalar), /top level must be a map .* found a string \("just some text"\)/);
});

test('services as a list, a service as a string, environment as a number', () => {
  const listed = loadCompose('services:\n  - web\n  - db\n');
  assert.match(messages(listed), /^docker-compose\.yml: `services` must be a map of service names, found a list\./);
  assert.deepEqual(listed.problems[0]?.range.start, { line: 1, character: 2 });

  const stringService = loadCompose('services:\n  web: nginx\n  db:\n    image: postgres\n');
  assert.match(messages(stringService), /service `web` must be a map of settings .* found a string \("nginx"\)/);
  assert.deepEqual(stringService.services.map((s) => s.name), ['db']);

  const numberEnv = loadCompose('services:\n  web:\n    environment: 5\n    user: "1000"\n');
  assert.match(messages(numberEnv), /`environment` of service `web` must be a map .* or a list .*, found a number \(5\)/);
  assert.equal(service(numberEnv, 'web').user?.user.value, '1000');
});

test('wrong shapes in lists are problems, the good items are kept', () => {
  const project = loadCompose('services:\n  web:\n    volumes:\n      - [nested]\n      - ./ok:/ok\n    devices:\n      - {target: /x}\n    ports:\n      - {published: 80}\n    group_add: {a: 1}\n');
  const web = service(project, 'web');
  assert.deepEqual(web.volumes.map((v) => v.target), ['/ok']);
  assert.equal(project.problems.length, 4);
});

test('an empty file, a comment-only file, NUL bytes and a 10 MB file are problems, not throws', () => {
  assert.match(messages(loadCompose('')), /^docker-compose\.yml is empty/);
  assert.match(messages(loadCompose('# nothing yet\n')), /is empty/);
  assert.match(messages(loadCompose('services:\u0000\u0001\u0002binary')), /NUL bytes, so it is a binary file/);
  const huge = `services:\n  app:\n    image: x\n${'# padding padding padding padding padding padding\n'.repeat(210_000)}`;
  const started = performance.now();
  const big = loadCompose(huge);
  assert.ok(performance.now() - started < 500, 'the size guard answers before parsing');
  assert.match(messages(big), /^docker-compose\.yml is 10\.\d MB, too large for a compose file/);
  assert.equal(big.services.length, 0);
});

test('a missing main file is a problem naming it', () => {
  const project = loadComposeProject(MAIN, memoryHost({}));
  assert.match(messages(project), /docker-compose\.yml could not be read/);
  assert.deepEqual(project.services, []);
});

test('garbage of every kind never throws', () => {
  const inputs = [
    ':', '{', '[', '- - -', 'services: !!binary xx', 'services:\n  a: &a\n    <<: *a\n', '&a [*a, *a]', 'services: {a: {environment: [1, {x: 1}, null]}}',
    'services:\n  a:\n    user: ~\n    ports: [~, {}]\n    deploy: {resources: {reservations: {devices: [1, null, {capabilities: gpu}]}}}\n',
    'services:\n  a:\n    extends: {}\n    env_file: [{}, 3]\n', 'include: [{}, 5, {path: []}]\n', '\uFEFFservices: {}', 'services:\n\ta: 1\n',
  ];
  for (const input of inputs) assert.doesNotThrow(() => loadCompose(input), input);
});

test('unresolved ${VAR} and $VAR point at the exact characters; defaults and :? do not count', () => {
  const project = load({
    'docker-compose.yml': 'services:\n  app:\n    image: "app:${TAG}"\n    volumes:\n      - ${DATA}/x:/x\n      - $CONFIG:/config\n    environment:\n      A: ${WITH_DEFAULT:-1}\n      B: ${REQUIRED:?set it}\n      C: ${DEFINED}\n',
    '.env': 'DEFINED=yes\n',
  });
  assert.deepEqual(project.unresolved.map((u) => [u.name, textAt(project, u.loc)]), [
    ['TAG', '${TAG}'],
    ['DATA', '${DATA}'],
    ['CONFIG', '$CONFIG'],
  ]);
  assert.deepEqual(project.unresolved[0]?.loc.range, { start: { line: 2, character: 16 }, end: { line: 2, character: 22 } });
  assert.deepEqual(project.problems, [], ':? is Compose\'s own check, not a finding');
});

test('a malformed ${…} reference is a problem at its characters', () => {
  const project = loadCompose('services:\n  app:\n    image: "x${1BAD}y"\n');
  assert.equal(project.problems.length, 1);
  assert.match(project.problems[0]!.message, /^docker-compose\.yml: invalid variable reference `\$\{1BAD\}`; Compose refuses the file/);
  assert.equal(textAt(project, { file: project.problems[0]!.file, range: project.problems[0]!.range }), '${1BAD}');
});

test('an unresolved variable in an escaped scalar points at the whole scalar', () => {
  const project = loadCompose('services:\n  app:\n    image: "a\\tb${TAG}"\n');
  assert.equal(textAt(project, project.unresolved[0]!.loc), '"a\\tb${TAG}"');
});

test('extraEnv defines variables and overrides .env', () => {
  const project = load({ 'docker-compose.yml': 'services:\n  app:\n    image: app:${TAG}\n    user: ${PUID}\n', '.env': 'PUID=1000\n' }, { extraEnv: { TAG: 'v2', PUID: '1001' } });
  assert.deepEqual(project.unresolved, []);
  assert.equal(service(project, 'app').image?.value, 'app:v2');
  assert.equal(service(project, 'app').user?.user.value, '1001');
});

test('CRLF line endings, a BOM and non-BMP characters keep exact UTF-16 positions', () => {
  const project = loadCompose('\uFEFFservices:\r\n  app:\r\n    image: "🎬${TAG}"\r\n    environment:\r\n      - PUID=1000\r\n');
  assert.deepEqual(project.unresolved[0]?.loc.range, { start: { line: 2, character: 14 }, end: { line: 2, character: 20 } });
  assert.equal(textAt(project, project.unresolved[0]!.loc), '${TAG}');
  const puid = service(project, 'app').environment.get('PUID')!;
  assert.deepEqual(puid.loc.range, { start: { line: 4, character: 13 }, end: { line: 4, character: 17 } });
});
