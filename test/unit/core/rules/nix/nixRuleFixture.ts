import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ComposeProject } from '../../../../../src/core/compose/model';
import { nixSideFixes, applyTextEdits } from '../../../../../src/core/fixes/nixSide';
import type { CodeFix } from '../../../../../src/core/fixes/model';
import type { HostSnapshot } from '../../../../../src/core/host/model';
import { loadNixConfiguration } from '../../../../../src/core/nix/configuration';
import type { NixConfiguration } from '../../../../../src/core/nix/model';
import { NIX_RULES, type NixRuleContext } from '../../../../../src/core/rules';
import type { Finding } from '../../../../../src/core/types';
import { memoryHost } from '../../../helpers/memoryHost';

export const ENTRY = '/etc/nixos/configuration.nix';

export interface LintOptions {
  release?: string;
  projects?: ComposeProject[];
  snapshot?: HostSnapshot;
  mountRoots?: string[];
}

export type Files = Record<string, string>;

/** The files as a one-entry map when given a single module text. */
export function asFiles(input: string | Files): Files {
  return typeof input === 'string' ? { [ENTRY]: input } : input;
}

/** Loads the configuration (first file is the entry) and runs every Nix-side rule, as the workspace does. */
export function lintNix(input: string | Files, options: LintOptions = {}): { findings: Finding[]; nix: NixConfiguration; files: Files } {
  const files = asFiles(input);
  const [entry] = Object.keys(files);
  assert.ok(entry);
  const nix = loadNixConfiguration(entry, memoryHost(files));
  const ctx: NixRuleContext = { nix, projects: options.projects ?? [], snapshot: options.snapshot, release: options.release ?? '25.05', mountRoots: options.mountRoots ?? ['/mnt', '/media', '/srv'] };
  const findings: Finding[] = [];
  for (const rule of NIX_RULES) {
    for (const found of rule.check(ctx)) {
      findings.push({ code: rule.id, severity: rule.severityFor?.(found, ctx) ?? rule.defaultSeverity, file: found.file, range: found.range, message: found.message, ...(found.explanation ? { explanation: found.explanation } : {}), related: found.related, data: found.data });
    }
  }
  return { findings, nix, files };
}

/** Findings of one rule. */
export function findingsOf(input: string | Files, code: string, options: LintOptions = {}): Finding[] {
  return lintNix(input, options).findings.filter((finding) => finding.code === code);
}

/** The fixes offered for a finding. */
export function fixesFor(finding: Finding, nix: NixConfiguration, files: Files): CodeFix[] {
  return nixSideFixes(finding, nix, memoryHost(files));
}

/** Applies a fix to the files (checking each edit's base text), returning the new file map. */
export function applyFix(files: Files, fix: CodeFix): Files {
  const result = { ...files };
  for (const fileEdit of fix.edits) {
    assert.equal(result[fileEdit.file], fileEdit.baseText, `fix ${fix.title} was computed against the current text of ${fileEdit.file}`);
    result[fileEdit.file] = applyTextEdits(fileEdit.baseText, fileEdit.edits);
  }
  return result;
}

/** Lints, applies the preferred fix of the single finding of `code`, returns the fixed files (asserting one finding and a fix). */
export function fixOnce(input: string | Files, code: string, options: LintOptions = {}): Files {
  const { findings, nix, files } = lintNix(input, options);
  const matching = findings.filter((finding) => finding.code === code);
  assert.equal(matching.length, 1, `exactly one ${code} finding, got ${matching.length}: ${matching.map((f) => f.message).join(' | ')}`);
  const fixes = fixesFor(matching[0] as Finding, nix, files);
  const preferred = fixes.find((fix) => fix.preferred);
  assert.ok(preferred, `a preferred fix for ${code}`);
  return applyFix(files, preferred);
}

/**
 * Parses every text with ONE `nix-instantiate --store dummy:// --parse` call (the oracle of STYLE.md). Fails with
 * a clear message when Nix is not installed.
 */
export function assertAllParse(texts: string[]): void {
  const which = spawnSync('sh', ['-c', 'command -v nix-instantiate'], { encoding: 'utf8' });
  assert.ok(which.status === 0, 'nix-instantiate is not installed: run scripts/ensure-system-deps.sh (Debian package nix-bin) — the fix oracle needs it');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-rule-fixes-'));
  try {
    const paths = texts.map((text, index) => {
      const file = path.join(dir, `fix${index}.nix`);
      fs.writeFileSync(file, text);
      return file;
    });
    const result = spawnSync('nix-instantiate', ['--store', 'dummy://', '--parse', ...paths], { encoding: 'utf8' });
    assert.equal(result.status, 0, `nix-instantiate --parse failed:\n${result.stderr}\n${paths.map((p, i) => `--- ${p}\n${texts[i]}`).join('\n')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The text covered by a range of a finding in `text`. */
export function rangeText(text: string, range: Finding['range']): string {
  const lines = text.split('\n');
  const offset = (position: { line: number; character: number }): number => lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
  return text.slice(offset(range.start), offset(range.end));
}

/**
 * A test file's fix checker: applies the rule's preferred fix, asserts the rule no longer fires on the result (so a
 * second application is a no-op), and keeps every result for one batched parse by the Nix oracle at the end.
 */
export function fixChecker(): { fixedText(input: string, code: string, options?: LintOptions): string; results: string[] } {
  const results: string[] = [];
  return {
    results,
    fixedText(input, code, options = {}) {
      const result = fixOnce(input, code, options)[ENTRY] as string;
      results.push(result);
      assert.equal(findingsOf(result, code, options).length, 0, `no ${code} after the fix:\n${result}`);
      return result;
    },
  };
}
