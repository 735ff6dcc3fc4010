/**
 * Helpers for the edit-planner tests: plan settings against in-memory module files, apply the result, check the
 * second planning is a no-op, and collect every resulting text for one batched Nix parser oracle call per test file.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyEdits } from '../../../../src/core/edits/applyEdits';
import type { DesiredSetting } from '../../../../src/core/edits/setting';
import { initNixParser, loadNixConfiguration } from '../../../../src/core/nix';
import { planSettings, type PlanResult } from '../../../../src/core/nix/editPlanner';
import { parseNixFiles } from '../../../oracle/nixOracle';
import { memoryHost } from '../../helpers/memoryHost';

export const ROOT = '/cfg';
export const ENTRY = `${ROOT}/configuration.nix`;

export function ready(): Promise<void> {
  return initNixParser();
}

export interface Planned {
  /** Every file after the edits (created files included). */
  files: Record<string, string>;
  result: PlanResult;
}

/** Plans once and applies the result to a copy of `files`. */
export function planOnce(files: Record<string, string>, settings: DesiredSetting[], fixTarget: 'entry' | 'module' = 'entry', entry = ENTRY): Planned {
  const host = memoryHost(files);
  const configuration = loadNixConfiguration(entry, host);
  const result = planSettings(settings, { configuration, reader: host, fixTarget });
  const next = { ...files };
  if (!('error' in result)) {
    for (const creation of result.creates) next[creation.file] = creation.text;
    for (const edit of result.edits) {
      assert.equal(edit.baseText, files[edit.file], `baseText of ${edit.file} is the text planned against`);
      next[edit.file] = applyEdits(edit.baseText, edit.edits);
    }
  }
  return { files: next, result };
}

/**
 * Plans, applies, asserts that planning again changes nothing, and queues every changed file for the oracle.
 * Returns the files after the fix.
 */
export function fixed(label: string, files: Record<string, string>, settings: DesiredSetting[], fixTarget: 'entry' | 'module' = 'entry', entry = ENTRY): Record<string, string> {
  const first = planOnce(files, settings, fixTarget, entry);
  if ('error' in first.result) assert.fail(`${label}: planning failed: ${first.result.error}`);
  const second = planOnce(first.files, settings, fixTarget, entry);
  if ('error' in second.result) assert.fail(`${label}: second planning failed: ${second.result.error}`);
  assert.deepEqual({ edits: second.result.edits, creates: second.result.creates }, { edits: [], creates: [] }, `${label}: a second application must be a no-op`);
  for (const [file, text] of Object.entries(first.files)) if (text !== files[file]) oracle.add(`${label}:${path.basename(file)}`, text);
  return first.files;
}

/** Texts waiting for the parser oracle; `check()` parses them all with one `nix-instantiate --parse` call. */
class OracleBatch {
  private readonly texts = new Map<string, string>();

  add(label: string, text: string): void {
    let key = label;
    for (let n = 2; this.texts.has(key); n++) key = `${label}#${n}`;
    this.texts.set(key, text);
  }

  get size(): number {
    return this.texts.size;
  }

  /** Writes the texts to a temporary folder and asserts that Nix parses every one. */
  check(): void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixos-homelab-oracle-'));
    try {
      const byFile = new Map<string, string>();
      let index = 0;
      for (const [label, text] of this.texts) {
        const file = path.join(dir, `${String(index++).padStart(4, '0')}.nix`);
        fs.writeFileSync(file, text);
        byFile.set(file, label);
      }
      const verdicts = parseNixFiles([...byFile.keys()]);
      const failures = [...verdicts].filter(([, verdict]) => !verdict.ok).map(([file, verdict]) => `${byFile.get(file)}:\n${verdict.error}\n--- text ---\n${this.texts.get(byFile.get(file) ?? '')}`);
      assert.deepEqual(failures, [], 'every fix result parses with nix-instantiate --parse');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

export const oracle = new OracleBatch();
