import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDiskTreeStore, locateWasm, type NixTreeStore } from '../core/nix';
import type { InitializationOptions } from '../shared/protocol';

/**
 * The store of Nix syntax trees kept between server starts: in the folder the client names (VS Code: the extension's
 * global storage), else `$NIXOS_HOMELAB_CACHE_DIR`, else `$XDG_CACHE_HOME/nixos-homelab` (`~/.cache/…`). None when
 * the client passes `cacheDir: null`. In an untrusted workspace trees are read but never written.
 */
export function openNixTreeStore(options: InitializationOptions, trusted: boolean): NixTreeStore | undefined {
  if (options.cacheDir === null) return undefined;
  const base = options.cacheDir ?? process.env['NIXOS_HOMELAB_CACHE_DIR'] ?? path.join(process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'nixos-homelab');
  let salt: string | undefined;
  const producer = (): string => (salt ??= producerHash());
  // Hashed while the server waits for the client's `initialized`, not in the `initialize` answer.
  setImmediate(() => {
    try {
      producer();
    } catch {
      /* computed again, and failing then, at the first read */
    }
  });
  return createDiskTreeStore(path.join(base, 'nix-trees'), producer, { readOnly: !trusted });
}

/**
 * What made the trees: this server's code and the parser's wasm files (a new build never reads older trees). A file
 * that cannot be read makes a salt no tree was stored under: the store then only misses.
 */
function producerHash(): string {
  const hash = createHash('sha256');
  const wasm = locateWasm();
  for (const file of [__filename, wasm.runtime, wasm.nixGrammar]) {
    try {
      hash.update(fs.readFileSync(file));
    } catch {
      hash.update(`unreadable ${file} ${process.pid} ${Date.now()}`);
    }
  }
  return hash.digest('hex');
}
