import type { Finding } from '../types';
import type { ComposeRule, FixableContext, NixRule, Rule } from './rule';
import { bindMountUndeclared } from './compose/bindMountUndeclared';
import { dockerNotEnabled } from './compose/dockerNotEnabled';
import { driGroupMismatch } from './compose/driGroupMismatch';
import { driWithoutGpuFirmware } from './compose/driWithoutGpuFirmware';
import { gpuRequestNotCdi } from './compose/gpuRequestNotCdi';
import { gpuWithoutToolkit } from './compose/gpuWithoutToolkit';
import { pgidUnmapped } from './compose/pgidUnmapped';
import { publishedPortBypassesFirewall } from './compose/publishedPortBypassesFirewall';
import { puidUnmapped } from './compose/puidUnmapped';
import { unresolvedVariable } from './compose/unresolvedVariable';
import { autostartWithoutMountDeps } from './nix/autostartWithoutMountDeps';
import { dockerEnableNvidiaDeprecated } from './nix/dockerEnableNvidiaDeprecated';
import { dockerExecStartOverride } from './nix/dockerExecStartOverride';
import { dockerPackageInsecure } from './nix/dockerPackageInsecure';
import { duplicateId } from './nix/duplicateId';
import { logOptsNotStrings } from './nix/logOptsNotStrings';
import { networkOnlineNotWanted } from './nix/networkOnlineNotWanted';
import { nvidiaDriverNotLoaded } from './nix/nvidiaDriverNotLoaded';
import { nvidiaOpenUnset } from './nix/nvidiaOpenUnset';
import { openglRenamed } from './nix/openglRenamed';
import { optionRenamed } from './nix/optionRenamed';
import { print0ReadWithoutNul } from './nix/print0ReadWithoutNul';
import { reservedGidConflict } from './nix/reservedGidConflict';
import { scriptShebangIgnored } from './nix/scriptShebangIgnored';
import { toolkitWithoutNvidiaDriver } from './nix/toolkitWithoutNvidiaDriver';
import { canonicalRuleId } from './ruleAliases';
import { dependsOnUnreadableImport } from './unreadableModules';
import { EVALUATED_ONLY_KEY } from '../evaluation/keys';

export type { ComposeRule, FixableContext, NixRule, Rule, RuleFinding, ComposeRuleContext, NixRuleContext } from './rule';

/** Compose-side rules (SPEC §4), in the order their findings are listed. */
export const COMPOSE_RULES: readonly ComposeRule[] = [
  puidUnmapped,
  pgidUnmapped,
  driWithoutGpuFirmware,
  driGroupMismatch,
  gpuWithoutToolkit,
  gpuRequestNotCdi,
  bindMountUndeclared,
  dockerNotEnabled,
  unresolvedVariable,
  publishedPortBypassesFirewall,
];

/** Nix-side rules (SPEC §4). */
export const NIX_RULES: readonly NixRule[] = [
  reservedGidConflict,
  duplicateId,
  openglRenamed,
  optionRenamed,
  nvidiaOpenUnset,
  nvidiaDriverNotLoaded,
  dockerEnableNvidiaDeprecated,
  toolkitWithoutNvidiaDriver,
  networkOnlineNotWanted,
  print0ReadWithoutNul,
  scriptShebangIgnored,
  logOptsNotStrings,
  autostartWithoutMountDeps,
  dockerExecStartOverride,
  dockerPackageInsecure,
];

/** Findings about unreadable input: not rules of the catalogue, but configurable the same way. */
export const INPUT_FINDINGS = {
  composeParseError: { id: 'compose-parse-error', defaultSeverity: 'error' },
  nixParseError: { id: 'nix-parse-error', defaultSeverity: 'error' },
  nixImportUnreadable: { id: 'nix-import-unreadable', defaultSeverity: 'warning' },
  snapshotError: { id: 'snapshot-error', defaultSeverity: 'warning' },
  hostUnknown: { id: 'host-unknown', defaultSeverity: 'information' },
  stackNotDeployed: { id: 'stack-not-deployed', defaultSeverity: 'information' },
  nixosAssertion: { id: 'nixos-assertion', defaultSeverity: 'error' },
  nixosWarning: { id: 'nixos-warning', defaultSeverity: 'warning' },
} as const;

export const ALL_RULES: readonly Rule[] = [...COMPOSE_RULES, ...NIX_RULES];

const RULES_BY_ID = new Map(ALL_RULES.map((rule) => [rule.id, rule]));

/** The rule with this id, or with this former id (`RULE_ALIASES`). */
export function ruleById(id: string): Rule | undefined {
  return RULES_BY_ID.get(canonicalRuleId(id));
}

/** Whether `lint --fix` / "Apply All Fixes" resolves the finding (never one a module we did not read may answer). */
export function isFixable(finding: Pick<Finding, 'code' | 'data'>, ctx: FixableContext): boolean {
  if (dependsOnUnreadableImport(finding.data) || finding.data?.[EVALUATED_ONLY_KEY] === true) return false;
  return ruleById(finding.code)?.fixable?.(finding.data, ctx) ?? false;
}
