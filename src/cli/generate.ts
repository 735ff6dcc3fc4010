import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiskFileSource } from '../core/analysis/fileSource';
import { generateModule } from '../core/generate';
import { importPathFor } from '../core/nix/editImports';
import { analyseWorkspace } from '../core/analysis/pipeline';
import { writeFileAtomically } from '../platform/atomicWrite';
import { DEFAULT_SETTINGS } from '../core/settings';
import { CliError, parseCommandArgs } from './args';
import type { CliIo } from './lint';
import { stacksRootFlag, WORKSPACE_FLAGS, workspaceInputs } from './workspaceFlags';

export const GENERATE_USAGE = 'nixos-homelab generate [PATH...] [--nix FILE]... [--snapshot DIR] [--release R] [--out FILE] [--force] [--stacks-root DIR]';

/** `generate`: one NixOS module with everything the stacks need, to stdout or (atomically) to --out. */
export async function runGenerate(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('generate', argv, {
    ...WORKSPACE_FLAGS,
    release: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    'stacks-root': { type: 'string' },
  });
  const { roots, nixFiles, snapshotDir } = workspaceInputs('generate', values, positionals, io.cwd);
  const stacksRoot = stacksRootFlag('generate', values['stacks-root']);
  const out = values.out === undefined ? undefined : path.resolve(io.cwd, values.out);
  if (out && fs.existsSync(out) && !values.force) throw new CliError(`generate: ${values.out} already exists; pass --force to replace it`);

  const workspaceRoot = roots[0] ?? io.cwd;
  const analysis = analyseWorkspace({ roots, nixFiles, snapshotDir, release: values.release, settings: DEFAULT_SETTINGS }, new DiskFileSource());
  if (analysis.projects.length === 0) throw new CliError(`generate: no compose files found under ${roots.map((r) => path.relative(io.cwd, r) || '.').join(', ')}`);
  const snapshotLabel = path.relative(io.cwd, path.resolve(workspaceRoot, snapshotDir ?? DEFAULT_SETTINGS.snapshotPath)) || '.';
  const generated = generateModule(analysis, {
    workspaceRoot,
    ...(stacksRoot !== undefined ? { stacksRoot } : {}),
    mountRoots: DEFAULT_SETTINGS.mountRoots,
    snapshotLabel,
    ...(out !== undefined ? { replaces: out } : {}),
  });

  if (!out) {
    io.stdout(generated.text);
    io.stderr(`nixos-homelab: add the module to the imports of your configuration.nix (imports = [ ./homelab.nix ];) after saving it, e.g. with --out homelab.nix\n`);
  } else {
    const written = writeFileAtomically(out, generated.text, { overwrite: Boolean(values.force) });
    if (!written.ok) throw new CliError(`generate: ${written.kind === 'exists' ? `${values.out} already exists; pass --force to replace it` : written.message}`);
    const entry = analysis.configurations[0]?.entry;
    io.stderr(`nixos-homelab: wrote ${path.relative(io.cwd, out) || out}. Add it to your configuration${entry ? ` (${path.relative(io.cwd, entry) || entry})` : ''}: imports = [ ${importPathFor(entry, out)} ];\n`);
  }
  for (const note of generated.notes) io.stderr(`nixos-homelab: to do: ${note}\n`);
  return 0;
}
