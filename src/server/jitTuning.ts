import * as v8 from 'node:v8';

/**
 * The optimising compiler (TurboFan) inlines callees into a hot function up to this much bytecode in all (V8's
 * default is 920). The server's per-keystroke path runs a few large functions — the analysis generator, the rule
 * runners, the YAML and Nix readers — whose optimised builds took up to ~150 ms each on V8's background threads,
 * while the editor and the server itself needed the same cores (measured on the benchmark's two cores: ~1.4 s of
 * optimising over the server's start, 20 opened compose files and 200 edits). Inlining less keeps each build small: ~20 % less
 * optimising time and, in four paired runs of the benchmark's edit loop, a p95 keystroke → publish about 1 ms lower
 * (docs/benchmark.md, session 7). A heuristic of the compiler only, read each time it optimises a function: it
 * changes how fast code runs, never what it does.
 */
export const MAX_INLINED_BYTECODE_CUMULATIVE = 200;

export function tuneJitForLatency(): void {
  v8.setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${MAX_INLINED_BYTECODE_CUMULATIVE}`);
}
