import { loadComposeProject } from '../../../../../src/core/compose';
import { loadSnapshotFromFiles } from '../../../../../src/core/host';
import type { HostSnapshot } from '../../../../../src/core/host/model';
import { initNixParser, loadNixConfiguration } from '../../../../../src/core/nix';
import type { ComposeRule, ComposeRuleContext, RuleFinding } from '../../../../../src/core/rules';
import { memoryHost } from '../../../helpers/memoryHost';

export const COMPOSE_FILE = '/home/palav/docker/app/docker-compose.yml';
export const NIX_FILE = '/etc/nixos/configuration.nix';

/** A NixOS module with nothing declared: every fixture starts from "everything off". */
export const EMPTY_MODULE = '{ config, pkgs, ... }:\n{\n}\n';

export interface Homelab {
  compose: string;
  /** Body of the NixOS module's attribute set (wrapped into a module), or a whole module when it starts with `{`. */
  nix?: string;
  env?: string;
  /** Raw snapshot files by name (e.g. `pre_nixos_id.txt`). */
  snapshot?: Record<string, string>;
  release?: string;
  mountRoots?: string[];
}

export async function context(lab: Homelab): Promise<ComposeRuleContext> {
  await initNixParser();
  const nixText = lab.nix === undefined ? EMPTY_MODULE : lab.nix.trimStart().startsWith('{') ? lab.nix : `{ config, lib, pkgs, ... }:\n{\n${lab.nix}\n}\n`;
  const files: Record<string, string> = { [COMPOSE_FILE]: lab.compose, [NIX_FILE]: nixText };
  if (lab.env !== undefined) files['/home/palav/docker/app/.env'] = lab.env;
  const host = memoryHost(files);
  let snapshot: HostSnapshot | undefined;
  if (lab.snapshot) snapshot = loadSnapshotFromFiles(new Map(Object.entries(lab.snapshot))).snapshot;
  return {
    project: loadComposeProject(COMPOSE_FILE, host),
    nix: loadNixConfiguration(NIX_FILE, host),
    snapshot,
    release: lab.release ?? '25.05',
    mountRoots: lab.mountRoots ?? ['/mnt', '/media', '/srv'],
  };
}

export async function check(rule: ComposeRule, lab: Homelab): Promise<RuleFinding[]> {
  return rule.check(await context(lab));
}

/** The text a finding's range covers in the compose file. */
export function covered(text: string, finding: RuleFinding): string {
  const lines = text.split('\n');
  const { start, end } = finding.range;
  if (start.line === end.line) return (lines[start.line] ?? '').slice(start.character, end.character);
  return [(lines[start.line] ?? '').slice(start.character), ...lines.slice(start.line + 1, end.line), (lines[end.line] ?? '').slice(0, end.character)].join('\n');
}

export const POP_OS_SNAPSHOT = {
  'pre_nixos_id.txt': 'uid=1000(palav) gid=1000(palav) groups=1000(palav),4(adm),27(sudo),44(video),110(render),998(docker)\n',
  'pre_nixos_gid110.txt': 'render:x:110:palav\n',
  'pre_nixos_fstab.txt': '# /etc/fstab\nUUID=3b6f2a9e-8c1d-4e57-9a0b-52d7c4e1f806 /mnt/PlexStorage ext4 defaults,nofail,noatime 0 2\n',
  'gpu.txt': '00:02.0 VGA compatible controller [0300]: Intel Corporation AlderLake-S GT1 [8086:4680] (rev 0c)\n',
};
