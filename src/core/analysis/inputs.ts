/**
 * Stage 1 of the pipeline (pipeline.ts): what there is to check — the files found, the open editor files the walk
 * did not see yet, the host the user named, and the candidate hosts.
 */
import * as path from 'node:path';
import { isComposeFileName } from '../compose';
import type { FileSource } from './fileSource';
import { checkedNixOnlyHosts } from './nixOnlyHosts';
import { findHosts, hostKey } from './nixosHosts';
import { matchHost } from './stackPlacement';
import type { DiscoveredFiles, NixosHost, PlacementVia, WorkspaceOptions } from './types';

/** The host the user named for every stack (`--host`, else the `nixosHomelab.host` setting). */
export interface ChosenHost {
  name: string;
  via: Extract<PlacementVia, '--host' | 'nixosHomelab.host'>;
}

export function chosenHost(options: WorkspaceOptions): ChosenHost | undefined {
  if (options.host) return { name: options.host, via: '--host' };
  if (options.settings.host) return { name: options.settings.host, via: 'nixosHomelab.host' };
  return undefined;
}

/**
 * The discovered files plus `openFiles` the walk did not find (an editor buffer not saved yet): a compose file is
 * analysed like the others, a .nix file gets its syntax errors (models.ts `unimportedNixErrors`).
 */
export function withOpenFiles(files: DiscoveredFiles, openFiles: readonly string[]): DiscoveredFiles {
  const composeFiles = [...files.composeFiles];
  const nixFiles = [...(files.nixFiles ?? [])];
  const knownNix = new Set([...files.configurationFiles, ...files.flakeFiles, ...nixFiles]);
  for (const file of openFiles) {
    if (isComposeFileName(path.basename(file))) {
      if (!composeFiles.includes(file)) composeFiles.push(file);
    } else if (file.endsWith('.nix') && !knownNix.has(file)) nixFiles.push(file);
  }
  return { ...files, composeFiles, nixFiles };
}

/**
 * The workspace's candidate hosts (nixosHosts.ts); a `--host`/setting value that is the path of a module no host
 * reads is a host of its own (the user named its entry module).
 */
export function candidateHosts(files: DiscoveredFiles, options: WorkspaceOptions, source: FileSource, chosen: string | undefined): NixosHost[] {
  const base = path.resolve(options.roots[0] ?? '.');
  const explicit = options.nixFiles?.length ? options.nixFiles : options.settings.nixosConfiguration;
  const hosts = findHosts(files, options.roots, explicit, source);
  if (chosen && !matchHost(chosen, hosts, base) && chosen.endsWith('.nix') && source.exists(path.resolve(base, chosen))) {
    hosts.push(...findHosts(files, options.roots, [chosen], source));
  }
  if (options.nixOnlyHosts?.length) hosts.push(...checkedNixOnlyHosts(options.nixOnlyHosts, (host) => options.evaluations?.get(hostKey(host))));
  return hosts;
}
