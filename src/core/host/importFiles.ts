import { classifyRawFile, type RawFileKind } from './rawFiles';

/** The entries of a folder offered to "Import Extraction Files", sorted into what a snapshot folder takes. */
export interface ImportSelection {
  /** Snapshot files (`pre_nixos_lsblk.txt`, `id-palav.txt`, `snapshot.json`…) with what each holds. */
  recognised: { name: string; kind: RawFileKind['kind'] }[];
  /** Everything else (notes, screenshots, other outputs): left where it is and reported. */
  unrecognised: string[];
}

/**
 * Sorts the file names of a folder (the manual procedure's `pre_nixos_*.txt` files, or another snapshot folder)
 * into snapshot files and the rest, by the names the snapshot loader accepts (`classifyRawFile`). Hidden files
 * are ignored; both lists are sorted.
 */
export function selectImportFiles(names: readonly string[]): ImportSelection {
  const recognised: ImportSelection['recognised'] = [];
  const unrecognised: string[] = [];
  for (const name of [...names].sort()) {
    if (name.startsWith('.')) continue;
    const kind = classifyRawFile(name);
    if (kind) recognised.push({ name, kind: kind.kind });
    else unrecognised.push(name);
  }
  return { recognised, unrecognised };
}
