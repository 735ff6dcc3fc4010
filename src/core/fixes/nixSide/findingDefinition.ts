import type { NixConfiguration, NixDefinition } from '../../nix/model';
import type { Finding } from '../../types';

/** The definition a finding's data names (path + binding start, as the Nix-side rules record it). */
export function definitionOfFinding(finding: Finding, nix: NixConfiguration): NixDefinition | undefined {
  const data = finding.data;
  const path = data?.['path'];
  const line = data?.['line'];
  const character = data?.['character'];
  if (!Array.isArray(path) || typeof line !== 'number' || typeof character !== 'number') return undefined;
  return nix.definitionsOf(path.map(String)).find((def) => def.file === finding.file && def.loc.range.start.line === line && def.loc.range.start.character === character);
}

/** A string field of the finding's data. */
export function dataString(finding: Finding, key: string): string | undefined {
  const value = finding.data?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function dataNumber(finding: Finding, key: string): number | undefined {
  const value = finding.data?.[key];
  return typeof value === 'number' ? value : undefined;
}
