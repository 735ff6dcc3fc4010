/**
 * The bounds on what reading one compose file or `.env` file may cost. Real homelab files are a few KB with a
 * handful of anchors and variables; these limits sit far above that and far below what would stall the language
 * server (which re-reads a compose file on every keystroke) or the CLI. Past a limit the file is reported (a
 * `compose-parse-error` finding saying which limit and what to do) and whatever was read before it is still checked.
 */

/** A compose file larger than this is not read at all. */
export const MAX_COMPOSE_FILE_CHARS = 2 * 1024 * 1024;

/** A `.env` or `env_file` larger than this is not read at all. */
export const MAX_ENV_FILE_CHARS = 1024 * 1024;

/** Nesting of maps and lists (aliases included): deeper values are cut. Compose files nest about six levels. */
export const MAX_YAML_DEPTH = 64;

/**
 * Nodes copied by expanding aliases and `<<` merge keys, over the whole file. An alias bomb (`&a [*b, *b, …]` nested)
 * doubles with every line; 2,000 services merging a 20-key anchor copy 40,000.
 */
export const MAX_ALIAS_EXPANSIONS = 50_000;

/** `${A:-${B:-…}}`: defaults nested deeper than this are not expanded. Real files nest two or three. */
export const MAX_REFERENCE_NESTING = 16;

/** Characters one interpolated value may expand to (`A1=${A0}${A0}`, … doubles with every line). */
export const MAX_EXPANDED_VALUE_CHARS = 64 * 1024;

/** Characters all interpolated values of one file may expand to together (aliases of a long value count again). */
export const MAX_EXPANDED_FILE_CHARS = 4 * 1024 * 1024;

/** A number for messages: `65536` → `64 KB`, `2097152` → `2 MB`. */
export function describeSize(chars: number): string {
  if (chars >= 1024 * 1024) return `${+(chars / (1024 * 1024)).toFixed(1)} MB`;
  if (chars >= 1024) return `${+(chars / 1024).toFixed(1)} KB`;
  return `${chars} characters`;
}
