import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { applyEdits } from '../../../../src/core/edits/applyEdits';
import { serviceCdiEdit, type CdiEditOptions } from '../../../../src/core/fixes/cdiEdits';

const ALL = ['nvidia.com/gpu=all'];

function rewritten(text: string, service: string, names: readonly string[] = ALL, options: CdiEditOptions = {}): string {
  const result = serviceCdiEdit(text, service, names, options);
  if ('error' in result) assert.fail(result.error);
  const after = applyEdits(text, result.edits);
  // Idempotent: the result has nothing left to rewrite.
  assert.deepEqual(serviceCdiEdit(after, service, names, options), { edits: [] }, `second rewrite of ${service} is empty:\n${after}`);
  return after;
}

const devicesOf = (text: string, service: string): unknown => (parse(text) as { services: Record<string, { deploy?: { resources: { reservations: { devices: unknown } } } }> }).services[service]?.deploy?.resources.reservations.devices;
const CDI_ALL = [{ driver: 'cdi', device_ids: ['nvidia.com/gpu=all'], capabilities: ['gpu'] }];

test('the example AI-agent stack: runtime: nvidia and gpus: become CDI reservations where they were', () => {
  const file = path.resolve(__dirname, '../../../../examples/pop-os-homelab/Projects/ai-agent/compose.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const both = rewritten(rewritten(text, 'ollama'), 'agent');
  const reservation = '    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: cdi\n              device_ids: ["nvidia.com/gpu=all"]\n              capabilities: [gpu]\n';
  // ollama: the runtime line becomes the reservation; NVIDIA_VISIBLE_DEVICES (its only variable) goes with its key.
  assert.match(both, new RegExp(`  ollama:\\n    image: ollama/ollama:0\\.5\\.4\\n${reservation.replace(/[[\]/.]/g, '\\$&')}    volumes:`));
  // agent: gpus: all is replaced in place; the rest of the service and the file's comment stay.
  assert.match(both, /OPENAI_API_KEY: \$\{OPENAI_API_KEY\}\n    deploy:\n/);
  assert.ok(both.startsWith('# Local AI agent: an LLM server on the RTX 3060'));
  assert.deepEqual(devicesOf(both, 'ollama'), CDI_ALL);
  assert.deepEqual(devicesOf(both, 'agent'), CDI_ALL);
  assert.doesNotMatch(both, /runtime:|gpus:|NVIDIA_VISIBLE_DEVICES/);
});

test('the file\'s indentation and list style are kept; a removed line\'s comment stays', () => {
  const text = 'services:\n   b:\n      image: y\n      gpus: 2 # both cards\n      volumes:\n      - /x:/y\n';
  const after = rewritten(text, 'b', ['nvidia.com/gpu=0', 'nvidia.com/gpu=1']);
  assert.equal(after, 'services:\n   b:\n      image: y\n      deploy: # both cards\n         resources:\n            reservations:\n               devices:\n               - driver: cdi\n                 device_ids: ["nvidia.com/gpu=0", "nvidia.com/gpu=1"]\n                 capabilities: [gpu]\n      volumes:\n      - /x:/y\n');
});

test('an existing deploy gains the reservation; NVIDIA_VISIBLE_DEVICES goes, NVIDIA_DRIVER_CAPABILITIES stays', () => {
  const text = `services:
  a:
    image: x
    runtime: nvidia   # GPU
    environment:
      NVIDIA_VISIBLE_DEVICES: "0,1"
      NVIDIA_DRIVER_CAPABILITIES: all
    deploy:
      resources:
        limits:
          memory: 1g
`;
  const after = rewritten(text, 'a', ['nvidia.com/gpu=0', 'nvidia.com/gpu=1']);
  assert.equal(after, `services:
  a:
    image: x
    # GPU
    environment:
      NVIDIA_DRIVER_CAPABILITIES: all
    deploy:
      resources:
        limits:
          memory: 1g
        reservations:
          devices:
            - driver: cdi
              device_ids: ["nvidia.com/gpu=0", "nvidia.com/gpu=1"]
              capabilities: [gpu]
`);
});

test('a driver: nvidia entry is rewritten in place; runtime: nvidia next to it just goes; list-form env entry removed', () => {
  const text = `services:
  ml:
    image: x
    runtime: nvidia
    environment:
      - TZ=Europe/Berlin
      - NVIDIA_VISIBLE_DEVICES=all # all cards
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              count: 1
              capabilities: [gpu]
`;
  const after = rewritten(text, 'ml', ALL);
  assert.equal(after, `services:
  ml:
    image: x
    environment:
      - TZ=Europe/Berlin
      # all cards
    deploy:
      resources:
        reservations:
          devices:
            - driver: cdi
              device_ids: ["nvidia.com/gpu=0"]
              capabilities: [gpu]
`);
});

test('CDI already (long or short form): no edits; flow-style services and flow deploys are refused with a reason', () => {
  const cdi = 'services:\n  a:\n    image: x\n    devices:\n      - nvidia.com/gpu=all\n';
  assert.deepEqual(serviceCdiEdit(cdi, 'a', ALL), { edits: [] });
  assert.ok('error' in serviceCdiEdit('services:\n  a: { image: x, runtime: nvidia }\n', 'a', ALL));
  assert.ok('error' in serviceCdiEdit('services:\n  a:\n    runtime: nvidia\n    deploy: { resources: { limits: { cpus: "1" } } }\n', 'a', ALL));
  assert.ok('error' in serviceCdiEdit('services:\n  a:\n    image: x\n', 'missing', ALL));
});

test('CRLF files get CRLF lines', () => {
  const text = 'services:\r\n  a:\r\n    image: x\r\n    runtime: nvidia\r\n    restart: always\r\n';
  assert.equal(rewritten(text, 'a'), 'services:\r\n  a:\r\n    image: x\r\n    deploy:\r\n      resources:\r\n        reservations:\r\n          devices:\r\n            - driver: cdi\r\n              device_ids: ["nvidia.com/gpu=all"]\r\n              capabilities: [gpu]\r\n    restart: always\r\n');
});

test('environment requests (enableNvidia\'s default runtime): NVIDIA_VISIBLE_DEVICES alone becomes a reservation at the end', () => {
  const text = 'services:\n  cuda:\n    image: nvidia/cuda\n    environment:\n      - NVIDIA_VISIBLE_DEVICES=all\n    restart: always\n';
  assert.deepEqual(serviceCdiEdit(text, 'cuda', ALL), { edits: [] });
  const after = rewritten(text, 'cuda', ALL, { environmentRequests: true });
  assert.equal(after, 'services:\n  cuda:\n    image: nvidia/cuda\n    restart: always\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: cdi\n              device_ids: ["nvidia.com/gpu=all"]\n              capabilities: [gpu]\n');
});
