import { fileURLToPath, pathToFileURL } from 'node:url';

/** Absolute path of a `file:` URI, or undefined for other schemes (untitled buffers, git views). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

const uris = new Map<string, string>();

/** The `file:` URI of an absolute path (memoised: diagnostics name the same few files over and over). */
export function pathToUri(file: string): string {
  let uri = uris.get(file);
  if (uri === undefined) {
    uri = pathToFileURL(file).href;
    if (uris.size > 10_000) uris.clear();
    uris.set(file, uri);
  }
  return uri;
}
