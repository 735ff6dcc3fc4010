import * as path from 'node:path';
import type { UnresolvedVariable } from '../../compose/model';
import type { ComposeRule, ComposeRuleContext, RuleFinding } from '../rule';
import { declarationFor, kindLabel, variableSources, type VariableSources } from './variableSources';

/**
 * A `${VAR}` without default is unresolved only when nothing that starts the stack can give it a value: not its
 * `.env`, not the NixOS unit that runs `docker compose` for it (environment, `--env-file`, `EnvironmentFile=`, the
 * secrets behind them), not a wrapper next to it. A `.env` written at deploy time (gitignored, or stood for by an
 * `.env.example`) is information; a secret file no declaration provides is a warning of its own.
 */
export const unresolvedVariable: ComposeRule = {
  id: 'unresolved-variable',
  side: 'compose',
  // Without a configuration the stack's own files, wrappers and examples are still read.
  standalone: true,
  defaultSeverity: 'warning',
  summary: 'A `${VAR}` without default is defined nowhere Compose would look (the .env, the unit starting the stack, its secrets, a wrapper).',
  check(ctx: ComposeRuleContext): RuleFinding[] {
    const { project } = ctx;
    const needsSources = project.unresolved.length > 0 || project.services.some((service) => (service.runtimeEnvFiles?.length ?? 0) > 0);
    if (!needsSources) return [];
    const sources = variableSources(project, ctx.nix, ctx.readText ?? (() => undefined));
    const findings: RuleFinding[] = sources.undeclaredSecrets.map((secret) => ({
      file: secret.loc.file,
      range: secret.loc.range,
      message: `${secret.written} is the file of the ${kindLabel(secret.reference.kind)} secret ${secret.reference.name ?? secret.written}, which the configuration does not declare`,
      explanation: `\`${secret.written}\` (${secret.usedBy}) is the file of the ${kindLabel(secret.reference.kind)} secret \`${secret.reference.name ?? secret.written}\`, but the configuration declares no \`${declarationFor(secret.reference)}\`: the file will not exist on the host and Compose stops.\n\nFix: declare the secret, or correct the path.`,
      related: [],
      data: { secret: secret.reference.name ?? secret.written, kind: secret.reference.kind },
    }));
    for (const variable of project.unresolved) {
      const finding = keptFindingFor(variable, sources, project.dir);
      if (finding) findings.push(finding);
    }
    return findings;
  },
};

/**
 * A variable's finding, kept while the variable is the same object (its service's text is unchanged: the compose
 * parse cache keeps it) and its stack's sources are the same: an edit elsewhere in the file builds no message again.
 */
const kept = new WeakMap<UnresolvedVariable, { key: object; dir: string; finding: RuleFinding | undefined }>();

function keptFindingFor(variable: UnresolvedVariable, sources: VariableSources, dir: string): RuleFinding | undefined {
  const known = kept.get(variable);
  if (known && known.key === sources.key && known.dir === dir) return known.finding;
  const finding = findingFor(variable, sources, dir);
  kept.set(variable, { key: sources.key, dir, finding });
  return finding;
}

function findingFor(variable: UnresolvedVariable, sources: VariableSources, dir: string): RuleFinding | undefined {
  const { name } = variable;
  if (sources.definedBy(name) !== undefined) return undefined;
  const base = { file: variable.loc.file, range: variable.loc.range };
  const opaque = sources.opaque.find((source) => !source.listed?.has(name));
  // Listed by an example of the deploy-time .env: documented, written when deployed.
  if (!opaque && sources.opaque.some((source) => source.listed?.has(name))) return undefined;
  if (opaque?.kind === 'secret') return undefined;
  if (opaque) {
    const message = opaque.kind === 'host' ? `${name} can only come from a file on the host` : `${name} has no value in the repository: it must come from a file written at deploy time`;
    const explanation =
      opaque.kind === 'host'
        ? `\`${name}\` can only come from ${opaque.description}.\n\nFix: make sure that file defines it on the new host, or write \`\${${name}:-default}\`.`
        : `\`${name}\` has no value in the repository: ${opaque.description}, so it must come from the file written at deploy time.\n\nFix: make sure that file defines it${opaque.listed ? ' and add it to the example' : ''}, or write \`\${${name}:-default}\`.`;
    return { ...base, message, explanation, related: opaque.loc ? [{ location: opaque.loc, message: 'given at deploy time here' }] : [], data: { name, provided: opaque.kind }, severity: 'information' };
  }
  const looked = [`${path.basename(dir)}/.env`, ...sources.consulted];
  return {
    ...base,
    message: `${name} is not set: it has no default and nothing defines it, so Compose substitutes an empty string`,
    explanation: `\`${name}\` has no default and ${noneOf(looked)}.\n\nFix: define it there or write \`\${${name}:-default}\`.`,
    related: sources.units.map((unit) => ({ location: unit.loc, message: `systemd.services.${unit.service} starts this stack` })),
    data: { name },
  };
}

/** "A does not define it", "neither A nor B defines it", "none of A, B or C defines it". */
function noneOf(sources: string[]): string {
  if (sources.length === 1) return `${sources[0]} does not define it`;
  if (sources.length === 2) return `neither ${sources[0]} nor ${sources[1]} defines it`;
  return `none of ${sources.slice(0, -1).join(', ')} or ${sources[sources.length - 1]} defines it`;
}
