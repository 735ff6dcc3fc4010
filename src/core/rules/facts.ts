import * as path from 'node:path';
import type { ComposeService, Located, VolumeMount } from '../compose/model';
import type { NixConfiguration, NixDefinition } from '../nix/model';
import { settingSpot } from '../nix/settingSpot';
import { FILE_START, type SourceLocation } from '../text';
import type { RelatedInformation } from '../types';
import type { ServiceRuleContext } from './rule';

/**
 * Small questions the rules ask of the models, kept in one place so that every rule answers them the same way
 * (e.g. what counts as "enabled", which images manage their own groups).
 */

/** True when some definition of the option is `true` (conditional ones count: the user meant it). */
export function isEnabled(nix: NixConfiguration | undefined, optionPath: string[]): boolean {
  if (!nix) return false;
  return nix.definitionsOf(optionPath).some((def) => def.value.kind === 'bool' && def.value.value);
}

export function dockerEnabled(nix: NixConfiguration | undefined): boolean {
  return isEnabled(nix, ['virtualisation', 'docker', 'enable']);
}

/** The location to point at when a declaration is missing: the entry module itself. */
export function entryLocation(nix: NixConfiguration | undefined): SourceLocation | undefined {
  return nix ? { file: nix.entry, range: FILE_START } : undefined;
}

/** Related information for "this is what the value was checked against". */
export function relatedToDefinition(def: NixDefinition | undefined, message: string): RelatedInformation[] {
  return def ? [{ location: { file: def.file, range: def.loc.range }, message }] : [];
}

/**
 * Related information for a missing declaration of `optionPath`: at the place its quick fix writes it (the
 * definition it changes, or the binding it goes after: nix/settingSpot.ts), else at the entry module.
 */
export function relatedToMissing(ctx: Pick<ServiceRuleContext, 'nix' | 'fixTarget'>, optionPath: readonly string[], message: string): RelatedInformation[] {
  const loc = settingSpot(ctx.nix, optionPath, ctx.fixTarget) ?? entryLocation(ctx.nix);
  return loc ? [{ location: loc, message }] : [];
}

/** A short name for a file in messages: the base name, plus the parent folder for compose and env files. */
export function displayFile(file: string): string {
  const base = path.basename(file);
  const parent = path.basename(path.dirname(file));
  return /\.nix$/.test(base) || !parent ? base : `${parent}/${base}`;
}

/** "1000" or "1000 (${PUID} from docker/plex/.env)" — says where an interpolated value came from. */
export function describeValue(value: Located<string>): string {
  if (!value.raw || value.raw === value.value) return `\`${value.value}\``;
  const sources = (value.substitutions ?? [])
    .map((sub) => (sub.source === 'env-file' && sub.file ? `${sub.name} from ${displayFile(sub.file)}` : sub.source === 'default' ? `${sub.name} defaulted` : `${sub.name} unset`))
    .join(', ');
  return `\`${value.raw}\` → \`${value.value}\`${sources ? ` (${sources})` : ''}`;
}

/** A non-negative integer written as decimal digits, else undefined (names and unresolved text are not ids). */
export function parseId(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!/^\d{1,10}$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value <= 4294967294 ? value : undefined;
}

/** linuxserver.io images run their init as root and add the app user to the device's group themselves. */
export function isLinuxserverImage(service: ComposeService): boolean {
  const image = service.image?.value.toLowerCase() ?? '';
  return /(^|\/)linuxserver\//.test(image) || image.startsWith('lscr.io/');
}

export function isDriPath(hostPath: string | undefined): boolean {
  return hostPath === '/dev/dri' || (hostPath?.startsWith('/dev/dri/') ?? false);
}

/** The places a service receives /dev/dri: `devices` entries, or a bind mount of /dev/dri. */
export function driMappings(service: ComposeService): { loc: SourceLocation; host: string }[] {
  const fromDevices = service.devices.filter((d) => !d.cdi && isDriPath(d.host)).map((d) => ({ loc: d.loc, host: d.host }));
  const fromVolumes = service.volumes
    .filter((v: VolumeMount) => v.type === 'bind' && isDriPath(v.source))
    .map((v) => ({ loc: v.loc, host: v.source ?? '/dev/dri' }));
  return [...fromDevices, ...fromVolumes];
}

/** The text with its first letter capitalised when it starts with a plain word ("no group…"), not a name ("gid 110", "users.users.x"). */
export function upperFirst(text: string): string {
  return /^(no|the|a|an|it|this|that|what|nothing|none)\s/.test(text) ? `${text.charAt(0).toUpperCase()}${text.slice(1)}` : text;
}

/** Markdown's code spans as plain text, for a headline (`runtime: nvidia` → runtime: nvidia). */
export function plain(markdown: string): string {
  return markdown.replace(/`/g, '');
}

/** "Written `${PUID}` → `1000` (PUID from .env). " when the value came through interpolation, for an explanation. */
export function writtenAs(value: Located<string>): string {
  return value.raw && value.raw !== value.value ? `Written ${describeValue(value)}. ` : '';
}
