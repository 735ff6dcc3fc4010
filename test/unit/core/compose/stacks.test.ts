import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { load, service, textAt, STACK } from './fixture';

const PLEX = `---
services:
  plex:
    image: lscr.io/linuxserver/plex:latest
    container_name: plex
    network_mode: host
    environment:
      - PUID=1000
      - PGID=1000
      - TZ=Etc/UTC
      - VERSION=docker
      - PLEX_CLAIM= #optional
    devices:
      - /dev/dri:/dev/dri
    volumes:
      - /path/to/plex/library:/config
      - /mnt/PlexStorage/tv:/tv
      - /mnt/PlexStorage/movies:/movies
    restart: unless-stopped
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              count: all
              capabilities: [gpu]
`;

test('linuxserver-style Plex service', () => {
  const project = load({ 'docker-compose.yml': PLEX });
  assert.deepEqual(project.problems, []);
  assert.deepEqual(project.unresolved, []);
  assert.deepEqual(project.servicesLoc?.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 8 } });
  const plex = service(project, 'plex');
  assert.equal(plex.image?.value, 'lscr.io/linuxserver/plex:latest');
  assert.deepEqual(plex.nameLoc.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 6 } });
  assert.equal(plex.environment.get('PUID')?.value, '1000');
  assert.deepEqual(plex.environment.get('PGID')?.loc.range, { start: { line: 8, character: 13 }, end: { line: 8, character: 17 } });
  assert.equal(plex.environment.get('PLEX_CLAIM')?.value, '', 'a trailing comment is not part of a YAML plain scalar');
  assert.equal(plex.user, undefined);
  assert.deepEqual(plex.devices.map((d) => [d.host, d.container, d.cdi]), [['/dev/dri', '/dev/dri', false]]);
  assert.deepEqual(plex.volumes.map((v) => [v.type, v.source]), [
    ['bind', '/path/to/plex/library'],
    ['bind', '/mnt/PlexStorage/tv'],
    ['bind', '/mnt/PlexStorage/movies'],
  ]);
  assert.deepEqual(plex.gpuRequests.map((r) => [r.kind, r.driver, r.nvidia]), [['reservation', 'nvidia', true]]);
  assert.equal(textAt(project, plex.gpuRequests[0]!.driverLoc!), 'nvidia');
});

const IMMICH = `name: immich

services:
  immich-server:
    container_name: immich_server
    image: ghcr.io/immich-app/immich-server:\${IMMICH_VERSION:-release}
    volumes:
      - \${UPLOAD_LOCATION}:/usr/src/app/upload
      - /etc/localtime:/etc/localtime:ro
    env_file:
      - .env
    ports:
      - '2283:2283'
    depends_on:
      - redis
      - database
    restart: always

  immich-machine-learning:
    container_name: immich_machine_learning
    image: ghcr.io/immich-app/immich-machine-learning:\${IMMICH_VERSION:-release}
    volumes:
      - model-cache:/cache
    env_file:
      - .env
    restart: always

  database:
    container_name: immich_postgres
    image: ghcr.io/immich-app/postgres:14-vectorchord0.4.3-pgvectors0.2.0
    environment:
      POSTGRES_PASSWORD: \${DB_PASSWORD}
      POSTGRES_USER: \${DB_USERNAME}
      POSTGRES_DB: \${DB_DATABASE_NAME}
    volumes:
      - \${DB_DATA_LOCATION}:/var/lib/postgresql/data

volumes:
  model-cache:
`;

const IMMICH_ENV = `# You can find documentation for all the supported env variables at https://immich.app/docs/install/environment-variables

# The location where your uploaded files are stored
UPLOAD_LOCATION=/mnt/PlexStorage/immich
# The location where your database files are stored
DB_DATA_LOCATION=./postgres

# The Immich version to use. You can pin this to a specific version like "v1.71.0"
IMMICH_VERSION=release

# Connection secret for postgres. You should change it to a random password
DB_PASSWORD=postgres

DB_USERNAME=postgres
DB_DATABASE_NAME=immich
`;

test('Immich-style stack: UPLOAD_LOCATION from .env, loc at the scalar, raw unexpanded', () => {
  const project = load({ 'docker/immich/docker-compose.yml': IMMICH, 'docker/immich/.env': IMMICH_ENV }, { main: `${STACK}/docker/immich/docker-compose.yml` });
  const dir = `${STACK}/docker/immich`;
  assert.equal(project.dir, dir);
  assert.deepEqual(project.problems, []);
  assert.deepEqual(project.unresolved, []);
  assert.deepEqual(project.envFiles, [`${dir}/.env`]);
  const server = service(project, 'immich-server');
  const upload = server.volumes[0]!;
  assert.equal(upload.type, 'bind');
  assert.equal(upload.source, '/mnt/PlexStorage/immich');
  assert.equal(upload.target, '/usr/src/app/upload');
  assert.equal(upload.raw, '${UPLOAD_LOCATION}:/usr/src/app/upload');
  assert.deepEqual(upload.substitutions, [{ name: 'UPLOAD_LOCATION', value: '/mnt/PlexStorage/immich', source: 'env-file', file: `${dir}/.env` }]);
  assert.equal(upload.loc.file, `${dir}/docker-compose.yml`);
  assert.deepEqual(upload.loc.range, { start: { line: 7, character: 8 }, end: { line: 7, character: 46 } });
  assert.equal(textAt(project, upload.loc), '${UPLOAD_LOCATION}:/usr/src/app/upload');
  assert.equal(server.volumes[1]?.readOnly, true);
  assert.equal(server.image?.value, 'ghcr.io/immich-app/immich-server:release');
  assert.equal(server.environment.get('UPLOAD_LOCATION')?.from, 'env_file', 'env_file .env feeds the container too');
  assert.deepEqual(server.ports.map((p) => [p.published, p.target, p.hostIp]), [['2283', '2283', undefined]]);
  const database = service(project, 'database');
  assert.equal(database.volumes[0]?.source, `${dir}/postgres`, 'a relative path from .env resolves against the stack');
  assert.equal(database.environment.get('POSTGRES_DB')?.value, 'immich');
  assert.equal(service(project, 'immich-machine-learning').volumes[0]?.type, 'volume');
});

test('Immich without .env: each unresolved variable is reported once per place', () => {
  const project = load({ 'docker-compose.yml': IMMICH });
  assert.deepEqual(project.unresolved.map((u) => u.name), ['UPLOAD_LOCATION', 'DB_PASSWORD', 'DB_USERNAME', 'DB_DATABASE_NAME', 'DB_DATA_LOCATION']);
  assert.deepEqual(project.unresolved[0]?.loc.range, { start: { line: 7, character: 8 }, end: { line: 7, character: 26 } });
  assert.match(project.problems.map((p) => p.message).join('\n'), /env_file `\.env` of service `immich-server` does not exist/);
});

test('a 50-service file loads in about the time yaml takes to parse it', () => {
  const services = Array.from({ length: 50 }, (_, i) => `  svc${i}:
    image: lscr.io/linuxserver/app${i}:\${TAG:-latest}
    user: "1000:\${PGID}"
    environment:
      - PUID=1000
      - PGID=\${PGID}
      - TZ=Europe/Paris
    devices:
      - /dev/dri:/dev/dri
    volumes:
      - \${DATA}/app${i}:/config
      - ./cache${i}:/cache
    ports:
      - "${8000 + i}:80"
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              count: all
              capabilities: [gpu]
`).join('');
  const files = { 'docker-compose.yml': `services:\n${services}`, '.env': 'PGID=110\nDATA=/mnt/data\n' };
  // CPU time, not wall time: the test machine is shared. The yaml parser is the floor (≈1 MB/s here, several
  // times that on a desktop); the model must add little on top and nothing quadratic.
  const cpuMs = (run: () => void, times: number): number => {
    run(); // warm up the JIT, as a running language server is
    const before = process.cpuUsage();
    for (let i = 0; i < times; i++) run();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / times;
  };
  const parseOnly = cpuMs(() => parseDocument(files['docker-compose.yml'], { merge: true }), 10);
  const perLoad = cpuMs(() => load(files), 10);
  const project = load(files);
  assert.equal(project.services.length, 50);
  assert.equal(service(project, 'svc49').volumes[0]?.source, '/mnt/data/app49');
  assert.ok(perLoad < parseOnly * 2 + 5, `a load took ${perLoad.toFixed(1)} ms of CPU, parsing alone ${parseOnly.toFixed(1)} ms`);
  assert.ok(perLoad < 150, `a load took ${perLoad.toFixed(1)} ms of CPU`);
});
