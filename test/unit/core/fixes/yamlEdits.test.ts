import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { applyEdits } from '../../../../src/core/edits/applyEdits';
import { addGroupAddEdit, bindPortToLocalhostEdit, cdiDeviceIds, cdiReservationEdit, type YamlEditResult } from '../../../../src/core/fixes/yamlEdits';

function applied(text: string, result: YamlEditResult): string {
  if ('error' in result) assert.fail(result.error);
  return applyEdits(text, result.edits);
}

type Services = Record<string, Record<string, unknown>>;
const services = (text: string): Services => (parse(text) as { services: Services }).services;

test('group_add is added after the last key of a block service, keeping its trailing comment line', () => {
  const text = `services:\n  jellyfin:\n    image: jellyfin/jellyfin # pinned below\n    devices:\n      - /dev/dri:/dev/dri\n    restart: unless-stopped   # always\n  other:\n    image: x\n`;
  const result = applied(text, addGroupAddEdit(text, 'jellyfin', '303'));
  assert.equal(result, text.replace('# always\n', '# always\n    group_add: ["303"]\n'));
  assert.deepEqual(services(result)['jellyfin']?.['group_add'], ['303']);
});

test('group_add: appended to an existing list in its style; nothing when present', () => {
  const block = `services:\n  app:\n    group_add:\n      - '1000' # own group\n    image: x\n`;
  assert.equal(applied(block, addGroupAddEdit(block, 'app', '303')), block.replace("# own group\n", "# own group\n      - '303'\n"));
  const flow = `services:\n  app:\n    group_add: [ "1000" ]\n`;
  assert.equal(applied(flow, addGroupAddEdit(flow, 'app', '303')), `services:\n  app:\n    group_add: [ "1000", "303" ]\n`);
  const empty = `services:\n  app:\n    group_add: []\n`;
  assert.deepEqual(services(applied(empty, addGroupAddEdit(empty, 'app', '303')))['app']?.['group_add'], ['303']);
  const present = `services:\n  app:\n    group_add: [303]\n`;
  assert.deepEqual(addGroupAddEdit(present, 'app', '303'), { edits: [] });
  const flowService = `services:\n  app: { image: x, devices: [/dev/dri] }\n`;
  assert.equal(applied(flowService, addGroupAddEdit(flowService, 'app', '303')), `services:\n  app: { image: x, devices: [/dev/dri], group_add: ["303"] }\n`);
  assert.ok('error' in addGroupAddEdit(flow, 'missing', '303'));
});

test('CRLF compose files get CRLF lines', () => {
  const text = 'services:\r\n  app:\r\n    image: x\r\n';
  assert.equal(applied(text, addGroupAddEdit(text, 'app', '303')), 'services:\r\n  app:\r\n    image: x\r\n    group_add: ["303"]\r\n');
});

const reservation = (entry: string): string => `services:\n  ml:\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - ${entry}\n`;
const entryOffset = (text: string): number => text.indexOf('- ', text.indexOf('devices:')) + 2;
const device = (text: string): Record<string, unknown> => {
  const ml = services(text)['ml'] as { deploy: { resources: { reservations: { devices: Record<string, unknown>[] } } } };
  return ml.deploy.resources.reservations.devices[0] as Record<string, unknown>;
};

test('a count reservation becomes driver: cdi with indexed device ids, other keys kept', () => {
  const text = reservation('driver: nvidia\n              count: 2 # two cards\n              capabilities: [gpu]');
  const result = applied(text, cdiReservationEdit(text, entryOffset(text)));
  assert.equal(result, reservation('driver: cdi\n              device_ids: ["nvidia.com/gpu=0", "nvidia.com/gpu=1"] # two cards\n              capabilities: [gpu]'));
  assert.deepEqual(device(result), { driver: 'cdi', device_ids: ['nvidia.com/gpu=0', 'nvidia.com/gpu=1'], capabilities: ['gpu'] });
});

test('CDI rewrite: all, given ids, quoted driver, flow entry, capabilities-only entry', () => {
  const all = reservation('driver: "nvidia"\n              count: all\n              capabilities: [gpu]');
  assert.deepEqual(device(applied(all, cdiReservationEdit(all, entryOffset(all)))), { driver: 'cdi', device_ids: ['nvidia.com/gpu=all'], capabilities: ['gpu'] });
  assert.match(applied(all, cdiReservationEdit(all, entryOffset(all))), /driver: "cdi"/);
  const ids = reservation("driver: nvidia\n              device_ids:\n                - '0'\n                - '3'\n              capabilities: [gpu]");
  const idsResult = applied(ids, cdiReservationEdit(ids, entryOffset(ids)));
  assert.match(idsResult, /- 'nvidia\.com\/gpu=0'\n {16}- 'nvidia\.com\/gpu=3'/);
  const flow = reservation('{ driver: nvidia, capabilities: [gpu] }');
  assert.equal(applied(flow, cdiReservationEdit(flow, entryOffset(flow))), reservation('{ driver: cdi, device_ids: ["nvidia.com/gpu=all"], capabilities: [gpu] }'));
  const bare = reservation('capabilities: [gpu]');
  assert.deepEqual(device(applied(bare, cdiReservationEdit(bare, entryOffset(bare)))), { driver: 'cdi', device_ids: ['nvidia.com/gpu=all'], capabilities: ['gpu'] });
  const variable = reservation('driver: nvidia\n              count: ${GPUS}');
  assert.ok('error' in cdiReservationEdit(variable, entryOffset(variable)));
  assert.deepEqual(cdiDeviceIds('1', undefined), ['nvidia.com/gpu=0']);
  assert.deepEqual(cdiDeviceIds(undefined, ['nvidia.com/gpu=all']), ['nvidia.com/gpu=all']);
});

test('ports are bound to 127.0.0.1 inside the scalar, quotes kept; long form gains host_ip', () => {
  const text = `services:\n  web:\n    ports:\n      - "8096:8096"\n      - '443:443/tcp'\n      - 8080:80\n      - "3000"\n      - target: 80\n        published: 8081 # web\n`;
  const offsets = ['"8096', "'443", '8080:80', '"3000"', 'target'].map((needle) => text.indexOf(needle));
  let result = text;
  // Each edit is computed against the original text, so apply them together.
  const edits = offsets.flatMap((offset) => {
    const r = bindPortToLocalhostEdit(text, offset);
    if ('error' in r) assert.fail(r.error);
    return r.edits;
  });
  result = applyEdits(text, edits);
  assert.equal(result, `services:\n  web:\n    ports:\n      - "127.0.0.1:8096:8096"\n      - '127.0.0.1:443:443/tcp'\n      - 127.0.0.1:8080:80\n      - "127.0.0.1::3000"\n      - target: 80\n        published: 8081 # web\n        host_ip: 127.0.0.1\n`);
  assert.deepEqual(bindPortToLocalhostEdit(result, result.indexOf('"127.0.0.1:8096')), { edits: [] });
});

test('a compose file that does not parse is refused', () => {
  assert.ok('error' in addGroupAddEdit('services:\n  app: [\n', 'app', '303'));
});
