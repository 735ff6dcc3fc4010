import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, service, textAt, STACK } from './fixture';

const BASE = `services:
  jellyfin:
    image: jellyfin/jellyfin
    environment:
      - PUID=1000
      - PGID=1000
    devices:
      - /dev/dri/renderD128:/dev/dri/renderD128
    volumes:
      - ./config:/config
      - /mnt/media:/media:ro
    ports:
      - "8096:8096"
`;

test('override changes PGID and adds a device; values point at the file that won', () => {
  const project = load({
    'docker-compose.yml': BASE,
    'docker-compose.override.yml': 'services:\n  jellyfin:\n    environment:\n      PGID: 110\n    devices:\n      - /dev/dri/card0:/dev/dri/card0\n',
  });
  assert.deepEqual(project.files, [`${STACK}/docker-compose.yml`, `${STACK}/docker-compose.override.yml`]);
  const jellyfin = service(project, 'jellyfin');
  assert.equal(jellyfin.environment.get('PGID')?.value, '110');
  assert.equal(jellyfin.environment.get('PGID')?.loc.file, `${STACK}/docker-compose.override.yml`);
  assert.equal(textAt(project, jellyfin.environment.get('PGID')!.loc), '110');
  assert.equal(jellyfin.environment.get('PUID')?.loc.file, `${STACK}/docker-compose.yml`);
  assert.deepEqual(jellyfin.devices.map((d) => d.host), ['/dev/dri/renderD128', '/dev/dri/card0']);
  assert.equal(jellyfin.nameLoc.file, `${STACK}/docker-compose.yml`);
});

test('override replaces scalars, de-duplicates volumes and devices by target, concatenates ports', () => {
  const project = load({
    'docker-compose.yml': BASE,
    'compose.override.yaml':
      'services:\n  jellyfin:\n    image: lscr.io/linuxserver/jellyfin\n    volumes:\n      - /mnt/disk2/media:/media\n      - ./cache:/cache\n    devices:\n      - /dev/dri/renderD129:/dev/dri/renderD128\n    ports:\n      - "8096:8096"\n      - "8920:8920"\n',
  });
  const jellyfin = service(project, 'jellyfin');
  assert.equal(jellyfin.image?.value, 'lscr.io/linuxserver/jellyfin');
  assert.deepEqual(jellyfin.volumes.map((v) => `${v.source}:${v.target}`), [
    `${STACK}/config:/config`,
    '/mnt/disk2/media:/media',
    `${STACK}/cache:/cache`,
  ]);
  assert.deepEqual(jellyfin.devices.map((d) => d.host), ['/dev/dri/renderD129']);
  assert.deepEqual(jellyfin.ports.map((p) => p.raw), ['8096:8096', '8920:8920']);
});

test('override may add a service, and list/map environment forms merge by key', () => {
  const project = load({
    'compose.yaml': 'services:\n  a:\n    image: a\n    environment:\n      PUID: 1000\n',
    'compose.override.yml': 'services:\n  a:\n    environment:\n      - PUID=1001\n      - EXTRA=1\n  b:\n    image: b\n',
  }, { main: `${STACK}/compose.yaml` });
  assert.deepEqual(project.services.map((s) => s.name), ['a', 'b']);
  const env = service(project, 'a').environment;
  assert.equal(env.get('PUID')?.value, '1001');
  assert.equal(env.get('EXTRA')?.value, '1');
});

test('!reset removes a value and !override replaces a list', () => {
  const project = load({
    'docker-compose.yml': BASE,
    'docker-compose.override.yml': 'services:\n  jellyfin:\n    devices: !reset []\n    volumes: !override\n      - ./only:/only\n',
  });
  const jellyfin = service(project, 'jellyfin');
  assert.deepEqual(jellyfin.devices, []);
  assert.deepEqual(jellyfin.volumes.map((v) => v.target), ['/only']);
});

test('only the first existing override name is merged, as docker compose does', () => {
  const project = load({
    'docker-compose.yml': BASE,
    'compose.override.yml': 'services:\n  jellyfin:\n    user: "1:1"\n',
    'docker-compose.override.yml': 'services:\n  jellyfin:\n    user: "2:2"\n',
  });
  assert.equal(service(project, 'jellyfin').user?.user.value, '1');
  assert.equal(project.files.length, 2);
});

test('extends within the same file: environment, devices, volumes and user are inherited', () => {
  const project = load({
    'docker-compose.yml': `services:
  base:
    image: base
    user: "1000:1000"
    environment:
      PUID: 1000
      PGID: 1000
    devices: [/dev/dri:/dev/dri]
    volumes: [./data:/data]
  app:
    extends: base
    environment:
      PGID: 110
  app2:
    extends:
      service: app
    image: other
`,
  });
  const app = service(project, 'app');
  assert.equal(app.image?.value, 'base');
  assert.equal(app.user?.group?.value, '1000');
  assert.equal(app.environment.get('PUID')?.value, '1000');
  assert.equal(app.environment.get('PGID')?.value, '110');
  assert.deepEqual(app.devices.map((d) => d.host), ['/dev/dri']);
  assert.deepEqual(app.volumes.map((v) => v.source), [`${STACK}/data`]);
  const app2 = service(project, 'app2');
  assert.equal(app2.image?.value, 'other');
  assert.equal(app2.environment.get('PGID')?.value, '110');
  assert.deepEqual(project.problems, []);
});

test('extends from another file resolves its relative paths against that file', () => {
  const project = load({
    'docker-compose.yml': 'services:\n  app:\n    extends:\n      file: common/base.yml\n      service: media\n    environment:\n      - PUID=1001\n',
    'common/base.yml': 'services:\n  media:\n    environment:\n      PUID: 1000\n      PGID: 110\n    devices:\n      - /dev/dri:/dev/dri\n    volumes:\n      - ./cfg:/config\n    user: "1000:110"\n',
  });
  const app = service(project, 'app');
  assert.equal(app.environment.get('PUID')?.value, '1001');
  assert.equal(app.environment.get('PGID')?.value, '110');
  assert.equal(app.environment.get('PGID')?.loc.file, `${STACK}/common/base.yml`);
  assert.deepEqual(app.devices.map((d) => d.host), ['/dev/dri']);
  assert.deepEqual(app.volumes.map((v) => v.source), [`${STACK}/common/cfg`]);
  assert.equal(app.user?.raw.value, '1000:110');
  assert.ok(project.files.includes(`${STACK}/common/base.yml`));
});

test('extends problems: missing service, missing file, cycle', () => {
  const project = load({
    'docker-compose.yml': `services:
  a:
    extends: nope
    image: a
  b:
    extends: { file: missing.yml, service: x }
    image: b
  c:
    extends: d
  d:
    extends: c
`,
  });
  assert.deepEqual(project.services.map((s) => s.name), ['a', 'b', 'c', 'd']);
  assert.equal(service(project, 'a').image?.value, 'a');
  const messages = project.problems.map((p) => p.message).join('\n');
  assert.match(messages, /service `nope` not found/);
  assert.match(messages, /file `missing\.yml` not found/);
  assert.match(messages, /forms a cycle/);
});

test('include adds the services of other files, interpolated with their own .env', () => {
  const project = load({
    'docker-compose.yml': 'include:\n  - immich/compose.yaml\n  - path: ./db.yml\nservices:\n  web:\n    image: nginx\n',
    'immich/compose.yaml': 'services:\n  immich:\n    volumes:\n      - ${UPLOAD_LOCATION}:/usr/src/app/upload\n      - ./model:/cache\n',
    'immich/.env': 'UPLOAD_LOCATION=/mnt/PlexStorage/immich\n',
    'db.yml': 'services:\n  db:\n    image: postgres\n',
  });
  assert.deepEqual(project.services.map((s) => s.name).sort(), ['db', 'immich', 'web']);
  const immich = service(project, 'immich');
  assert.deepEqual(immich.volumes.map((v) => v.source), ['/mnt/PlexStorage/immich', `${STACK}/immich/model`]);
  assert.equal(immich.volumes[0]?.substitutions?.[0]?.file, `${STACK}/immich/.env`);
  assert.ok(project.files.includes(`${STACK}/immich/compose.yaml`));
  assert.deepEqual(project.problems, []);
});

test('include problems: missing file, duplicate service, cycle — never a crash', () => {
  const project = load({
    'docker-compose.yml': 'include:\n  - missing.yml\n  - other.yml\nservices:\n  web:\n    image: nginx\n',
    'other.yml': 'include:\n  - docker-compose.yml\nservices:\n  web:\n    image: duplicate\n',
  });
  assert.equal(service(project, 'web').image?.value, 'nginx');
  const messages = project.problems.map((p) => p.message).join('\n');
  assert.match(messages, /included file `missing\.yml` not found/);
  assert.match(messages, /service `web` from included `other\.yml` is also defined/);
  assert.match(messages, /loops back/);
  const missing = project.problems.find((p) => p.message.includes('missing.yml'))!;
  assert.equal(textAt(project, { file: missing.file, range: missing.range }), 'missing.yml');
});
