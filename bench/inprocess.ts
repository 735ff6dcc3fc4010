// In-process entry of the benchmark: the full lint (discovery, models, rules) and the parse-only floor over the
// same bytes, so the ratio between them says how much the analysis adds on top of parsing.
import * as fs from 'node:fs';
import { parseDocument } from 'yaml';
import { discoverFiles } from '../src/core/analysis/discovery';
import { DiskFileSource } from '../src/core/analysis/fileSource';
import { parseNix } from '../src/core/nix';
import { prepareAnalysis } from '../src/core/analysis/prepare';
import { analyseWorkspace } from '../src/core/analysis/pipeline';
import { evaluationTarget } from '../src/core/evaluation';
import { evaluateHost } from '../src/platform/nixEval';
import { DEFAULT_SETTINGS } from '../src/core/settings';

export { prepareAnalysis };

export function lintOnce(root: string): number {
  const analysis = analyseWorkspace({ roots: [root], settings: DEFAULT_SETTINGS }, new DiskFileSource());
  return analysis.findings.length;
}

/** The floor: read every compose, .env and Nix file the lint reads and parse it, nothing more. */
export function inputFiles(root: string): { yaml: string[]; nix: string[] } {
  const found = discoverFiles([root]);
  const nix: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.nix')) nix.push(full);
    }
  };
  walk(root);
  return { yaml: found.composeFiles, nix };
}

export function parseFloor(files: { yaml: string[]; nix: string[] }): number {
  let nodes = 0;
  for (const file of files.yaml) {
    const doc = parseDocument(fs.readFileSync(file, 'utf8'), { keepSourceTokens: true });
    if (doc.contents) nodes++;
  }
  for (const file of files.nix) {
    const tree = parseNix(fs.readFileSync(file, 'utf8'));
    if (tree) nodes++;
  }
  return nodes;
}

/**
 * One evaluation by Nix of the homelab's host (what `lint --eval` and the editor run), without the result cache:
 * its time in ms, or why there is none (Nix not installed…).
 */
export async function evaluateOnce(root: string, includes: string[]): Promise<{ ms: number } | { skipped: string }> {
  const analysis = analyseWorkspace({ roots: [root], settings: DEFAULT_SETTINGS }, new DiskFileSource());
  const host = analysis.hosts[0];
  if (!host) return { skipped: 'no host found' };
  const started = performance.now();
  const outcome = await evaluateHost(evaluationTarget(host, analysis.files.flakeFiles), { timeoutMs: 120_000, allowFetch: false, includes, cacheDir: undefined, extraFiles: analysis.configurations[0]?.files ?? [] });
  return outcome.kind === 'evaluated' ? { ms: performance.now() - started } : { skipped: outcome.notice };
}
