/**
 * The analysis, top to bottom: files → models → stacks placed on hosts → rules → findings. The CLI runs it once;
 * the language server runs the same stages through incremental.ts, which keeps each stage's result while its
 * inputs hold. Requires `prepareAnalysis()` (prepare.ts) to have completed.
 */
import * as path from 'node:path';
import type { ComposeProject } from '../compose/model';
import type { NixConfiguration } from '../nix/model';
import type { Finding } from '../types';
import { hostChecks, placementNotice, serviceChecks, stackChecks, stackContext } from './checks';
import { discoverFiles } from './discovery';
import { createCachingSource } from './fileLayers';
import type { FileSource } from './fileSource';
import { mergeFindings } from './findings';
import { candidateHosts, chosenHost } from './inputs';
import { readConfiguration, readStack, unimportedNixErrors, unimportedNixFiles } from './models';
import { hostKey, withoutImportedHosts } from './nixosHosts';
import { detectRelease } from './release';
import { loadWorkspaceSnapshot } from './snapshot';
import { stackMainFiles } from './stackFiles';
import { hostRef, placeStacks } from './stackPlacement';
import type { DiscoveredFiles, NixosHost, WorkspaceAnalysis, WorkspaceOptions } from './types';

/** Analyses the workspace once. `files`: what discovery found, when the caller walked the folders already. */
export function analyseWorkspace(options: WorkspaceOptions, given: FileSource, files: DiscoveredFiles = discoverFiles(options.roots)): WorkspaceAnalysis {
  const { settings } = options;
  // Stages read the same files and folders again (every stack looks for wrappers and .gitignores in the folders
  // above it): each is read once per run.
  const source = createCachingSource(given);
  const parts: Finding[][] = [];

  // 1. Inputs: the release, the old host's snapshot, the host the user named, the candidate hosts.
  const { release, source: releaseSource } = detectRelease(files, options, source);
  const { snapshot, findings: snapshotFindings } = loadWorkspaceSnapshot(options, source);
  parts.push(snapshotFindings);
  const chosen = chosenHost(options);
  const candidates = candidateHosts(files, options, source, chosen?.name);

  // 2. Models: each host's configuration (hosts made of the same modules share one), then the hosts proper — a
  //    configuration.nix another host imports is a shared module, not a host —, each stack's compose project, and
  //    the syntax errors of the .nix files no configuration reads.
  const read = new Map<string, ReturnType<typeof readConfiguration>>();
  for (const candidate of candidates) {
    const key = hostKey(candidate);
    if (!read.has(key)) read.set(key, readConfiguration(candidate, source, options));
  }
  const configurations = new Map<string, NixConfiguration>();
  const hosts: NixosHost[] = [];
  for (const host of withoutImportedHosts(candidates, (candidate) => read.get(hostKey(candidate))?.configuration.files ?? [])) {
    const key = hostKey(host);
    const loaded = read.get(key);
    if (!loaded || configurations.has(key)) continue;
    configurations.set(key, loaded.configuration);
    hosts.push(host);
    parts.push(loaded.findings);
  }
  const mains = stackMainFiles(files.composeFiles, source);
  const loadedProjects: ComposeProject[] = [];
  for (const file of mains) {
    const stack = readStack(file, source, settings);
    parts.push(stack.findings);
    if (stack.project) loadedProjects.push(stack.project);
  }
  // A file another stack `include`s or `extends` is part of that stack, not a stack of its own.
  const partOfAnother = new Set(loadedProjects.flatMap((project) => project.files.filter((file) => file !== project.file)));
  const projects = loadedProjects.filter((project) => !partOfAnother.has(project.file));
  const everyConfiguration = [...read.values()].map((loaded) => loaded.configuration);
  for (const file of unimportedNixFiles(files, everyConfiguration)) parts.push(unimportedNixErrors(file, source.readText(file), settings));

  // 3. Placement: each stack's host, or why it has none.
  const base = path.resolve(options.roots[0] ?? '.');
  const placements = placeStacks(mains, hosts, (host) => configurations.get(hostKey(host)), { chosen, folderMap: settings.hosts, base });
  const hostOf = (project: ComposeProject): NixosHost | undefined => {
    const placement = placements.get(project.file);
    return placement?.kind === 'host' ? placement.host : undefined;
  };

  // 4. Rules: the compose rules per stack against its host's configuration, the Nix rules per host against its stacks.
  const entryForProject = new Map<string, string>();
  for (const project of projects) {
    const host = hostOf(project);
    if (host) entryForProject.set(project.file, host.entry);
    const nix = host ? configurations.get(hostKey(host)) : undefined;
    const check = { ctx: stackContext(project, nix, snapshot, release, settings, source), host: host ? hostRef(host) : undefined, entryCount: configurations.size, settings };
    const { perService, stackWide } = stackChecks(project.services.map((service) => serviceChecks(service, check)), check);
    parts.push(perService, stackWide, [placementNotice(project, placements.get(project.file), settings)].filter((notice): notice is Finding => notice !== undefined));
  }
  for (const host of hosts) {
    const key = hostKey(host);
    const nix = configurations.get(key) as NixConfiguration;
    const hostProjects = projects.filter((project) => {
      const of = hostOf(project);
      return of !== undefined && hostKey(of) === key;
    });
    const ctx = { nix, projects: hostProjects, snapshot, release, mountRoots: settings.mountRoots };
    parts.push(hostChecks({ ...ctx, projects: [] }, hostRef(host), settings, false), hostChecks(ctx, hostRef(host), settings, true));
  }

  // 5. Findings: merged, deduplicated, sorted.
  return { projects, configurations: [...configurations.values()], hosts, placements, entryForProject, snapshot, release, releaseSource, findings: mergeFindings(parts), files };
}
