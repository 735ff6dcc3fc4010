/**
 * The bounds on reading a snapshot folder. The files are the outputs of a few commands (`lsblk`, `cat /etc/fstab`,
 * `id`…): a few KB. Past a limit the file is reported as a `snapshot-error` finding naming the file and the limit,
 * and the rest of the snapshot is still used.
 */

/** A snapshot file larger than this is not read. */
export const MAX_SNAPSHOT_FILE_CHARS = 1024 * 1024;

/** `lsblk -J` nests disk → partition → LVM / RAID → dm-crypt: deeper `children` are not read. */
export const MAX_LSBLK_DEPTH = 16;

/** Lines of one file reported as unreadable; past this, one more finding counts the rest. */
export const MAX_PROBLEMS_PER_FILE = 20;
