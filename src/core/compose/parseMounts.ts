import type { DeviceMapping, VolumeMount } from './model';
import { child, describeNode, scalarChild, type ComposeNode, type MapNode, type ScalarNode } from './nodes';
import { baseName, resolveBindSource } from './paths';
import type { ServiceParseContext } from './serviceContext';
import { isCdiDeviceName, isHostPath, parseShortDevice, parseShortVolume } from './shortSyntax';

/** `devices`: `/dev/dri:/dev/dri[:rwm]`, `/dev/dri/renderD128`, `nvidia.com/gpu=all`, `{source, target, permissions}`. */
export function parseDevices(serviceName: string, service: MapNode, ctx: ServiceParseContext): DeviceMapping[] {
  const devices: DeviceMapping[] = [];
  for (const item of listItems(serviceName, service, 'devices', ctx)) {
    if (item.kind === 'scalar') {
      if (isCdiDeviceName(item.value)) {
        devices.push({ host: item.value, cdi: true, loc: item.loc });
      } else {
        const { host, container } = parseShortDevice(item.value);
        devices.push({ host, container, cdi: false, loc: item.loc });
      }
      continue;
    }
    const source = scalarChild(item, 'source');
    if (item.kind !== 'map' || !source) {
      problem(ctx, item, `a \`devices\` entry of service \`${serviceName}\` must be \`/dev/x:/dev/x\` or have a \`source\`, found ${describeNode(item)}`);
      continue;
    }
    const target = scalarChild(item, 'target');
    const device: DeviceMapping = { host: source.value, cdi: isCdiDeviceName(source.value), loc: item.loc };
    if (target) device.container = target.value;
    else if (!device.cdi) device.container = source.value;
    devices.push(device);
  }
  return devices;
}

/** `volumes`: short `src:dst[:mode]` or long `{type, source, target, read_only}`; bind sources made absolute. */
export function parseVolumes(serviceName: string, service: MapNode, ctx: ServiceParseContext): VolumeMount[] {
  const volumes: VolumeMount[] = [];
  for (const item of listItems(serviceName, service, 'volumes', ctx)) {
    if (item.kind === 'scalar') {
      volumes.push(shortVolume(item));
      continue;
    }
    if (item.kind !== 'map') {
      problem(ctx, item, `a \`volumes\` entry of service \`${serviceName}\` must be \`source:target\` or a map, found ${describeNode(item)}`);
      continue;
    }
    volumes.push(longVolume(item));
  }
  return volumes;
}

/** Docker's bind propagation modes (compose-go reads them from the short syntax's options too). */
const PROPAGATION_MODES = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);

function shortVolume(item: ScalarNode): VolumeMount {
  const spec = parseShortVolume(item.value);
  const readOnly = spec.options.includes('ro') || spec.options.includes('readonly');
  const mount: VolumeMount = { type: spec.isBind ? 'bind' : 'volume', target: spec.target, readOnly, loc: item.loc };
  if (spec.source !== undefined) mount.source = spec.isBind ? resolveBindSource(item.ctx.dir, spec.source) : spec.source;
  const propagation = spec.options.find((option) => PROPAGATION_MODES.has(option));
  if (propagation) mount.propagation = propagation;
  addRawText(mount, item);
  return mount;
}

function longVolume(item: MapNode): VolumeMount {
  const source = scalarChild(item, 'source');
  const target = scalarChild(item, 'target');
  const declared = scalarChild(item, 'type')?.value;
  const type = declared === undefined ? (source && isHostPath(source.value) ? 'bind' : 'volume') : declaredType(declared);
  const readOnly = scalarChild(item, 'read_only')?.value.toLowerCase() === 'true';
  const mount: VolumeMount = { type, readOnly, loc: item.loc };
  if (target) mount.target = target.value;
  const bind = child(item, 'bind');
  const propagation = bind?.kind === 'map' ? scalarChild(bind, 'propagation')?.value : undefined;
  if (propagation) mount.propagation = propagation;
  if (source) {
    mount.source = type === 'bind' ? resolveBindSource(source.ctx.dir, source.value) : source.value;
    addRawText(mount, source);
  }
  return mount;
}

function declaredType(type: string): VolumeMount['type'] {
  return type === 'bind' || type === 'volume' || type === 'tmpfs' ? type : 'other';
}

function addRawText(mount: VolumeMount, scalar: ScalarNode): void {
  if (scalar.raw !== scalar.value) mount.raw = scalar.raw;
  if (scalar.substitutions.length > 0) mount.substitutions = scalar.substitutions;
  if (scalar.substitutions.some((substitution) => substitution.source === 'unset')) mount.sourceUnresolved = true;
}

/** The items of a list-valued service key; a single value is tolerated as a one-item list, a map is a problem. */
export function listItems(serviceName: string, service: MapNode, key: string, ctx: ServiceParseContext): ComposeNode[] {
  const node = child(service, key);
  if (!node || (node.kind === 'scalar' && node.isNull)) return [];
  if (node.kind === 'seq') return node.items.filter((item) => !(item.kind === 'scalar' && item.isNull));
  if (node.kind === 'scalar') return [node];
  problem(ctx, node, `\`${key}\` of service \`${serviceName}\` must be a list (\`- …\` items), found ${describeNode(node)}`);
  return [];
}

function problem(ctx: ServiceParseContext, node: ComposeNode, message: string): void {
  ctx.problems.push({ file: node.ctx.file, range: node.loc.range, message: `${baseName(node.ctx.file)}: ${message}.` });
}
