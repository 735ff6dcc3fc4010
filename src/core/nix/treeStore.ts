import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NixSyntaxTree } from './syntaxTree';

/**
 * Nix syntax trees kept between language-server starts, by a hash of the module's text: a restart does not parse
 * the unchanged modules of a configuration again (the benchmark's 31 modules: ~35–45 ms to read directly on a cold
 * start, far more for modules with errors, which tree-sitter parses; ~15 ms to read their trees back). The trees
 * are plain data (syntaxTree.ts), so they are stored as JSON.
 */
export interface NixTreeStore {
  get(text: string): NixSyntaxTree | undefined;
  /** Remembers a tree parsed from `text` (written later, off the analysis path). */
  put(text: string, tree: NixSyntaxTree): void;
  /** Writes what is still pending now (the server is shutting down). */
  flush(): void;
}

/** Trees stored beyond this many are removed, oldest first, when a store is opened. */
const MAX_TREES = 2000;
/** Writes are batched this long after the last `put`: a cold start parses many modules in a row. */
const WRITE_DELAY_MS = 2000;

/**
 * A store in `dir`, one `<sha256>.json` file per tree. `salt` names what produced the trees (the parser code and the
 * grammar), or computes that name on first use: a tree made by another version is never found. Best effort
 * throughout: an unreadable or malformed file is a miss, a failed write is dropped, and nothing here throws.
 */
export function createDiskTreeStore(dir: string, salt: string | (() => string), options: { readOnly?: boolean } = {}): NixTreeStore {
  const pending = new Map<string, NixSyntaxTree>();
  let timer: NodeJS.Timeout | undefined;
  // A salt that costs something to compute (hashing the server bundle) is computed once, when first needed.
  let saltText = typeof salt === 'string' ? salt : undefined;
  const saltOf = (): string => (saltText ??= (salt as () => string)());
  const fileOf = (text: string): string => path.join(dir, `${createHash('sha256').update(saltOf()).update('\0').update(text).digest('hex')}.json`);

  // Each tree is written under another name, then renamed: a reader never sees half a file.
  const write = (now: boolean): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = [...pending];
    pending.clear();
    if (batch.length === 0) return;
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch {
      return;
    }
    for (const [file, tree] of batch) {
      const temporary = `${file}.${process.pid}.tmp`;
      if (now) {
        try {
          fs.writeFileSync(temporary, JSON.stringify(tree));
          fs.renameSync(temporary, file);
        } catch {
          fs.rm(temporary, { force: true }, () => undefined);
        }
        continue;
      }
      fs.writeFile(temporary, JSON.stringify(tree), (error) => {
        if (error) fs.rm(temporary, { force: true }, () => undefined);
        else fs.rename(temporary, file, () => undefined);
      });
    }
  };

  if (!options.readOnly) setTimeout(() => prune(dir), WRITE_DELAY_MS).unref();

  return {
    get(text) {
      try {
        const tree: unknown = JSON.parse(fs.readFileSync(fileOf(text), 'utf8'));
        return isTreeOf(tree, text) ? tree : undefined;
      } catch {
        return undefined;
      }
    },
    put(text, tree) {
      if (options.readOnly) return;
      try {
        pending.set(fileOf(text), tree);
      } catch {
        return; // no name for it (the salt could not be computed): not kept
      }
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => write(false), WRITE_DELAY_MS);
      timer.unref();
    },
    flush: () => write(true),
  };
}

/** A tree keeps the text it was parsed from: a file that is not the tree of `text` is a miss. */
function isTreeOf(value: unknown, text: string): value is NixSyntaxTree {
  if (typeof value !== 'object' || value === null) return false;
  const tree = value as Partial<Record<keyof NixSyntaxTree, unknown>>;
  return tree.text === text && Array.isArray(tree.errors) && (tree.root === undefined || (typeof tree.root === 'object' && tree.root !== null));
}

/** Keeps the newest MAX_TREES trees. */
function prune(dir: string): void {
  fs.readdir(dir, (error, names) => {
    if (error || names.length <= MAX_TREES) return;
    const trees = names
      .filter((name) => name.endsWith('.json'))
      .map((name) => {
        const file = path.join(dir, name);
        try {
          return { file, mtime: fs.statSync(file).mtimeMs };
        } catch {
          return { file, mtime: 0 };
        }
      })
      .sort((a, b) => b.mtime - a.mtime);
    for (const { file } of trees.slice(MAX_TREES)) fs.rm(file, { force: true }, () => undefined);
  });
}
