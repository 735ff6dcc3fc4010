import type { BlockDevice, HostGroup, HostSnapshot, HostUser, SnapshotGap } from './model';
import type { Parsed } from './parsed';
import { parseDri } from './dri';
import { parseFstab } from './fstab';
import { parseGetentGroup } from './getent';
import { parseId } from './id';
import { parseLsblkText } from './lsblk';
import { parseLsblkJson } from './lsblkJson';
import { parseLspci } from './lspci';
import { parseOsRelease } from './osRelease';
import { MAX_PROBLEMS_PER_FILE, MAX_SNAPSHOT_FILE_CHARS } from './limits';
import { classifyRawFile, groupCommand, idCommand, RAW_FILES, type FixedSection } from './rawFiles';
import { validateSnapshot } from './schema';

/** A problem with one snapshot file; `line` (1-based) when it is about one line. */
export interface SnapshotFileProblem {
  file: string;
  message: string;
  line?: number;
}

export interface LoadedSnapshot {
  snapshot: HostSnapshot;
  problems: SnapshotFileProblem[];
}

/**
 * Builds a snapshot from the files of a snapshot folder, keyed by base name (see `classifyRawFile` for the names).
 *
 * Precedence: a valid `snapshot.json` is the base and wins; raw files only fill what it lacks — a section it left
 * empty (block devices, fstab, dri, gpus, os) and users/groups it does not list. An invalid `snapshot.json` is
 * reported and the raw files are used alone. A section with neither source becomes a `gaps` entry; gaps the
 * extraction observed (`extractionGaps`, e.g. "lspci: command not found") replace the generic "file not found" gap
 * of the same command. A file over MAX_SNAPSHOT_FILE_CHARS is reported and not read; a file's unreadable lines are
 * reported up to MAX_PROBLEMS_PER_FILE, then counted. Never throws.
 */
export function loadSnapshotFromFiles(
  allFiles: ReadonlyMap<string, string>,
  source: HostSnapshot['source'] = 'files',
  extractionGaps: readonly SnapshotGap[] = [],
): LoadedSnapshot {
  const problems: SnapshotFileProblem[] = [];
  const files = withinSizeLimit(allFiles, problems);
  const reportedPerFile = new Map<string, number>();
  const take = <T>(file: string, parsed: Parsed<T>): T => {
    const reported = reportedPerFile.get(file) ?? 0;
    const shown = parsed.warnings.slice(0, Math.max(0, MAX_PROBLEMS_PER_FILE - reported));
    for (const warning of shown) {
      problems.push(warning.line === undefined ? { file, message: warning.message } : { file, message: warning.message, line: warning.line });
    }
    const hidden = parsed.warnings.length - shown.length;
    if (hidden > 0) {
      problems.push({ file, message: `${hidden.toLocaleString('en-US')} more problems in this file are not listed (only the first ${MAX_PROBLEMS_PER_FILE} are); check that it holds the command's output` });
    }
    reportedPerFile.set(file, reported + parsed.warnings.length);
    return parsed.value;
  };

  const base = readSnapshotJson(files, problems);
  const raw = sortRawFiles(files);

  const os = raw.fixed.get('os-release');
  const rawOs = os ? take(os.name, parseOsRelease(os.text)) : undefined;
  const rawBlockDevices = readBlockDevices(raw.fixed.get('lsblk-json'), raw.fixed.get('lsblk'), take);
  const fstab = raw.fixed.get('fstab');
  const rawFstab = fstab ? take(fstab.name, parseFstab(fstab.text)) : undefined;
  const rawUsers = uniqueBy(
    raw.ids.flatMap((file) => take(file.name, parseId(file.text, file.user)) ?? []),
    (user) => user.name,
  );
  const rawGroups = uniqueBy(
    raw.groups.flatMap((file) => {
      const groups = take(file.name, parseGetentGroup(file.text));
      if (groups.length === 0) problems.push({ file: file.name, message: `no group line in the file (the host has no group with gid ${file.gid}?)` });
      return groups;
    }),
    (group) => group.gid,
  );

  const users = uniqueBy([...(base?.users ?? []), ...rawUsers], (user) => user.name);
  const groups = uniqueBy([...(base?.groups ?? []), ...rawGroups], (group) => group.gid);
  const dri = raw.fixed.get('dri');
  const rawDri = dri ? take(dri.name, parseDri(dri.text, nameResolver(groups, users, 'group'), nameResolver(groups, users, 'user'))) : undefined;
  const gpu = raw.fixed.get('gpu');
  const rawGpus = gpu ? take(gpu.name, parseLspci(gpu.text)) : undefined;

  const filled = new Set<FixedSection>();
  const pick = <T>(fromBase: T[] | undefined, fromRaw: T[] | undefined, section: FixedSection): T[] => {
    if (fromBase && fromBase.length > 0) return fromBase;
    if (fromRaw !== undefined) {
      filled.add(section);
      return fromRaw;
    }
    return fromBase ?? [];
  };

  const snapshot: HostSnapshot = {
    version: 1,
    ...(base?.takenAt !== undefined ? { takenAt: base.takenAt } : {}),
    ...(base?.host !== undefined ? { host: base.host } : {}),
    source: base?.source ?? source,
    blockDevices: pick(base?.blockDevices, rawBlockDevices, 'lsblk'),
    fstab: pick(base?.fstab, rawFstab, 'fstab'),
    users,
    groups,
    dri: pick(base?.dri, rawDri, 'dri'),
    gpus: pick(base?.gpus, rawGpus, 'gpu'),
    gaps: [],
  };
  const chosenOs = base?.os ?? rawOs;
  if (chosenOs !== undefined) {
    if (base?.os === undefined) filled.add('os-release');
    snapshot.os = chosenOs;
  }
  if (rawBlockDevices !== undefined && snapshot.blockDevices === rawBlockDevices) filled.add('lsblk-json');

  const computed = base ? base.gaps.filter((gap) => !isFilled(gap, filled, snapshot)) : missingFileGaps(raw, snapshot);
  const observed = new Set(extractionGaps.map((gap) => gap.command));
  snapshot.gaps = [...extractionGaps, ...computed.filter((gap) => !observed.has(gap.command))];
  return { snapshot, problems };
}

/** The files small enough to read; each larger one is a problem. */
function withinSizeLimit(files: ReadonlyMap<string, string>, problems: SnapshotFileProblem[]): ReadonlyMap<string, string> {
  let kept: Map<string, string> | undefined;
  for (const [name, text] of files) {
    if (text.length <= MAX_SNAPSHOT_FILE_CHARS) continue;
    kept ??= new Map(files);
    kept.delete(name);
    const size = `${(text.length / (1024 * 1024)).toFixed(1)} MB`;
    problems.push({ file: name, message: `the file is ${size}, too large to check (limit ${MAX_SNAPSHOT_FILE_CHARS / (1024 * 1024)} MB); it was not read. It should hold the output of one command: extract the snapshot again` });
  }
  return kept ?? files;
}

function readSnapshotJson(files: ReadonlyMap<string, string>, problems: SnapshotFileProblem[]): HostSnapshot | undefined {
  const text = files.get('snapshot.json');
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    problems.push({ file: 'snapshot.json', message: `snapshot.json is not valid JSON (${detail}); using the raw files only. Extract it again ("NixOS Homelab: Extract Host State over SSH…", or \`nixos-homelab extract\`) to rewrite it.` });
    return undefined;
  }
  const validation = validateSnapshot(json);
  if (validation.ok) return validation.snapshot;
  problems.push({ file: 'snapshot.json', message: `${validation.message} Using the raw files only.` });
  return undefined;
}

interface RawFile {
  name: string;
  text: string;
}

interface SortedRawFiles {
  fixed: Map<FixedSection, RawFile>;
  ids: (RawFile & { user?: string })[];
  groups: (RawFile & { gid: number })[];
}

/** Groups the folder's files by kind; names are visited sorted so the result does not depend on listing order. */
function sortRawFiles(files: ReadonlyMap<string, string>): SortedRawFiles {
  const sorted: SortedRawFiles = { fixed: new Map(), ids: [], groups: [] };
  // The extraction's own names sort before `pre_nixos_…`, so they win when both are present.
  for (const name of [...files.keys()].sort()) {
    const text = files.get(name) ?? '';
    const kind = classifyRawFile(name);
    if (kind === undefined || kind.kind === 'snapshot') continue;
    if (kind.kind === 'id') sorted.ids.push(kind.user === undefined ? { name, text } : { name, text, user: kind.user });
    else if (kind.kind === 'group') sorted.groups.push({ name, text, gid: kind.gid });
    else if (!sorted.fixed.has(kind.kind)) sorted.fixed.set(kind.kind, { name, text });
  }
  return sorted;
}

/** Prefers `lsblk -J` (it also has PARTUUID and LABEL); falls back to the text table when JSON is absent or empty. */
function readBlockDevices(
  json: RawFile | undefined,
  text: RawFile | undefined,
  take: <T>(file: string, parsed: Parsed<T>) => T,
): BlockDevice[] | undefined {
  if (json) {
    const devices = take(json.name, parseLsblkJson(json.text));
    if (devices.length > 0 || !text) return devices;
  }
  return text ? take(text.name, parseLsblkText(text.text)) : undefined;
}

/** Lets `ls -l` output with names (not `-ln`) be read, using the ids the `id`/`getent` files gave. */
function nameResolver(groups: HostGroup[], users: HostUser[], kind: 'group' | 'user'): (name: string) => number | undefined {
  return (name) => {
    if (kind === 'user') return users.find((user) => user.name === name)?.uid;
    return (
      groups.find((group) => group.name === name)?.gid ??
      users.flatMap((user) => user.groups).find((group) => group.name === name)?.gid
    );
  };
}

function missingFileGaps(raw: SortedRawFiles, snapshot: HostSnapshot): SnapshotGap[] {
  const gaps: SnapshotGap[] = [];
  for (const spec of RAW_FILES) {
    // The JSON listing is a nicer-to-have twin of the table: only the absence of both is a gap.
    if (spec.section === 'lsblk-json' || raw.fixed.has(spec.section)) continue;
    if (spec.section === 'lsblk' && raw.fixed.has('lsblk-json')) continue;
    const names = spec.section === 'lsblk' ? 'lsblk.txt / lsblk.json' : spec.fileName;
    gaps.push({ command: spec.command, reason: `${names} not found in the snapshot folder` });
  }
  if (snapshot.users.length === 0) {
    gaps.push({ command: idCommand('<user>'), reason: 'no id-<user>.txt found: the host\'s user and group ids are unknown' });
  }
  return gaps;
}

/** Whether a gap recorded in snapshot.json has since been filled by a raw file in the folder. */
function isFilled(gap: SnapshotGap, filled: Set<FixedSection>, snapshot: HostSnapshot): boolean {
  const spec = RAW_FILES.find((candidate) => candidate.command === gap.command);
  if (spec) return filled.has(spec.section);
  if (gap.command.startsWith('id ')) return snapshot.users.some((user) => gap.command === idCommand(user.name));
  if (gap.command.startsWith('getent group ')) return snapshot.groups.some((group) => gap.command === groupCommand(group.gid));
  return false;
}

function uniqueBy<T, K>(items: T[], key: (item: T) => K): T[] {
  const seen = new Set<K>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
