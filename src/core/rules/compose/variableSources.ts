import * as path from 'node:path';
import type { DeployEnvEvidence } from '../../compose/deployEnv';
import type { ComposeProject } from '../../compose/model';
import { composeUnits, declaredSecrets, findSecret, secretAtPath, unitMatch, type ComposeUnit, type SecretReference, type Secrets, type UnitEnvFile } from '../../nix/composeUnits';
import type { NixConfiguration } from '../../nix/model';
import { FILE_START, type SourceLocation } from '../../text';
import { displayFile } from '../facts';

/**
 * Every place besides the stack's `.env` that can give Compose a variable for one stack, in the order the rule asks
 * them: what the NixOS unit starting the stack sets (its environment, `--env-file`, `EnvironmentFile=`, the secrets
 * behind them), what a wrapper next to the stack sets, and what the repository says is written at deploy time (an
 * example file, a gitignored `.env`).
 */
export interface VariableSources {
  /**
   * The same object while everything but the services' own `env_file` entries gave the same sources (the same
   * configuration, folder evidence and files read): what a caller derived from `definedBy`, `opaque`, `units` and
   * `consulted` still holds.
   */
  key: object;
  /** A source that defines the name, described for a message; undefined when none is known to. */
  definedBy(name: string): string | undefined;
  /** Files that may define any name but cannot be read here, strongest first (secrets, then host files, then deploy-time files). */
  opaque: OpaqueSource[];
  /** Secret files referenced for the stack that the configuration does not declare. */
  undeclaredSecrets: UndeclaredSecret[];
  /** The units found to start the stack (for messages). */
  units: ComposeUnit[];
  /** Every source read whose names are known, described (for the message of a variable none of them defines). */
  consulted: string[];
}

export interface OpaqueSource {
  /** 'secret': decrypted on the host at run time (no finding); 'host': a host file the repository lacks; 'deploy': written at deploy time. */
  kind: 'secret' | 'host' | 'deploy';
  /** Says where the value would come from, for a message. */
  description: string;
  /** Names the deploy-time file is known to list (an example): others are reported even so. */
  listed?: ReadonlySet<string>;
  loc?: SourceLocation;
}

export interface UndeclaredSecret {
  loc: SourceLocation;
  written: string;
  reference: SecretReference;
  /** Who uses it: "`--env-file` of systemd.services.immich", "env_file of service `immich`". */
  usedBy: string;
}

interface NixFacts {
  units: ComposeUnit[];
  secrets: Secrets;
}

const nixFacts = new WeakMap<NixConfiguration, NixFacts>();

function factsOf(nix: NixConfiguration, readText: (file: string) => string | undefined): NixFacts {
  let facts = nixFacts.get(nix);
  if (!facts) nixFacts.set(nix, (facts = { units: composeUnits(nix), secrets: declaredSecrets(nix, readText) }));
  return facts;
}

/**
 * An import that is not read could declare secrets — unless it is a module of nixpkgs or the agenix / sops-nix module
 * itself (`inputs.agenix.nixosModules.default`), which declare none.
 */
function mayDeclareSecretsUnseen(nix: NixConfiguration): boolean {
  const unread = (nix as { unreadableImports?: readonly { kind: string; written: string }[] }).unreadableImports ?? [];
  return unread.some((entry) => entry.kind !== 'nixpkgs' && !(entry.kind === 'flake-input' && /\b(?:agenix|sops-nix|ragenix)\.nixosModules\./.test(entry.written)));
}

/** The units that start the stack in `dir`: those whose folders name it most closely. */
export function unitsStarting(units: readonly ComposeUnit[], dir: string): ComposeUnit[] {
  let best = 0;
  let found: ComposeUnit[] = [];
  for (const unit of units) {
    const score = unitMatch(unit, dir);
    if (score === 0 || score < best) continue;
    if (score > best) found = [];
    best = score;
    found.push(unit);
  }
  return found;
}

/**
 * Collects the sources of one stack. `readText` reads repository files the configuration names (a sops dotenv file).
 * What the unit, the wrappers and the folder give is kept while they are the same (the configuration, the folder's
 * evidence and every file read for them): `sources` is then the same object, so a caller may keep what it derived
 * from it — an edit of the compose file recomputes nothing about the NixOS side.
 */
export function variableSources(project: ComposeProject, nix: NixConfiguration | undefined, readText: (file: string) => string | undefined): VariableSources {
  const stack = stackSourcesOf(project, nix, readText);
  const facts = nix ? factsOf(nix, readText) : undefined;
  const undeclaredSecrets = [...stack.undeclaredSecrets];
  // env_file entries under /run: no interpolation variables, but a secret that is not declared will not exist.
  for (const service of project.services) {
    for (const entry of service.runtimeEnvFiles ?? []) {
      const reference = secretAtPath(entry.value);
      if (reference) {
        const secret = facts ? findSecret(facts.secrets, reference) : undefined;
        if (!secret && stack.secretsKnown) undeclaredSecrets.push({ loc: entry.loc, written: entry.value, reference, usedBy: `env_file of service \`${service.name}\`` });
      }
    }
  }
  return { ...stack.sources, undeclaredSecrets };
}

/** What one stack's unit, wrappers and folder give, and what was read to know it. */
interface StackSources {
  nix: NixConfiguration | undefined;
  dir: string;
  /** Files read through `readText`, with what they held. */
  reads: Map<string, string | undefined>;
  sources: Omit<VariableSources, 'undeclaredSecrets'>;
  undeclaredSecrets: UndeclaredSecret[];
  secretsKnown: boolean;
}

/**
 * The last sources of each stack, by its folder's evidence: the language server keeps that object while the folder's
 * files are the same (analysis/incremental.ts), a one-shot analysis reads it anew (and keeps nothing here).
 */
const stackSources = new WeakMap<DeployEnvEvidence, StackSources>();

function stackSourcesOf(project: ComposeProject, nix: NixConfiguration | undefined, readText: (file: string) => string | undefined): StackSources {
  const cached = project.deployEnv ? stackSources.get(project.deployEnv) : undefined;
  if (cached && cached.nix === nix && cached.dir === project.dir && [...cached.reads].every(([file, text]) => readText(file) === text)) return cached;
  const reads = new Map<string, string | undefined>();
  const recordingRead = (file: string): string | undefined => {
    const text = readText(file);
    reads.set(file, text);
    return text;
  };
  const computed = collectStackSources(project, nix, recordingRead);
  const entry: StackSources = { nix, dir: project.dir, reads, ...computed };
  if (project.deployEnv) stackSources.set(project.deployEnv, entry);
  return entry;
}

function collectStackSources(project: ComposeProject, nix: NixConfiguration | undefined, readText: (file: string) => string | undefined): Pick<StackSources, 'sources' | 'undeclaredSecrets' | 'secretsKnown'> {
  const known: { names: ReadonlySet<string>; description: string }[] = [];
  const opaque: OpaqueSource[] = [];
  const undeclaredSecrets: UndeclaredSecret[] = [];
  const facts = nix ? factsOf(nix, readText) : undefined;
  const units = facts ? unitsStarting(facts.units, project.dir) : [];
  // A secret may be declared where it cannot be seen (an unread import, `age.secrets = import …`): then say nothing.
  const secretsKnown = nix !== undefined && facts !== undefined && !facts.secrets.incomplete && !mayDeclareSecretsUnseen(nix) && !nix.evaluatedOnly;

  const secretFile = (reference: SecretReference, written: string, usedBy: string, loc: SourceLocation): void => {
    const secret = facts ? findSecret(facts.secrets, reference) : undefined;
    if (!secret && secretsKnown && (reference.name !== undefined || reference.path !== undefined)) undeclaredSecrets.push({ loc, written, reference, usedBy });
    const description = `\`${written}\` (${usedBy}${secret ? `, ${kindLabel(secret.kind)} secret \`${secret.name}\`` : ''})`;
    if (secret?.names) known.push({ names: new Set(secret.names), description });
    else opaque.push({ kind: 'secret', description, loc });
  };

  for (const unit of units) {
    const who = `systemd.services.${unit.service}`;
    if (unit.names.size > 0) known.push({ names: new Set(unit.names.keys()), description: `the environment of ${who}` });
    for (const envFile of unit.envFiles) {
      const usedBy = `${envFile.via === 'EnvironmentFile' ? '`EnvironmentFile`' : envFile.via === 'source' ? '`source`' : '`--env-file`'} of ${who}`;
      unitEnvFile(envFile, usedBy, readText, known, opaque, secretFile);
    }
  }

  const evidence: DeployEnvEvidence | undefined = project.deployEnv;
  for (const wrapper of evidence?.wrappers ?? []) {
    const name = displayFile(wrapper.file);
    if (wrapper.names.length > 0) known.push({ names: new Set(wrapper.names), description: `the variables ${name} exports` });
    for (const envFile of wrapper.envFiles) {
      const loc = { file: wrapper.file, range: { start: { line: envFile.line, character: 0 }, end: { line: envFile.line, character: 0 } } };
      const reference = envFile.path !== undefined ? secretAtPath(envFile.path) : undefined;
      if (reference) secretFile(reference, envFile.written, `used by ${name}`, loc);
      else if (envFile.names) known.push({ names: new Set(envFile.names), description: `${envFile.written} (used by ${name})` });
      else opaque.push({ kind: 'deploy', description: `\`${envFile.written}\`, which ${name} hands to Compose and which is not in the repository`, loc });
    }
  }

  if (evidence) deployTimeSources(project, evidence, opaque);
  const sources = {
    key: {},
    definedBy: (name: string) => known.find((source) => source.names.has(name))?.description,
    opaque: [...opaque].sort((a, b) => rank(a.kind) - rank(b.kind)),
    units,
    consulted: known.map((source) => source.description),
  };
  return { sources, undeclaredSecrets, secretsKnown };
}

function unitEnvFile(
  envFile: UnitEnvFile,
  usedBy: string,
  readText: (file: string) => string | undefined,
  known: { names: ReadonlySet<string>; description: string }[],
  opaque: OpaqueSource[],
  secretFile: (reference: SecretReference, written: string, usedBy: string, loc: SourceLocation) => void,
): void {
  if (envFile.secret) {
    secretFile(envFile.secret, envFile.written, usedBy, envFile.loc);
    return;
  }
  if (envFile.local !== undefined) {
    const text = readText(envFile.local);
    if (text !== undefined) {
      const names = [...text.matchAll(/^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=/gm)].map((match) => match[1] as string);
      known.push({ names: new Set(names), description: `${displayFile(envFile.local)} (${usedBy})` });
      return;
    }
  }
  const hostFile = envFile.local ?? envFile.hostPath;
  opaque.push({ kind: hostFile === undefined ? 'deploy' : 'host', description: `\`${envFile.written}\` (${usedBy}), a file the repository does not hold`, loc: envFile.loc });
}

/** An example file and a gitignored `.env` both say: the `.env` is written when the stack is deployed. */
function deployTimeSources(project: ComposeProject, evidence: DeployEnvEvidence, opaque: OpaqueSource[]): void {
  const folder = path.basename(project.dir);
  const ignored = evidence.ignoredDotEnv;
  const [example] = evidence.examples;
  // A `.env` in the repository is the one deployed: an example beside it says nothing about what is missing from it.
  if (evidence.dotEnvPresent || (!ignored && !example)) return;
  const parts: string[] = [];
  if (ignored) parts.push(`${folder}/.env is not in the repository (${displayFile(ignored.gitignore)} ignores it with \`${ignored.pattern}\`)`);
  else parts.push(`${folder}/.env is not in the repository`);
  const source: OpaqueSource = { kind: 'deploy', description: parts.join(''), loc: ignored ? { file: ignored.gitignore, range: lineRange(ignored.line) } : { file: example?.file ?? project.file, range: FILE_START } };
  if (example) {
    source.listed = new Set(evidence.examples.flatMap((file) => file.names));
    source.description += ` and ${path.basename(example.file)} does not list the variable`;
  }
  opaque.push(source);
}

function lineRange(line: number): SourceLocation['range'] {
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

function rank(kind: OpaqueSource['kind']): number {
  return kind === 'secret' ? 0 : kind === 'host' ? 1 : 2;
}

export function kindLabel(kind: SecretReference['kind']): string {
  return kind === 'agenix' ? 'agenix' : kind === 'sops' ? 'sops-nix' : 'sops-nix template';
}

/** The option that would declare a referenced secret, for a message (`age.secrets."immich-env"`). */
export function declarationFor(reference: SecretReference): string {
  const name = reference.name ?? '<name>';
  const quoted = /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) ? name : `"${name}"`;
  return reference.kind === 'agenix' ? `age.secrets.${quoted}` : reference.kind === 'sops' ? `sops.secrets.${quoted}` : `sops.templates.${quoted}`;
}
