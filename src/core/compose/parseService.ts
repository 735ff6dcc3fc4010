import type { SourceLocation } from '../text';
import type { ComposeService, Located, PortMapping, UserSpec } from './model';
import { child, describeNode, indexOutsideReferences, scalarChild, sliceScalar, toLocated, type MapNode, type ScalarNode } from './nodes';
import { parseEnvironment } from './parseEnvironment';
import { parseGpuRequests } from './parseGpu';
import { listItems, parseDevices, parseVolumes } from './parseMounts';
import { baseName } from './paths';
import type { ServiceParseContext } from './serviceContext';
import { parseShortPort } from './shortSyntax';

/** Reads the fields the rules need from one merged, `extends`-resolved service. Problems go to `ctx.problems`. */
export function parseService(name: string, nameLoc: SourceLocation, service: MapNode, ctx: ServiceParseContext): ComposeService {
  const runtimeEnvFiles: Located<string>[] = [];
  const environment = parseEnvironment(name, service, ctx, runtimeEnvFiles);
  const devices = parseDevices(name, service, ctx);
  const build = child(service, 'build');
  const parsed: ComposeService = {
    name,
    nameLoc,
    hasBuild: build !== undefined && !(build.kind === 'scalar' && build.isNull),
    environment,
    groupAdd: parseGroupAdd(name, service, ctx),
    devices,
    volumes: parseVolumes(name, service, ctx),
    gpuRequests: parseGpuRequests(service, devices, environment),
    ports: parsePorts(name, service, ctx),
  };
  const image = scalarChild(service, 'image');
  if (image) parsed.image = toLocated(image);
  const runtime = scalarChild(service, 'runtime');
  if (runtime) parsed.runtime = toLocated(runtime);
  const user = scalarChild(service, 'user');
  if (user) parsed.user = parseUser(user);
  if (runtimeEnvFiles.length > 0) parsed.runtimeEnvFiles = runtimeEnvFiles;
  return parsed;
}

/**
 * `user: "1000:110"`, `user: 1000`, `user: "palav:render"`, `user: "${PUID}:${PGID}"`: each part gets its own
 * range inside the scalar (exact when the text is written verbatim, else the whole scalar).
 */
export function parseUser(node: ScalarNode): UserSpec {
  const raw = toLocated(node);
  const colon = indexOutsideReferences(node.raw, ':');
  if (colon >= 0) {
    return { raw, user: toLocated(sliceScalar(node, 0, colon)), group: toLocated(sliceScalar(node, colon + 1, node.raw.length)) };
  }
  const expandedColon = node.value.indexOf(':');
  if (expandedColon >= 0) {
    // `user: ${RUN_AS}` holding "1000:110": the parts exist only after interpolation, so both point at the scalar.
    const part = (value: string): Located<string> => ({ ...raw, value });
    return { raw, user: part(node.value.slice(0, expandedColon)), group: part(node.value.slice(expandedColon + 1)) };
  }
  return { raw, user: toLocated(node) };
}

function parseGroupAdd(serviceName: string, service: MapNode, ctx: ServiceParseContext): Located<string>[] {
  const groups: Located<string>[] = [];
  for (const item of listItems(serviceName, service, 'group_add', ctx)) {
    if (item.kind === 'scalar') groups.push(toLocated(item));
    else problem(ctx, item.ctx.file, item.loc, `a \`group_add\` entry of service \`${serviceName}\` must be a group name or gid, found ${describeNode(item)}`);
  }
  return groups;
}

/** `ports`: short strings and numbers, or `{target, published, host_ip, protocol}`. */
function parsePorts(serviceName: string, service: MapNode, ctx: ServiceParseContext): PortMapping[] {
  const ports: PortMapping[] = [];
  for (const item of listItems(serviceName, service, 'ports', ctx)) {
    if (item.kind === 'scalar') {
      ports.push({ raw: item.raw, ...parseShortPort(item.value), loc: item.loc });
      continue;
    }
    const target = scalarChild(item, 'target');
    if (item.kind !== 'map' || !target) {
      problem(ctx, item.ctx.file, item.loc, `a \`ports\` entry of service \`${serviceName}\` must be \`"host:container"\` or have a \`target\`, found ${describeNode(item)}`);
      continue;
    }
    const port: PortMapping = { raw: '', target: target.value, loc: item.loc };
    const hostIp = scalarChild(item, 'host_ip')?.value;
    const published = scalarChild(item, 'published')?.value;
    const protocol = scalarChild(item, 'protocol')?.value;
    if (hostIp) port.hostIp = hostIp;
    if (published) port.published = published;
    if (protocol) port.protocol = protocol;
    // The long form has no single text: describe it in the short syntax for messages.
    port.raw = `${hostIp ? `${hostIp.includes(':') ? `[${hostIp}]` : hostIp}:` : ''}${published ? `${published}:` : hostIp ? ':' : ''}${target.value}${protocol ? `/${protocol}` : ''}`;
    ports.push(port);
  }
  return ports;
}

function problem(ctx: ServiceParseContext, file: string, loc: SourceLocation, message: string): void {
  ctx.problems.push({ file, range: loc.range, message: `${baseName(file)}: ${message}.` });
}
