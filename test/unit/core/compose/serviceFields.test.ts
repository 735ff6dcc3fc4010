import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, loadCompose, service, textAt, STACK } from './fixture';

test('user "uid:gid" splits into parts with their own ranges inside the quotes', () => {
  const project = loadCompose('services:\n  app:\n    user: "1000:110"\n');
  const user = service(project, 'app').user!;
  assert.equal(user.raw.value, '1000:110');
  assert.equal(user.user.value, '1000');
  assert.equal(user.group?.value, '110');
  assert.deepEqual(user.user.loc.range, { start: { line: 2, character: 11 }, end: { line: 2, character: 15 } });
  assert.deepEqual(user.group?.loc.range, { start: { line: 2, character: 16 }, end: { line: 2, character: 19 } });
  assert.equal(textAt(project, user.raw.loc), '"1000:110"');
});

test('user as a number, as names, and from variables', () => {
  const numeric = service(loadCompose('services:\n  app:\n    user: 1000\n'), 'app').user!;
  assert.equal(numeric.user.value, '1000');
  assert.equal(numeric.group, undefined);

  const named = loadCompose("services:\n  app:\n    user: 'palav:render'\n");
  const names = service(named, 'app').user!;
  assert.equal(textAt(named, names.user.loc), 'palav');
  assert.equal(textAt(named, names.group!.loc), 'render');

  const fromEnv = load({ 'docker-compose.yml': 'services:\n  app:\n    user: ${PUID}:${PGID:-100}\n', '.env': 'PUID=1000\n' });
  const vars = service(fromEnv, 'app').user!;
  assert.equal(vars.user.value, '1000');
  assert.equal(vars.group?.value, '100');
  assert.equal(textAt(fromEnv, vars.group!.loc), '${PGID:-100}');
  assert.equal(vars.user.substitutions?.[0]?.name, 'PUID');

  const whole = load({ 'docker-compose.yml': 'services:\n  app:\n    user: ${RUN_AS}\n', '.env': 'RUN_AS=1000:110\n' });
  const split = service(whole, 'app').user!;
  assert.equal(split.user.value, '1000');
  assert.equal(split.group?.value, '110');
});

test('group_add with numbers and names', () => {
  const project = loadCompose('services:\n  app:\n    group_add:\n      - 110\n      - render\n      - "44"\n');
  const groups = service(project, 'app').groupAdd;
  assert.deepEqual(groups.map((group) => group.value), ['110', 'render', '44']);
  assert.deepEqual(groups[0]?.loc.range, { start: { line: 3, character: 8 }, end: { line: 3, character: 11 } });
});

test('devices: short, single path, long form and CDI', () => {
  const project = loadCompose(
    'services:\n  app:\n    devices:\n      - /dev/dri:/dev/dri\n      - /dev/dri/renderD128\n      - /dev/ttyUSB0:/dev/ttyACM0:rwm\n      - source: /dev/kfd\n        target: /dev/kfd\n        permissions: rwm\n      - nvidia.com/gpu=all\n',
  );
  const devices = service(project, 'app').devices;
  assert.deepEqual(
    devices.map(({ host, container, cdi }) => ({ host, container, cdi })),
    [
      { host: '/dev/dri', container: '/dev/dri', cdi: false },
      { host: '/dev/dri/renderD128', container: '/dev/dri/renderD128', cdi: false },
      { host: '/dev/ttyUSB0', container: '/dev/ttyACM0', cdi: false },
      { host: '/dev/kfd', container: '/dev/kfd', cdi: false },
      { host: 'nvidia.com/gpu=all', container: undefined, cdi: true },
    ],
  );
  assert.equal(textAt(project, devices[0]!.loc), '/dev/dri:/dev/dri');
  assert.match(textAt(project, devices[3]!.loc), /^source: \/dev\/kfd/);
});

test('volumes: short bind, relative bind, home, named, anonymous, read-only', () => {
  const project = loadCompose(
    'services:\n  app:\n    volumes:\n      - /mnt/media:/media:ro\n      - ./config:/config\n      - ../shared/x:/x\n      - ~/downloads:/downloads\n      - pgdata:/var/lib/postgresql/data\n      - /cache\n      - .:/app:rw,z\n',
  );
  const volumes = service(project, 'app').volumes;
  assert.deepEqual(
    volumes.map(({ type, source, target, readOnly }) => ({ type, source, target, readOnly })),
    [
      { type: 'bind', source: '/mnt/media', target: '/media', readOnly: true },
      { type: 'bind', source: `${STACK}/config`, target: '/config', readOnly: false },
      { type: 'bind', source: '/shared/x', target: '/x', readOnly: false },
      { type: 'bind', source: '~/downloads', target: '/downloads', readOnly: false },
      { type: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false },
      { type: 'volume', source: undefined, target: '/cache', readOnly: false },
      { type: 'bind', source: STACK, target: '/app', readOnly: false },
    ],
  );
  assert.equal(textAt(project, volumes[1]!.loc), './config:/config');
});

test('volumes: long form bind, volume and tmpfs', () => {
  const project = loadCompose(
    'services:\n  app:\n    volumes:\n      - type: bind\n        source: ./data\n        target: /data\n        read_only: true\n      - type: volume\n        source: db\n        target: /db\n      - type: tmpfs\n        target: /tmp\n',
  );
  const volumes = service(project, 'app').volumes;
  assert.deepEqual(
    volumes.map(({ type, source, target, readOnly }) => ({ type, source, target, readOnly })),
    [
      { type: 'bind', source: `${STACK}/data`, target: '/data', readOnly: true },
      { type: 'volume', source: 'db', target: '/db', readOnly: false },
      { type: 'tmpfs', source: undefined, target: '/tmp', readOnly: false },
    ],
  );
  assert.deepEqual(volumes[0]?.loc.range.start, { line: 3, character: 8 });
});

test('a ${VAR} volume source expanding to a path is a bind; to a name, a named volume', () => {
  const project = load({
    'docker-compose.yml': 'services:\n  app:\n    volumes:\n      - ${DATA}:/data\n      - ${VOL:-cache}:/cache\n',
    '.env': 'DATA=./data\n',
  });
  const [data, cache] = service(project, 'app').volumes;
  assert.equal(data?.type, 'bind');
  assert.equal(data?.source, `${STACK}/data`);
  assert.equal(data?.raw, '${DATA}:/data');
  assert.equal(cache?.type, 'volume');
  assert.equal(cache?.source, 'cache');
});

test('GPU requests: reservation, runtime, gpus, CDI device, NVIDIA_VISIBLE_DEVICES', () => {
  const project = loadCompose(`services:
  reserved:
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              count: 1
              capabilities: [gpu]
  bare:
    deploy:
      resources:
        reservations:
          devices:
            - capabilities: [gpu]
  cdi:
    deploy:
      resources:
        reservations:
          devices:
            - driver: cdi
              device_ids: ["nvidia.com/gpu=all"]
  runtime:
    runtime: nvidia
  gpus:
    gpus: all
  device:
    devices: [nvidia.com/gpu=0]
  env:
    environment:
      NVIDIA_VISIBLE_DEVICES: all
  none:
    runtime: runc
    environment:
      NVIDIA_VISIBLE_DEVICES: void
`);
  const reserved = service(project, 'reserved').gpuRequests;
  assert.equal(reserved.length, 1);
  assert.deepEqual({ ...reserved[0], loc: undefined, driverLoc: undefined }, {
    kind: 'reservation', driver: 'nvidia', count: '1', capabilities: ['gpu'], nvidia: true, loc: undefined, driverLoc: undefined,
  });
  assert.equal(textAt(project, reserved[0]!.driverLoc!), 'nvidia');
  assert.deepEqual(reserved[0]?.driverLoc?.range, { start: { line: 6, character: 22 }, end: { line: 6, character: 28 } });
  assert.equal(service(project, 'bare').gpuRequests[0]?.nvidia, true, 'capabilities [gpu] without driver is NVIDIA');
  const cdi = service(project, 'cdi').gpuRequests[0];
  assert.equal(cdi?.driver, 'cdi');
  assert.deepEqual(cdi?.deviceIds, ['nvidia.com/gpu=all']);
  assert.equal(cdi?.nvidia, true);
  const runtime = service(project, 'runtime');
  assert.deepEqual(runtime.gpuRequests.map((r) => r.kind), ['runtime']);
  assert.equal(runtime.runtime?.value, 'nvidia');
  assert.equal(textAt(project, runtime.gpuRequests[0]!.loc), 'nvidia');
  const gpus = service(project, 'gpus').gpuRequests[0];
  assert.equal(gpus?.kind, 'gpus');
  assert.equal(gpus?.count, 'all');
  assert.equal(textAt(project, gpus!.loc), 'all');
  assert.deepEqual(service(project, 'device').gpuRequests.map((r) => [r.kind, r.nvidia]), [['cdi-device', true]]);
  const env = service(project, 'env').gpuRequests[0];
  assert.equal(env?.kind, 'env');
  assert.equal(textAt(project, env!.loc), 'all');
  assert.deepEqual(service(project, 'none').gpuRequests, []);
});

test('ports: short forms and long form', () => {
  const project = loadCompose(`services:
  app:
    ports:
      - "8080:80"
      - "127.0.0.1:8080:80"
      - "[::1]:80:80"
      - "80"
      - 443
      - "8000-8010:8000-8010/udp"
      - "127.0.0.1::53"
      - target: 80
        published: "8081"
        host_ip: 0.0.0.0
        protocol: tcp
`);
  const ports = service(project, 'app').ports.map(({ raw, hostIp, published, target, protocol }) => ({ raw, hostIp, published, target, protocol }));
  assert.deepEqual(ports, [
    { raw: '8080:80', hostIp: undefined, published: '8080', target: '80', protocol: undefined },
    { raw: '127.0.0.1:8080:80', hostIp: '127.0.0.1', published: '8080', target: '80', protocol: undefined },
    { raw: '[::1]:80:80', hostIp: '::1', published: '80', target: '80', protocol: undefined },
    { raw: '80', hostIp: undefined, published: undefined, target: '80', protocol: undefined },
    { raw: '443', hostIp: undefined, published: undefined, target: '443', protocol: undefined },
    { raw: '8000-8010:8000-8010/udp', hostIp: undefined, published: '8000-8010', target: '8000-8010', protocol: 'udp' },
    { raw: '127.0.0.1::53', hostIp: '127.0.0.1', published: undefined, target: '53', protocol: undefined },
    { raw: '0.0.0.0:8081:80/tcp', hostIp: '0.0.0.0', published: '8081', target: '80', protocol: 'tcp' },
  ]);
  assert.equal(textAt(project, service(project, 'app').ports[1]!.loc), '"127.0.0.1:8080:80"');
});

test('image, build and runtime', () => {
  const project = load({
    'docker-compose.yml': 'services:\n  built:\n    build: .\n  pulled:\n    image: ghcr.io/immich-app/immich-server:${IMMICH_VERSION:-release}\n',
  });
  assert.equal(service(project, 'built').hasBuild, true);
  assert.equal(service(project, 'built').image, undefined);
  const pulled = service(project, 'pulled');
  assert.equal(pulled.hasBuild, false);
  assert.equal(pulled.image?.value, 'ghcr.io/immich-app/immich-server:release');
  assert.equal(pulled.image?.raw, 'ghcr.io/immich-app/immich-server:${IMMICH_VERSION:-release}');
  assert.equal(pulled.runtime, undefined);
});

test('YAML anchors and merge keys are expanded; values point at the anchor', () => {
  const project = loadCompose(`x-common: &common
  environment:
    PUID: 1000
  devices:
    - /dev/dri:/dev/dri
services:
  a:
    <<: *common
    image: a
  b:
    <<: *common
    environment:
      PUID: 1001
`);
  assert.equal(service(project, 'a').environment.get('PUID')?.value, '1000');
  assert.equal(service(project, 'a').environment.get('PUID')?.loc.range.start.line, 2);
  assert.equal(service(project, 'a').devices[0]?.host, '/dev/dri');
  assert.equal(service(project, 'b').environment.get('PUID')?.value, '1001');
  assert.deepEqual(project.problems, []);
});
