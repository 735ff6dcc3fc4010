/**
 * The entries of the status menu (a click on "NixOS Homelab" in the status bar): first what is true now — the host
 * snapshot used or not, the configuration checked, a generated module still to import — then the migration
 * commands by their palette titles, then help. Free of `vscode` (unit-tested); commands/showMenu.ts shows it.
 */
import { COMMAND_IDS } from '../commands/commandList';

export interface MenuFolder {
  name: string;
  /** The setting as written, e.g. `.nixos-homelab/snapshot`. */
  snapshotPath: string;
  /** Set when the analysis uses a snapshot. */
  snapshot?: { host?: string; system?: string };
  /** Snapshot folders found elsewhere (relative paths and absolute dirs) while none is used. */
  candidates: { relative: string; dir: string }[];
  /** The entry module, relative to the folder. */
  entry?: string;
  /** The snapshot.json to open, when there is one. */
  snapshotJson?: string;
  /** Absolute path of the entry module. */
  entryFile?: string;
  generated?: { relative: string; file: string; entryName?: string; imported: boolean };
  verified?: { passed: boolean; host: string };
  /** Each host's evaluation by Nix (nixosHomelab.evaluation.mode), when one was run. */
  evaluation?: { host: string; state: 'queued' | 'evaluating' | 'evaluated' | 'failed'; message?: string }[];
}

export interface MenuInput {
  ready: boolean;
  serverFailed?: string;
  /** Findings a quick fix can resolve (from the server's summary). */
  fixable: number;
  folders: MenuFolder[];
}

export interface MenuEntry {
  label: string;
  description?: string;
  /** A separator line (no command). */
  separator?: true;
  command?: string;
  args?: unknown[];
}

/** The walkthrough's id as `workbench.action.openWalkthrough` takes it. */
export const WALKTHROUGH_ID = 'nixos-homelab.nixos-homelab#migration';

export function buildMenu(input: MenuInput): MenuEntry[] {
  const entries: MenuEntry[] = [];
  const several = input.folders.length > 1;
  if (input.serverFailed) {
    entries.push({ label: '$(error) The language server is not running', description: input.serverFailed, command: COMMAND_IDS.restartServer });
  } else if (!input.ready) {
    entries.push({ label: '$(sync~spin) Analysing the workspace…', description: 'the findings are still being computed', command: 'workbench.actions.view.problems' });
  }
  for (const folder of input.folders) {
    entries.push({ label: several ? folder.name : 'Now', separator: true });
    entries.push(...folderState(folder));
  }
  entries.push({ label: 'Migration', separator: true });
  entries.push(
    { label: '$(preview) Show Migration Report', description: 'findings, the old host, the last verify', command: COMMAND_IDS.showMigrationReport },
    {
      label: '$(wrench) Apply All Fixes',
      description: input.fixable > 0 ? `${input.fixable} findings have a quick fix` : 'nothing to fix automatically now',
      command: COMMAND_IDS.applyAllFixes,
    },
    { label: '$(file-code) Generate NixOS Module…', description: 'one module with everything the stacks need', command: COMMAND_IDS.generateModule },
    { label: '$(cloud-download) Extract Host State over SSH…', description: 'record the old host, read-only', command: COMMAND_IDS.extractOverSsh },
    { label: '$(folder-opened) Import Extraction Files…', description: 'the pre_nixos_*.txt files of the manual procedure', command: COMMAND_IDS.importExtraction },
    { label: '$(pass) Verify NixOS Host over SSH…', description: 'after nixos-rebuild switch', command: COMMAND_IDS.verifyOverSsh },
  );
  entries.push({ label: 'Help', separator: true });
  entries.push(
    { label: '$(book) Open Walkthrough', description: 'Move a Docker Compose homelab to NixOS', command: 'workbench.action.openWalkthrough', args: [WALKTHROUGH_ID, false] },
    { label: '$(output) Show Output', command: COMMAND_IDS.showOutput },
    { label: '$(debug-restart) Restart Language Server', command: COMMAND_IDS.restartServer },
  );
  return entries;
}

function folderState(folder: MenuFolder): MenuEntry[] {
  const entries: MenuEntry[] = [];
  if (folder.snapshot) {
    entries.push({
      label: `$(database) Host snapshot: ${[folder.snapshot.host, folder.snapshot.system].filter(Boolean).join(', ') || 'the old host'}`,
      description: `used from ${folder.snapshotPath}/`,
      ...(folder.snapshotJson ? { command: 'vscode.open', args: [{ file: folder.snapshotJson }] } : { command: COMMAND_IDS.showMigrationReport }),
    });
  } else {
    entries.push({ label: '$(circle-slash) No host snapshot', description: `nothing in ${folder.snapshotPath}/: extract or import one`, command: COMMAND_IDS.extractOverSsh });
    for (const candidate of folder.candidates) {
      entries.push({ label: `$(lightbulb) Use ${candidate.relative}/ as Host Snapshot`, description: 'it holds snapshot files', command: COMMAND_IDS.useSnapshotFolder, args: [{ file: candidate.dir }] });
    }
  }
  if (folder.entry) {
    entries.push({ label: `$(file-code) Configuration: ${folder.entry}`, description: 'the NixOS entry module checked', ...(folder.entryFile ? { command: 'vscode.open', args: [{ file: folder.entryFile }] } : {}) });
  } else {
    entries.push({ label: '$(question) No NixOS configuration found', description: 'setting nixosHomelab.nixosConfiguration', command: 'workbench.action.openWorkspaceSettings', args: ['nixosHomelab.nixosConfiguration'] });
  }
  if (folder.generated && !folder.generated.imported && folder.generated.entryName) {
    entries.push({
      label: `$(add) Add ${folder.generated.relative} to the imports of ${folder.generated.entryName}`,
      description: 'the generated module is not imported yet',
      command: COMMAND_IDS.addModuleToImports,
      args: [{ file: folder.generated.file }],
    });
  }
  for (const host of folder.evaluation ?? []) entries.push(evaluationEntry(host));
  if (folder.verified) {
    entries.push({
      label: folder.verified.passed ? `$(pass-filled) Verified: ${folder.verified.host}` : `$(warning) Verify of ${folder.verified.host} found problems`,
      description: 'details in the report',
      command: COMMAND_IDS.showMigrationReport,
    });
  }
  return entries;
}

/** A host's evaluation: what Nix said (the output has the whole line), or that it runs. */
function evaluationEntry(host: NonNullable<MenuFolder['evaluation']>[number]): MenuEntry {
  const message = host.message ? { description: host.message } : {};
  switch (host.state) {
    case 'evaluating':
      return { label: `$(sync~spin) Evaluating ${host.host}…`, description: 'Nix evaluates the configuration', command: COMMAND_IDS.showOutput };
    case 'queued':
      return { label: `$(clock) ${host.host} waits to be evaluated`, description: 'one host at a time', command: COMMAND_IDS.showOutput };
    case 'evaluated':
      return { label: `$(check) Evaluated by Nix: ${host.host}`, ...message, command: COMMAND_IDS.showOutput };
    case 'failed':
      return { label: `$(warning) Not evaluated: ${host.host}`, ...message, command: COMMAND_IDS.showOutput };
  }
}
