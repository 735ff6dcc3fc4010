/**
 * The ids of every command the extension registers (no `vscode` import, so unit tests can compare it with
 * package.json). Adding a command: add its id here, its implementation in index.ts (the compiler insists), and its
 * `contributes.commands` entry in package.json (the settings test insists).
 */
export const COMMAND_IDS = {
  restartServer: 'nixosHomelab.restartServer',
  applyAllFixes: 'nixosHomelab.applyAllFixes',
  showOutput: 'nixosHomelab.showOutput',
  extractOverSsh: 'nixosHomelab.extractOverSsh',
  extractLocal: 'nixosHomelab.extractLocal',
  importExtraction: 'nixosHomelab.importExtraction',
  generateModule: 'nixosHomelab.generateModule',
  verifyOverSsh: 'nixosHomelab.verifyOverSsh',
  showMigrationReport: 'nixosHomelab.showMigrationReport',
  showMenu: 'nixosHomelab.showMenu',
  useSnapshotFolder: 'nixosHomelab.useSnapshotFolder',
  addModuleToImports: 'nixosHomelab.addModuleToImports',
  showRuleDocumentation: 'nixosHomelab.showRuleDocumentation',
  openFindingLocation: 'nixosHomelab.openFindingLocation',
  disableRule: 'nixosHomelab.disableRule',
} as const;

export type CommandName = keyof typeof COMMAND_IDS;

/**
 * Commands that run programs (ssh, sh) or write files outside an edit the user reviews: refused in a restricted
 * workspace, and contributed with `enablement: isWorkspaceTrusted` (a test compares the two).
 */
export const NEEDS_TRUST: ReadonlySet<CommandName> = new Set<CommandName>(['extractOverSsh', 'extractLocal', 'importExtraction', 'generateModule', 'verifyOverSsh']);

export const COMMANDS: readonly { name: CommandName; id: string }[] = (Object.keys(COMMAND_IDS) as CommandName[]).map((name) => ({ name, id: COMMAND_IDS[name] }));
