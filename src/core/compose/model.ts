import type { SourceLocation } from '../text';
import type { InputProblem } from '../types';
import type { DeployEnvEvidence } from './deployEnv';

/**
 * The compose model: what the rules need to know about a stack, with the source location of the text the user
 * wrote for every value. Values that went through interpolation keep the raw text and say where each variable
 * came from, so a message can read "${UPLOAD_LOCATION} → /mnt/PlexStorage/immich (from docker/immich/.env)".
 */
export interface Located<T> {
  value: T;
  /** Where the user wrote it (after merging overrides: the file that won). */
  loc: SourceLocation;
  /** The text as written, before interpolation, when it differs from `value`. */
  raw?: string;
  /** Variables substituted into `value`, with where their values came from. */
  substitutions?: Substitution[];
}

export interface Substitution {
  name: string;
  /** The value used, or undefined when the variable was unset and no default applied. */
  value: string | undefined;
  /** 'env-file' = the stack's .env (or --env-file), 'default' = the ${VAR:-def} default, 'unset' = nowhere. */
  source: 'env-file' | 'default' | 'unset';
  /** The .env file that defined it, when source is 'env-file'. */
  file?: string;
}

/** A `${VAR}` without default that no .env defines (rule unresolved-variable). */
export interface UnresolvedVariable {
  name: string;
  loc: SourceLocation;
}

export interface EnvironmentEntry extends Located<string> {
  name: string;
  /** 'environment' = the service's environment key, 'env_file' = a file listed in env_file. */
  from: 'environment' | 'env_file';
  /** For env_file entries: the file the value came from. */
  file?: string;
}

export interface UserSpec {
  /** The whole `user:` value. */
  raw: Located<string>;
  /** uid or user name part (numeric string or name). */
  user: Located<string>;
  /** gid or group name part, if given after ':'. */
  group?: Located<string>;
}

export interface DeviceMapping {
  /** Host path (`/dev/dri`, `/dev/dri/renderD128`) or CDI id (`nvidia.com/gpu=all`). */
  host: string;
  container?: string;
  /** True when the entry is a CDI device name (vendor.com/class=name). */
  cdi: boolean;
  loc: SourceLocation;
}

export interface VolumeMount {
  type: 'bind' | 'volume' | 'tmpfs' | 'other';
  /** For binds: the expanded host path, made absolute against the stack folder (`./data` → `<stack>/data`, `~` kept as is). */
  source?: string;
  target?: string;
  readOnly: boolean;
  /** Bind propagation as written (`rslave` in the short form's options, `bind.propagation` in the long form). */
  propagation?: string;
  /** The entry as a whole (short form: the scalar; long form: the map). */
  loc: SourceLocation;
  raw?: string;
  substitutions?: Substitution[];
  /**
   * The entry was built from a variable with no value here (`${DATA}/media:/media` with DATA unset): `source` is not
   * the path Compose will bind on the host, so no rule judges its disk.
   */
  sourceUnresolved?: true;
}

export type GpuRequestKind = 'reservation' | 'runtime' | 'gpus' | 'cdi-device' | 'env';

export interface GpuRequest {
  kind: GpuRequestKind;
  /** For reservations: the `driver` value (nvidia, cdi, …). */
  driver?: string;
  deviceIds?: string[];
  count?: string;
  capabilities?: string[];
  /** Whether this asks for an NVIDIA GPU (driver nvidia, nvidia.com/gpu CDI id, runtime nvidia, gpus, NVIDIA_VISIBLE_DEVICES). */
  nvidia: boolean;
  /** The request's text: the reservation device entry, the `runtime:` value, the `gpus:` value, the env entry. */
  loc: SourceLocation;
  /** For reservations: location of the `driver` value, for an in-place rewrite. */
  driverLoc?: SourceLocation;
}

export interface PortMapping {
  raw: string;
  hostIp?: string;
  published?: string;
  target: string;
  protocol?: string;
  loc: SourceLocation;
}

export interface ComposeService {
  name: string;
  /** The service's key in the `services` map. */
  nameLoc: SourceLocation;
  image?: Located<string>;
  hasBuild: boolean;
  /** Effective environment after env_file and environment are merged (environment wins). */
  environment: Map<string, EnvironmentEntry>;
  user?: UserSpec;
  groupAdd: Located<string>[];
  devices: DeviceMapping[];
  volumes: VolumeMount[];
  gpuRequests: GpuRequest[];
  ports: PortMapping[];
  runtime?: Located<string>;
  /**
   * `env_file` entries under /run (agenix's /run/agenix, sops-nix's /run/secrets, systemd credentials): files that
   * exist only at run time on the host, so they are not read here and are never a parse error.
   */
  runtimeEnvFiles?: Located<string>[];
}

/** One stack: a compose file with its override siblings merged, as `docker compose` in that folder would see it. */
export interface ComposeProject {
  /** The stack folder (absolute). */
  dir: string;
  /** The main compose file (absolute). */
  file: string;
  /** All files merged, main first, then overrides. */
  files: string[];
  /** .env and env_file paths this project read (absolute), for re-analysis when they change. */
  envFiles: string[];
  /** Location of the top-level `services` key in the main file (docker-not-enabled points here). */
  servicesLoc?: SourceLocation;
  services: ComposeService[];
  unresolved: UnresolvedVariable[];
  /**
   * What the repository shows about variables given at deploy time next to the stack (wrapper scripts, `.env.example`,
   * a gitignored `.env`); read only when some variable is unresolved.
   */
  deployEnv?: DeployEnvEvidence;
  /** Syntax errors and shape problems (a list where a map belongs, …). The intact parts are still modelled. */
  problems: InputProblem[];
}
