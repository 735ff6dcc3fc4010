/**
 * Quick fixes for the compose-side rules (SPEC §4). Most make the NixOS configuration say what the stack needs
 * (a block of desired settings, planned into the user's modules); three rewrite the compose file instead
 * (group_add, the CDI rewrite of a GPU request, 127.0.0.1 port binding).
 */
import * as path from 'node:path';
import { userByName } from '../host';
import type { HostSnapshot } from '../host/model';
import { planSettings } from '../nix/editPlanner';
import type { NixConfiguration } from '../nix/model';
import { LineIndex } from '../text';
import type { FileReader, Finding, FindingData } from '../types';
import { dockerBlock, fileSystemBlock, fileSystemByDeviceBlock, gpuFirmwareBlock, groupBlock, nvidiaBlock, userBlock } from './blocks';
import { nvidiaOpenModulesFromSnapshot } from '../host/queries';
import type { TextEdit } from '../edits/model';
import type { CodeFix, FixHint } from './model';
import { nix } from '../edits/nixExpr';
import { set, type Block, type DesiredSetting } from '../edits/setting';
import { serviceCdiEdit } from './cdiEdits';
import { addGroupAddEdit, bindPortToLocalhostEdit, type YamlEditResult } from './yamlEdits';

/** What a compose-side fix may look at. */
export interface ComposeFixContext {
  finding: Finding;
  /** The configuration the stack was checked against (undefined: none found). */
  nix: NixConfiguration | undefined;
  snapshot: HostSnapshot | undefined;
  release: string;
  reader: FileReader;
  fixTarget: 'entry' | 'module';
}

export interface FixOutcome {
  fixes: CodeFix[];
  hints: FixHint[];
}

const NONE: FixOutcome = { fixes: [], hints: [] };

const str = (data: FindingData | undefined, key: string): string | undefined => (typeof data?.[key] === 'string' ? (data[key] as string) : undefined);
const num = (data: FindingData | undefined, key: string): number | undefined => (typeof data?.[key] === 'number' ? (data[key] as number) : undefined);
const numbers = (data: FindingData | undefined, key: string): number[] => (Array.isArray(data?.[key]) ? (data[key] as unknown[]).filter((v): v is number => typeof v === 'number') : []);
const strings = (data: FindingData | undefined, key: string): string[] => (Array.isArray(data?.[key]) ? (data[key] as unknown[]).filter((v): v is string => typeof v === 'string') : []);

type ComposeFixBuilder = (ctx: ComposeFixContext) => FixOutcome;

const BUILDERS: Readonly<Record<string, ComposeFixBuilder>> = {
  'puid-unmapped': puidFixes,
  'pgid-unmapped': pgidFixes,
  'dri-without-gpu-firmware': (ctx) => nixFix(ctx, gpuFirmwareBlock(), true),
  'dri-group-mismatch': driGroupFixes,
  'gpu-without-toolkit': toolkitFixes,
  'gpu-request-not-cdi': cdiFixes,
  'bind-mount-undeclared': bindMountFixes,
  'docker-not-enabled': (ctx) => nixFix(ctx, dockerBlock(normalUser(ctx), ctx.release), true),
  'published-port-bypasses-firewall': portFixes,
};

/** The rule ids this module builds fixes for. */
export const COMPOSE_SIDE_FIX_CODES: readonly string[] = Object.keys(BUILDERS);

/** The fixes (preferred first) and hints for one compose-side finding. */
export function composeSideFixes(ctx: ComposeFixContext): FixOutcome {
  const builder = Object.prototype.hasOwnProperty.call(BUILDERS, ctx.finding.code) ? BUILDERS[ctx.finding.code] : undefined;
  return builder ? builder(ctx) : NONE;
}

/** A fix that writes a block into the configuration, or a hint saying why it cannot. */
function nixFix(ctx: ComposeFixContext, block: Block, preferred: boolean, extra: DesiredSetting[] = []): FixOutcome {
  if (!ctx.nix) return { fixes: [], hints: [{ code: ctx.finding.code, message: 'no NixOS configuration was found to add the fix to (pass --nix FILE or set nixosHomelab.nixosConfiguration)' }] };
  const plan = planSettings([...block.settings, ...extra], { configuration: ctx.nix, reader: ctx.reader, fixTarget: ctx.fixTarget });
  if ('error' in plan) return { fixes: [], hints: [{ code: ctx.finding.code, message: plan.error }] };
  if (plan.edits.length === 0 && plan.creates.length === 0) return NONE;
  return { fixes: [{ title: block.title, preferred, code: ctx.finding.code, edits: plan.edits, creates: plan.creates }], hints: [] };
}

/** `isNormalUser = true` for a user the configuration does not declare yet: NixOS requires one of the two kinds. */
function declareIfMissing(ctx: ComposeFixContext, user: string): DesiredSetting[] {
  return ctx.nix?.users.has(user) ? [] : [set(['users', 'users', user, 'isNormalUser'], nix.bool(true))];
}

function puidFixes(ctx: ComposeFixContext): FixOutcome {
  const { data } = ctx.finding;
  const uid = num(data, 'uid');
  const name = str(data, 'userName');
  if (uid === undefined) return NONE;
  if (!name) return { fixes: [], hints: [{ code: ctx.finding.code, message: `no user name is known for uid ${uid}: run \`nixos-homelab extract\` (or "NixOS Homelab: Extract Host State over SSH…") on the old host, or declare the user by hand` }] };
  const existing = ctx.nix?.users.get(name);
  // Changing a uid the user already fixed could break another stack: offer it, never apply it unasked.
  const preferred = existing?.uidDef === undefined;
  return nixFix(ctx, userBlock({ name, uid, exists: existing !== undefined }), preferred);
}

/**
 * A hint instead of a group fix when another group already holds the gid in this configuration (e.g.
 * `systemd-journal-gateway` 110 while `services.journald.gateway.enable` is on): the fix would fail evaluation with
 * users-groups.nix's assertion "UIDs and GIDs must be unique!".
 */
function gidCollisionHint(ctx: ComposeFixContext, name: string, gid: number): FixHint | undefined {
  const holder = ctx.nix?.findGroupByGid(gid);
  if (!holder || holder.name === name) return undefined;
  const why = holder.nixosDeclaredBy ? `NixOS declares \`${holder.name}\` with the static gid ${gid} because \`${holder.nixosDeclaredBy} = true\`` : `\`${holder.name}\` already has gid ${gid}`;
  const way = holder.nixosDeclaredBy ? `turn \`${holder.nixosDeclaredBy}\` off, or keep \`${name}\` at its NixOS gid and change the files' group (\`chgrp\`) and the stack's gid to it` : `renumber one of the two groups`;
  return { code: ctx.finding.code, message: `users.groups.${name}.gid = ${gid} is not offered: ${why}, and two groups with one gid fail evaluation ("UIDs and GIDs must be unique!"); ${way}` };
}

function pgidFixes(ctx: ComposeFixContext): FixOutcome {
  const { data } = ctx.finding;
  const gid = num(data, 'gid');
  const name = str(data, 'groupName');
  if (gid === undefined) return NONE;
  if (!name) return { fixes: [], hints: [{ code: ctx.finding.code, message: `no group name is known for gid ${gid}: run \`nixos-homelab extract\` on the old host (it records the group names), or declare the group by hand` }] };
  const collision = gidCollisionHint(ctx, name, gid);
  if (collision) return { fixes: [], hints: [collision] };
  const personalOf = str(data, 'personalOf');
  const member = str(data, 'member');
  const extra: DesiredSetting[] = [];
  let members: string[] = [];
  if (personalOf) {
    // NixOS gives normal users the group `users`; the containers expect the user's own group as on Ubuntu.
    extra.push(...declareIfMissing(ctx, personalOf), set(['users', 'users', personalOf, 'group'], nix.str(name)));
  } else if (member) {
    extra.push(...declareIfMissing(ctx, member));
    members = [member];
  }
  const block = groupBlock({ name, gid, members });
  const declared = ctx.nix?.groups.get(name);
  // Changing a gid the user already declared could break another stack: offer it, never apply it unasked.
  const preferred = declared?.gidDef === undefined;
  const title = personalOf ? `${block.title} and make it ${personalOf}'s primary group` : members.length ? `${block.title} and add ${members.join(', ')} to it` : block.title;
  return nixFix(ctx, { ...block, title }, preferred, extra);
}

/**
 * The NVIDIA driver and the CDI toolkit, nothing else: an iGPU's /dev/dri in a container needs GPU firmware
 * (dri-without-gpu-firmware's fix), not VA-API drivers in `hardware.graphics`, which serve host programs only.
 */
function toolkitFixes(ctx: ComposeFixContext): FixOutcome {
  // Without the old host's GPU list the fix does not choose `hardware.nvidia.open`: that is the user's call.
  const block = nvidiaBlock(ctx.release, { open: nvidiaOpenModulesFromSnapshot(ctx.snapshot?.gpus) });
  return nixFix(ctx, block, true);
}

function driGroupFixes(ctx: ComposeFixContext): FixOutcome {
  const { data } = ctx.finding;
  const service = str(data, 'service');
  const renderGid = num(data, 'renderGid');
  if (!service || renderGid === undefined) return NONE;
  const yaml = yamlFix(ctx, `Add group_add: ["${renderGid}"] to ${service}`, true, (text) => addGroupAddEdit(text, service, String(renderGid)));
  const oldRenderGid = num(data, 'oldRenderGid');
  if (oldRenderGid === undefined || oldRenderGid === renderGid) return yaml;
  const collision = gidCollisionHint(ctx, 'render', oldRenderGid);
  if (collision) return { fixes: yaml.fixes, hints: [...yaml.hints, collision] };
  const forced = nixFix(ctx, groupBlock({ name: 'render', gid: oldRenderGid }), false);
  return { fixes: [...yaml.fixes, ...forced.fixes], hints: [...yaml.hints, ...forced.hints] };
}

/** gpu-request-not-cdi: the whole service's request becomes one CDI reservation (see cdiEdits.ts). */
function cdiFixes(ctx: ComposeFixContext): FixOutcome {
  const { data } = ctx.finding;
  const service = str(data, 'service');
  if (!service) return NONE;
  if (data?.['rewritable'] !== true) {
    const why = str(data, 'why') ?? (typeof data?.['dockerMajor'] === 'number' ? `Docker ${data['dockerMajor']} has no CDI support; set virtualisation.docker.package to Docker 25 or newer` : 'the request cannot be rewritten automatically');
    return { fixes: [], hints: [{ code: ctx.finding.code, message: `${service}: ${why}` }] };
  }
  return yamlFix(ctx, `Request the GPU of ${service} through CDI (driver: cdi, device_ids: nvidia.com/gpu=…)`, true, (text) => serviceCdiEdit(text, service, strings(data, 'cdiIds')));
}

function bindMountFixes(ctx: ComposeFixContext): FixOutcome {
  const { data } = ctx.finding;
  const mountpoint = str(data, 'mountpoint');
  const source = str(data, 'source');
  if (!mountpoint && str(data, 'kind') === 'unknown-disk' && source) {
    // No mount point is known (no snapshot): nothing safe to write, and nothing to write if it is a plain folder.
    return { fixes: [], hints: [{ code: ctx.finding.code, message: `${source}: if it is on a separate disk, run \`nixos-homelab extract\` (or "NixOS Homelab: Extract Host State over SSH…") on the old host to learn the disk's mount point, UUID and options, then fix again` }] };
  }
  if (!mountpoint) return NONE;
  const uuid = str(data, 'uuid');
  const device = str(data, 'device');
  const mount = { mountpoint, fsType: str(data, 'fsType'), options: strings(data, 'options'), origin: str(data, 'origin') ?? 'snapshot' };
  if (uuid) return nixFix(ctx, fileSystemBlock({ ...mount, uuid }), true);
  if (device) return nixFix(ctx, fileSystemByDeviceBlock({ ...mount, device }), true);
  return {
    fixes: [],
    hints: [{ code: ctx.finding.code, message: `${mountpoint}: its UUID and mount options are unknown; run \`nixos-homelab extract\` (or "NixOS Homelab: Extract Host State over SSH…") on the old host, then fix again` }],
  };
}

function portFixes(ctx: ComposeFixContext): FixOutcome {
  const { data } = ctx.finding;
  const raw = str(data, 'raw');
  const raws = strings(data, 'raws');
  const lines = numbers(data, 'lines');
  const characters = numbers(data, 'characters');
  const title = raws.length > 1 ? `Publish ${raws.map((port) => `\`${port}\``).join(', ')} on 127.0.0.1 only` : `Publish ${raw ? `\`${raw}\` ` : ''}on 127.0.0.1 only`;
  // Not preferred: whether a port should stay reachable from the LAN is the user's call, never an automatic fix.
  return yamlFix(ctx, title, false, (text, offset) => {
    // One finding stands for every port of the service published on all interfaces (its data lists where they are).
    if (lines.length < 2 || lines.length !== characters.length) return bindPortToLocalhostEdit(text, offset);
    const index = new LineIndex(text);
    const edits: TextEdit[] = [];
    for (let i = 0; i < lines.length; i++) {
      const result = bindPortToLocalhostEdit(text, index.offsetAt({ line: lines[i] ?? 0, character: characters[i] ?? 0 }));
      if ('error' in result) return result;
      edits.push(...result.edits);
    }
    return { edits };
  });
}

/** A fix that edits the compose file the finding is in, at the finding's start. */
function yamlFix(ctx: ComposeFixContext, title: string, preferred: boolean, build: (text: string, offset: number) => YamlEditResult): FixOutcome {
  const { finding } = ctx;
  const text = ctx.reader.readText(finding.file);
  if (text === undefined) return { fixes: [], hints: [{ code: finding.code, message: `${path.basename(finding.file)} cannot be read` }] };
  const result = build(text, new LineIndex(text).offsetAt(finding.range.start));
  if ('error' in result) return { fixes: [], hints: [{ code: finding.code, message: `${path.basename(finding.file)}: ${result.error}` }] };
  if (result.edits.length === 0) return NONE;
  return { fixes: [{ title, preferred, code: finding.code, edits: [{ file: finding.file, baseText: text, edits: result.edits }], creates: [] }], hints: [] };
}

/** The user to put in the docker group: the configuration's one normal user, else one the old host had. */
function normalUser(ctx: ComposeFixContext): string | undefined {
  const users = [...(ctx.nix?.users.values() ?? [])];
  const normal = users.filter((user) => user.isNormalUser);
  if (normal.length === 1) return normal[0]?.name;
  const snapshot = ctx.snapshot;
  if (!snapshot) return undefined;
  const known = users.map((user) => user.name).filter((name) => userByName(snapshot, name));
  return known.length === 1 ? known[0] : undefined;
}
