/**
 * The order `lint --fix` and "Apply All Fixes" take fixes in. Within a phase: by file, then position (the order of
 * the findings). Compose rewrites that depend on what the configuration finally says run after every declaration:
 * `dri-group-mismatch` must add the render gid NixOS ends up with (after a PGID fix forced it to 110, say), not
 * the default 303 it had before; a CDI or port rewrite must not race a Nix fix that changes whether it is needed.
 */
const LATE_CODES = new Set(['dri-group-mismatch', 'gpu-request-not-cdi', 'published-port-bypasses-firewall']);

/** 1: declarations in the NixOS configuration (and Nix-side fixes); 2: compose rewrites. */
export function fixPhase(code: string): 1 | 2 {
  return LATE_CODES.has(code) ? 2 : 1;
}
