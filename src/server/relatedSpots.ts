import { configurationForCompose } from '../core/fixes';
import { COMPOSE_SIDE_FIX_CODES } from '../core/fixes/composeSide';
import { relatedAtFixSpot } from '../core/fixes/fixSpot';
import type { FileHost, Finding } from '../core/types';
import type { IncrementalAnalysis } from '../core/analysisCache';
import { computeFixes } from './fixEngine';
import type { AnalysedRoot } from './workspaceIndex';

interface Relocated {
  /** The configuration's files and their texts when the spot was computed: the spot holds while they do. */
  files: readonly string[];
  texts: (string | undefined)[];
  finding: Finding;
}

/**
 * A rule knows only that a declaration is missing from the configuration ("configuration.nix [Ln 1, Col 1]"); the
 * fix knows where it goes. Before publishing, a compose finding's "missing here" related information is moved to
 * its preferred fix's spot (core fixes/fixSpot.ts) — in `homelab.nix` with fixTarget "module", in the module that
 * declares `users.users.palav`. Each result is kept per finding while the configuration's texts are unchanged, so
 * an analysis that reuses a finding costs a lookup, and a published list is the same objects until a text moves.
 */
export class RelatedSpots {
  private readonly memo = new WeakMap<Finding, Relocated>();

  constructor(private readonly host: FileHost) {}

  /**
   * `findings` of `file` with related information at the fixes' spots; the very same array when nothing moved.
   * Only lists of the root's finished analysis are relocated (a stack published early is republished then).
   */
  relocate(root: AnalysedRoot, file: string, findings: Finding[]): Finding[] {
    const analysis = root.cache.current;
    if (!analysis || analysis.findingsByFile.get(file) !== findings) return findings;
    let result: Finding[] | undefined;
    findings.forEach((finding, index) => {
      const relocated = this.relocated(finding, analysis, root);
      if (relocated === finding) return;
      result ??= [...findings];
      result[index] = relocated;
    });
    return result ?? findings;
  }

  private relocated(finding: Finding, analysis: IncrementalAnalysis, root: AnalysedRoot): Finding {
    if (!COMPOSE_SIDE_FIX_CODES.includes(finding.code)) return finding;
    const movesToModule = root.settings.fixTarget === 'module';
    if (!movesToModule && !finding.related.some((item) => isFileStart(item.location.range))) return finding;
    const nix = configurationForCompose(finding.file, analysis);
    if (!nix) return finding;
    const texts = nix.files.map((file) => this.host.readText(file));
    const kept = this.memo.get(finding);
    if (kept && kept.files === nix.files && kept.texts.every((text, index) => text === texts[index])) return kept.finding;
    const fix = computeFixes(finding, analysis, this.host, root.settings).fixes.find((candidate) => candidate.preferred);
    const relocated = fix ? relatedAtFixSpot(finding, fix) : finding;
    this.memo.set(finding, { files: nix.files, texts, finding: relocated });
    return relocated;
  }
}

function isFileStart(range: { start: { line: number; character: number } }): boolean {
  return range.start.line === 0 && range.start.character === 0;
}
