import { checkGroup, checkUser } from './idChecks';
import type { VerifyExpectation } from './expectation';
import { checkMounts } from './mountChecks';
import { checkOsIsNixos } from './osCheck';
import { checkRenderNodeGid } from './renderCheck';
import type { VerifyCheck, VerifyReport } from './report';
import { parseSections } from './sections';
import { checkAutostartUnit, checkDockerActive } from './serviceChecks';

/**
 * Judges the output of the script from `buildVerifyScript(expect)` against `expect`. Never throws: output that
 * is truncated, garbled or from another OS gives `unknown` or `fail` checks, each with what to do.
 */
export function evaluateVerify(output: string, expect: VerifyExpectation, host = 'unknown host'): VerifyReport {
  const sections = parseSections(output);
  const checks: VerifyCheck[] = [checkOsIsNixos(sections)];
  if (expect.renderGid !== undefined) checks.push(checkRenderNodeGid(sections, expect.renderGid));
  checks.push(checkDockerActive(sections));
  if (expect.autostartUnit !== undefined) checks.push(checkAutostartUnit(sections, expect.autostartUnit));
  checks.push(...checkMounts(sections, expect.mounts));
  for (const user of expect.users) checks.push(checkUser(sections, user));
  const seenGids = new Set<number>();
  for (const group of expect.groups) {
    // One check per gid: the id `group:<gid>` must be unique in the report.
    if (seenGids.has(group.gid)) continue;
    seenGids.add(group.gid);
    checks.push(checkGroup(sections, group));
  }
  return { version: 1, host, checks };
}
