/** Data keys of findings about evaluated configurations (no imports: core/rules and core/fixes read them too). */

/** Set on findings checked against evaluated values. */
export const EVALUATED_KEY = 'evaluated';

/**
 * Set on findings about a host known only from Nix (analysis/nixOnlyHosts.ts): no module of it was read, so there is no
 * place the edit planner could write a fix to.
 */
export const EVALUATED_ONLY_KEY = 'evaluatedOnly';
