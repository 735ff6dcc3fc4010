/**
 * The rules whose findings come out differently with a snapshot of the old host than without one: each reads
 * `ctx.snapshot` in its check (a unit test keeps this list and the rule sources in step). Without a snapshot the
 * editor offers a snapshot folder found in the workspace on exactly these findings.
 */
export const SNAPSHOT_DEPENDENT_RULES: ReadonlySet<string> = new Set([
  // Without a snapshot a folder under /mnt is information naming no mount point; with one, the old host's mounts decide and the fix declares them.
  'bind-mount-undeclared',
  // The old host's mounts tell which binds the autostart unit must wait for.
  'autostart-without-mount-deps',
  // The old host's user and group of an id: the fix names them (palav, render) instead of leaving the name to you.
  'puid-unmapped',
  'pgid-unmapped',
  'dri-group-mismatch',
  // The old host's GPU: hardware.nvidia.open chosen for you, the firmware for its vendor.
  'nvidia-open-unset',
  'gpu-without-toolkit',
  'dri-without-gpu-firmware',
]);

/** Whether a finding of `rule` would change with a host snapshot. */
export function dependsOnSnapshot(rule: string): boolean {
  return SNAPSHOT_DEPENDENT_RULES.has(rule);
}
