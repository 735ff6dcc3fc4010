import * as path from 'node:path';
import type { ComposeProject, ComposeService, Located } from './compose/model';
import { dataMounts, groupByGid, mountCovering, userByUid } from './host';
import type { HostSnapshot } from './host/model';
import type { NixConfiguration, NixDefinition, NixValue } from './nix/model';
import { isDriPath, parseId } from './rules/facts';
import type { Position, Range, SourceLocation } from './text';
import type { Finding } from './types';
import type { WorkspaceAnalysis } from './analysis/types';

/**
 * What a compose value means on NixOS — the text of the editor's hover and the target of go-to-definition.
 * Pure: it reads the analysis only, so the language server's handlers stay a few lines long.
 */
export interface ComposeValueExplanation {
  /** The compose text the explanation is about. */
  range: Range;
  /** Markdown, one fact per line. */
  markdown: string;
  /** The Nix declarations the value maps to (empty when none exists). */
  targets: SourceLocation[];
}

interface Candidate {
  file: string;
  range: Range;
  explain(): { lines: string[]; targets: SourceLocation[] };
}

/** Explains the compose value at `position` in `file`, or undefined when nothing there maps to NixOS. */
export function explainComposeValue(analysis: WorkspaceAnalysis, file: string, position: Position): ComposeValueExplanation | undefined {
  const project = analysis.projects.find((p) => p.files.includes(file));
  if (!project) return undefined;
  const entry = analysis.entryForProject.get(project.file);
  const nix = analysis.configurations.find((c) => c.entry === entry);
  const candidates = project.services.flatMap((service) => candidatesOf(service, project, nix, analysis.snapshot)).filter((c) => c.file === file);
  // Exact hits first; then anything on the same line (hovering the `PGID=` key of `- PGID=110`).
  const hit = candidates.find((c) => contains(c.range, position)) ?? candidates.find((c) => c.range.start.line === position.line && c.range.end.line === position.line);
  if (!hit) return undefined;
  const { lines, targets } = hit.explain();
  return { range: hit.range, markdown: lines.join('\n\n'), targets };
}

/**
 * The hover text of the findings at `position` in `file` that have more to say than their headline: per finding the
 * headline in bold as the first line, then its explanation (Markdown). The Problems panel and the diagnostic part of
 * the hover show the headline alone; this is where the explanation is read in the editor. Undefined when none.
 */
export function explainFindingsAt(findings: readonly Finding[], file: string, position: Position): string | undefined {
  const parts = findings
    .filter((finding) => finding.explanation && finding.file === file && touches(finding.range, position))
    .map((finding) => `**${escapeMarkdown(finding.message)}** (${finding.code})\n\n${finding.explanation}`);
  return parts.length > 0 ? parts.join('\n\n---\n\n') : undefined;
}

/** Inside the range; a zero-width range (a whole-file finding at its start) counts on its line. */
function touches(range: Range, position: Position): boolean {
  if (range.start.line === range.end.line && range.start.character === range.end.character) return position.line === range.start.line;
  return contains(range, position);
}

/** A plain-text headline inside Markdown: characters Markdown would read as markup are escaped. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`);
}

function candidate(loc: SourceLocation, explain: Candidate['explain']): Candidate {
  return { file: loc.file, range: loc.range, explain };
}

function candidatesOf(service: ComposeService, project: ComposeProject, nix: NixConfiguration | undefined, snapshot: HostSnapshot | undefined): Candidate[] {
  const found: Candidate[] = [];
  const puid = service.environment.get('PUID');
  if (puid) found.push(candidate(puid.loc, () => explainUid('PUID', puid, nix, snapshot)));
  const pgid = service.environment.get('PGID');
  if (pgid) found.push(candidate(pgid.loc, () => explainGid('PGID', pgid, nix, snapshot)));
  if (service.user) {
    const { user, group } = service.user;
    if (group) found.push(candidate(group.loc, () => explainGid('`user:` gid', group, nix, snapshot)));
    found.push(candidate(user.loc, () => explainUid('`user:`', user, nix, snapshot)));
  }
  for (const entry of service.groupAdd) found.push(candidate(entry.loc, () => explainGid('`group_add`', entry, nix, snapshot)));
  for (const device of service.devices) {
    if (!device.cdi && isDriPath(device.host)) found.push(candidate(device.loc, () => explainDri(device.host, nix)));
  }
  for (const request of service.gpuRequests) {
    if (request.nvidia) found.push(candidate(request.loc, () => explainGpu(nix)));
  }
  for (const volume of service.volumes) {
    if (volume.type !== 'bind' || !volume.source) continue;
    const source = volume.source;
    if (isDriPath(source)) found.push(candidate(volume.loc, () => explainDri(source, nix)));
    else found.push(candidate(volume.loc, () => explainBind(source, project, nix, snapshot)));
  }
  return found;
}

function explainUid(via: string, value: Located<string>, nix: NixConfiguration | undefined, snapshot: HostSnapshot | undefined): { lines: string[]; targets: SourceLocation[] } {
  const uid = parseId(value.value);
  if (uid === undefined) {
    const user = nix?.users.get(value.value);
    if (!user) return { lines: [`**${via} \`${value.value}\`** → no NixOS user \`${value.value}\` is declared`], targets: [] };
    const def = user.uidDef ?? user.declaredAt;
    return { lines: [`**${via} \`${value.value}\`** → \`users.users.${user.name}\`${where(def)}`], targets: targetsOf(def) };
  }
  const oldUser = snapshot ? userByUid(snapshot, uid) : undefined;
  const oldLine = oldUser ? [`On the old host uid ${uid} is \`${oldUser.name}\`.`] : [];
  if (uid === 0) return { lines: [`**${via} 0** → root (always uid 0)`], targets: [] };
  const user = nix?.findUserByUid(uid);
  if (user) {
    return { lines: [`**${via} ${uid}** → \`${renderDefinition(user.uidDef, `users.users.${user.name}.uid = ${uid}`)}\`${where(user.uidDef ?? user.declaredAt)}`, ...oldLine], targets: targetsOf(user.uidDef ?? user.declaredAt) };
  }
  const lines = [`**${via} ${uid}** → no NixOS user has uid ${uid}${nix ? ` (${path.basename(nix.entry)} and its imports)` : ' (no NixOS configuration found)'}`];
  const normalUsers = nix ? [...nix.users.values()].filter((u) => u.isNormalUser && u.uid === undefined) : [];
  if (normalUsers.length > 0) lines.push(`\`${normalUsers.map((u) => u.name).join('`, `')}\` has no fixed \`uid\`: NixOS allocates it dynamically from 1000.`);
  return { lines: [...lines, ...oldLine], targets: [] };
}

function explainGid(via: string, value: Located<string>, nix: NixConfiguration | undefined, snapshot: HostSnapshot | undefined): { lines: string[]; targets: SourceLocation[] } {
  const gid = parseId(value.value);
  if (gid === undefined) {
    const group = nix?.groups.get(value.value);
    if (!group) return { lines: [`**${via} \`${value.value}\`** → no NixOS group \`${value.value}\` is declared`], targets: [] };
    const def = group.gidDef ?? group.declaredAt;
    const gidText = group.gid === undefined ? '' : ` (gid ${group.gid}${group.gidDef ? '' : ', NixOS default'})`;
    return { lines: [`**${via} \`${value.value}\`** → \`users.groups.${group.name}\`${gidText}${where(def)}`], targets: targetsOf(def) };
  }
  const oldGroup = snapshot ? groupByGid(snapshot, gid) : undefined;
  const oldLine = oldGroup ? [`On the old host gid ${gid} is \`${oldGroup.name}\`.`] : [];
  if (gid === 0) return { lines: [`**${via} 0** → root (always gid 0)`], targets: [] };
  const group = nix?.findGroupByGid(gid);
  if (group) {
    const line = group.gidDef
      ? `**${via} ${gid}** → \`${renderDefinition(group.gidDef, `users.groups.${group.name}.gid = ${gid}`)}\`${where(group.gidDef)}`
      : `**${via} ${gid}** → \`users.groups.${group.name}\` (gid ${gid} is the NixOS default)${where(group.declaredAt)}`;
    return { lines: [line, ...oldLine], targets: targetsOf(group.gidDef ?? group.declaredAt) };
  }
  const lines = [`**${via} ${gid}** → no NixOS group has gid ${gid}${nix ? ` (${path.basename(nix.entry)} and its imports)` : ' (no NixOS configuration found)'}`];
  if (oldGroup) {
    const sameName = nix?.groups.get(oldGroup.name);
    if (sameName?.gid !== undefined) lines.push(`NixOS gives \`${oldGroup.name}\` gid ${sameName.gid}${sameName.gidDef ? '' : ' (its default)'}.`);
  }
  return { lines: [...lines, ...oldLine], targets: [] };
}

function explainDri(hostPath: string, nix: NixConfiguration | undefined): { lines: string[]; targets: SourceLocation[] } {
  const graphics = enabledDefinition(nix, ['hardware', 'graphics', 'enable']) ?? enabledDefinition(nix, ['hardware', 'opengl', 'enable']);
  const render = nix?.groups.get('render');
  const lines = [
    graphics
      ? `**\`${hostPath}\`** → \`${graphics.path.join('.')} = true\`${where(graphics)}`
      : `**\`${hostPath}\`** → graphics is not enabled: NixOS creates no \`/dev/dri\` drivers without \`hardware.graphics.enable = true\``,
  ];
  if (render?.gid !== undefined) lines.push(`The device nodes belong to group \`render\`, gid ${render.gid}${render.gidDef ? where(render.gidDef) : ' (NixOS default)'}.`);
  return { lines, targets: targetsOf(graphics) };
}

function explainGpu(nix: NixConfiguration | undefined): { lines: string[]; targets: SourceLocation[] } {
  const toolkit = enabledDefinition(nix, ['hardware', 'nvidia-container-toolkit', 'enable']);
  const legacy = enabledDefinition(nix, ['virtualisation', 'docker', 'enableNvidia']);
  if (toolkit) return { lines: [`**NVIDIA GPU** → \`hardware.nvidia-container-toolkit.enable = true\`${where(toolkit)} (CDI: \`nvidia.com/gpu=all\`)`], targets: targetsOf(toolkit) };
  if (legacy) return { lines: [`**NVIDIA GPU** → \`virtualisation.docker.enableNvidia = true\`${where(legacy)} (deprecated; use \`hardware.nvidia-container-toolkit.enable\`)`], targets: targetsOf(legacy) };
  return { lines: ['**NVIDIA GPU** → the NVIDIA container toolkit is not enabled (`hardware.nvidia-container-toolkit.enable`)'], targets: [] };
}

function explainBind(source: string, project: ComposeProject, nix: NixConfiguration | undefined, snapshot: HostSnapshot | undefined): { lines: string[]; targets: SourceLocation[] } {
  const shown = source.startsWith(project.dir + path.sep) ? `./${path.relative(project.dir, source)}` : source;
  const fileSystem = coveringFileSystem(source, nix);
  const oldMount = snapshot ? mountCovering(source, dataMounts(snapshot)) : undefined;
  const lines: string[] = [];
  if (fileSystem) lines.push(`**\`${shown}\`** → \`fileSystems."${fileSystem.mountPoint}"\`${where(fileSystem.definition)}`);
  else lines.push(`**\`${shown}\`** → no \`fileSystems\` entry covers \`${source}\`${nix ? '' : ' (no NixOS configuration found)'}`);
  if (oldMount) lines.push(`On the old host it lies on \`${oldMount.mountpoint}\`${oldMount.uuid ? ` (UUID ${oldMount.uuid}` : ' ('}${oldMount.fsType ? `${oldMount.uuid ? ', ' : ''}${oldMount.fsType})` : oldMount.uuid ? ')' : 'unknown device)'}.`);
  return { lines, targets: fileSystem ? targetsOf(fileSystem.definition) : [] };
}

/** The deepest `fileSystems."<mp>"` whose mount point contains `source`. */
export function coveringFileSystem(source: string, nix: NixConfiguration | undefined): { mountPoint: string; definition: NixDefinition } | undefined {
  let best: { mountPoint: string; definition: NixDefinition } | undefined;
  for (const definition of nix?.definitionsUnder(['fileSystems']) ?? []) {
    const mountPoint = definition.path[1];
    if (mountPoint === undefined) continue;
    const covers = mountPoint === '/' || source === mountPoint || source.startsWith(`${mountPoint}/`);
    if (covers && (!best || mountPoint.length > best.mountPoint.length)) best = { mountPoint, definition };
  }
  return best;
}

function enabledDefinition(nix: NixConfiguration | undefined, optionPath: string[]): NixDefinition | undefined {
  return nix?.definitionsOf(optionPath).find((def) => def.value.kind === 'bool' && def.value.value);
}

/** `users.groups.render.gid = lib.mkForce 110` as written (the wrapper is part of what the user needs to see). */
function renderDefinition(def: NixDefinition | undefined, fallback: string): string {
  if (!def) return fallback;
  const wrapper = def.priority === 'force' ? 'lib.mkForce ' : def.priority === 'default' ? 'lib.mkDefault ' : '';
  return `${def.path.join('.')} = ${wrapper}${renderValue(def.value)}`;
}

function renderValue(value: NixValue): string {
  switch (value.kind) {
    case 'int':
    case 'float':
      return String(value.value);
    case 'bool':
      return String(value.value);
    case 'null':
      return 'null';
    case 'string':
      return JSON.stringify(value.value);
    case 'path':
      return value.value;
    case 'list':
      return `[ ${value.items.map(renderValue).join(' ')} ]`;
    case 'attrs':
      return '{ … }';
    case 'unknown':
      return value.text;
  }
}

/** " (configuration.nix:27)" — 1-based line, as people read it. */
function where(def: NixDefinition | undefined): string {
  return def ? ` (${path.basename(def.file)}:${def.loc.range.start.line + 1})` : '';
}

function targetsOf(def: NixDefinition | undefined): SourceLocation[] {
  return def ? [{ file: def.file, range: def.loc.range }] : [];
}

function contains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}
