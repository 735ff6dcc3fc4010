import type { FileHost } from '../types';

/** File access that can also list a folder (the CLI lists the disk; the server may overlay open buffers). */
export interface DirHost extends FileHost {
  /** Base names of the entries of `dir`, or undefined when it does not exist or cannot be read. */
  listDir(dir: string): string[] | undefined;
  /** Why the last read of this path failed, in words for the user (the disk host says; others may not). */
  readFailure?(path: string): string | undefined;
}
