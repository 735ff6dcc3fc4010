/*
 * Compose's one-string forms of volumes, devices and ports, parsed the way compose-go does. They work on the
 * interpolated value (a `${DATA}:/data` mount is split after expansion, as Compose does).
 */

export interface ShortVolume {
  /** Absent for an anonymous volume (`/data`). */
  source?: string;
  target: string;
  /** Comma-separated options after the second `:` (`ro`, `rw`, `z`, `nocopy`…). */
  options: string[];
  /** Whether the source is a host path (bind) rather than a named volume. */
  isBind: boolean;
}

/** Splits `src:dst[:mode]`, `dst` alone (anonymous volume). */
export function parseShortVolume(spec: string): ShortVolume {
  const parts = splitVolumeSpec(spec);
  if (parts.length === 1) return { target: parts[0] ?? '', options: [], isBind: false };
  const [source = '', target = '', mode = ''] = parts;
  return { source, target, options: mode ? mode.split(',') : [], isBind: isHostPath(source) };
}

/** A volume source that Compose treats as a host path: starts with `/`, `.`, `~` (or a Windows drive). */
export function isHostPath(source: string): boolean {
  return source.startsWith('/') || source.startsWith('.') || source.startsWith('~') || /^[A-Za-z]:[\\/]/.test(source);
}

function splitVolumeSpec(spec: string): string[] {
  // A Windows drive letter (`C:\data:/data`) is the only `:` that does not separate fields.
  const drive = /^[A-Za-z]:[\\/]/.test(spec) ? 2 : 0;
  const rest = spec.slice(drive).split(':');
  if (drive && rest.length > 0) rest[0] = spec.slice(0, drive) + (rest[0] ?? '');
  return rest;
}

export interface ShortDevice {
  host: string;
  container: string;
  permissions?: string;
}

/** `/dev/dri:/dev/dri[:rwm]` or `/dev/dri/renderD128` (container path defaults to the host path). */
export function parseShortDevice(spec: string): ShortDevice {
  const [host = '', container, permissions] = spec.split(':');
  const device: ShortDevice = { host, container: container || host };
  if (permissions) device.permissions = permissions;
  return device;
}

const CDI_NAME = /^[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z0-9-]+\/[A-Za-z0-9][A-Za-z0-9._-]*=\S+$/;

/** A fully qualified CDI device name: `vendor.com/class=name` (`nvidia.com/gpu=all`). */
export function isCdiDeviceName(spec: string): boolean {
  return CDI_NAME.test(spec);
}

/** Whether a CDI name asks for an NVIDIA GPU. */
export function isNvidiaCdiName(spec: string): boolean {
  return /^nvidia\.com\/gpu=/.test(spec);
}

export interface ShortPort {
  hostIp?: string;
  published?: string;
  target: string;
  protocol?: string;
}

/**
 * `80`, `8080:80`, `127.0.0.1:8080:80`, `[::1]:80:80`, `127.0.0.1::80`, `8000-8010:8000-8010/udp`.
 * Unbracketed IPv6 (`::1:80:80`) is read as: the last two fields are ports, the rest the address.
 */
export function parseShortPort(spec: string): ShortPort {
  let rest = spec.trim();
  let protocol: string | undefined;
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close > 0) {
      hostIp = rest.slice(1, close);
      rest = rest.slice(close + 1).replace(/^:/, '');
    }
  }
  const fields = rest.split(':');
  let published: string | undefined;
  let target: string;
  if (fields.length === 1) {
    target = fields[0] ?? '';
  } else {
    target = fields[fields.length - 1] ?? '';
    published = fields[fields.length - 2];
    if (fields.length > 2 && hostIp === undefined) hostIp = fields.slice(0, -2).join(':');
  }
  const port: ShortPort = { target };
  if (hostIp) port.hostIp = hostIp;
  if (published) port.published = published;
  if (protocol) port.protocol = protocol;
  return port;
}
