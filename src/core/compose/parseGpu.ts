import type { DeviceMapping, EnvironmentEntry, GpuRequest } from './model';
import { child, scalarChild, type ComposeNode, type MapNode, type ScalarNode } from './nodes';
import { isNvidiaCdiName } from './shortSyntax';

/**
 * Every way the service asks for a GPU: `deploy.resources.reservations.devices` entries, `runtime: nvidia`,
 * `gpus:`, CDI ids under `devices`, and `NVIDIA_VISIBLE_DEVICES` in the environment.
 */
export function parseGpuRequests(
  service: MapNode,
  devices: readonly DeviceMapping[],
  environment: ReadonlyMap<string, EnvironmentEntry>,
): GpuRequest[] {
  const requests: GpuRequest[] = [];
  const reservations = child(child(child(child(service, 'deploy'), 'resources'), 'reservations'), 'devices');
  for (const item of seqItems(reservations)) {
    if (item.kind === 'map') requests.push(deviceRequest('reservation', item));
  }

  const runtime = scalarChild(service, 'runtime');
  if (runtime?.value === 'nvidia') requests.push({ kind: 'runtime', nvidia: true, loc: runtime.loc });

  const gpus = child(service, 'gpus');
  if (gpus?.kind === 'scalar' && !gpus.isNull) {
    requests.push({ kind: 'gpus', count: gpus.value, nvidia: true, loc: gpus.loc });
  } else {
    for (const item of seqItems(gpus)) if (item.kind === 'map') requests.push(deviceRequest('gpus', item));
  }

  for (const device of devices) {
    if (device.cdi && /\/gpu=/.test(device.host)) {
      requests.push({ kind: 'cdi-device', deviceIds: [device.host], nvidia: isNvidiaCdiName(device.host), loc: device.loc });
    }
  }

  const visible = environment.get('NVIDIA_VISIBLE_DEVICES');
  // `void` (or empty) tells the NVIDIA runtime to do nothing; any other value asks for GPUs or driver libraries.
  if (visible && visible.value !== '' && visible.value !== 'void') {
    requests.push({ kind: 'env', deviceIds: visible.value.split(','), nvidia: true, loc: visible.loc });
  }
  return requests;
}

/** A `{driver, count, device_ids, capabilities}` entry of reservations or of `gpus:`. */
function deviceRequest(kind: 'reservation' | 'gpus', item: MapNode): GpuRequest {
  const driver = scalarChild(item, 'driver');
  const count = scalarChild(item, 'count');
  const deviceIds = scalarValues(child(item, 'device_ids'));
  const capabilities = scalarValues(child(item, 'capabilities'));
  const nvidia =
    driver?.value === 'nvidia' ||
    (deviceIds ?? []).some(isNvidiaCdiName) ||
    // Docker picks the NVIDIA driver for a bare `capabilities: [gpu]`; `gpus:` always means NVIDIA.
    (driver === undefined && (kind === 'gpus' || (capabilities ?? []).includes('gpu')));
  const request: GpuRequest = { kind, nvidia, loc: item.loc };
  if (driver) {
    request.driver = driver.value;
    request.driverLoc = driver.loc;
  }
  if (count) request.count = count.value;
  if (deviceIds) request.deviceIds = deviceIds;
  if (capabilities) request.capabilities = capabilities;
  return request;
}

function seqItems(node: ComposeNode | undefined): ComposeNode[] {
  return node?.kind === 'seq' ? node.items : [];
}

/** Values of a list of scalars (a single scalar counts as a one-item list), or undefined when absent. */
function scalarValues(node: ComposeNode | undefined): string[] | undefined {
  if (!node) return undefined;
  if (node.kind === 'scalar') return node.isNull ? undefined : [node.value];
  if (node.kind !== 'seq') return undefined;
  return node.items.filter((item): item is ScalarNode => item.kind === 'scalar' && !item.isNull).map((item) => item.value);
}
