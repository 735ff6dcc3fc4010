import { quoteString, nix, type NixExpr } from '../edits/nixExpr';
import { set, type Block } from '../edits/setting';

/**
 * The boot service that starts every Compose stack, written the way SPEC §3 says it must be on NixOS:
 * `wants` network-online.target (an `after` alone does not wait), `requires`/`after` docker.service,
 * `RequiresMountsFor` the data disks the stacks bind (else a stack starts on an empty folder of the root disk),
 * the docker CLI on the unit's PATH (it holds only coreutils, findutils, grep, sed and systemd), no `#!` line (the
 * script is wrapped in a generated bash script), and a loop over a Nix list rather than `find | read` (no
 * word-splitting or `-print0` pitfalls). One failing stack does not stop the others; the unit still ends failed
 * so `systemctl status` shows it.
 */

/** The unit name `generate` writes and `verify` checks. */
export const AUTOSTART_SERVICE = 'homelab-autostart';

export interface AutostartOptions {
  /** Stack folders on the NixOS host (each holds a compose file), in the order they start. */
  stackDirs: string[];
  /** Mount points (or paths) the stacks need before they start. */
  requiresMountsFor: string[];
  /** Services that mount what the stacks bind (a mergerfs or rclone unit): required and ordered before. */
  mountServices?: string[];
  /** Unit name without `.service` (default `homelab-autostart`). */
  name?: string;
}

/** The `systemd.services.<name>` block. */
export function autostartBlock(options: AutostartOptions): Block {
  const base = ['systemd', 'services', options.name ?? AUTOSTART_SERVICE];
  const mountServices = (options.mountServices ?? []).map((name) => `${name}.service`);
  const settings = [
    set([...base, 'description'], nix.str('Start the Docker Compose stacks of the homelab')),
    set([...base, 'wantedBy'], nix.strings(['multi-user.target'])),
    set([...base, 'wants'], nix.strings(['network-online.target']), { reason: '`after` alone does not wait for the network: `wants` pulls it in' }),
    set([...base, 'after'], nix.strings(['network-online.target', 'docker.service', ...mountServices])),
    set([...base, 'requires'], nix.strings(['docker.service', ...mountServices])),
  ];
  if (options.requiresMountsFor.length > 0) {
    settings.push(
      set([...base, 'unitConfig', 'RequiresMountsFor'], nix.strings(options.requiresMountsFor), {
        reason: 'the stacks bind these data disks: start only once they are mounted',
      }),
    );
  }
  settings.push(
    set([...base, 'path'], nix.list([nix.raw('pkgs.docker')]), { needsPkgs: true, reason: "the unit's PATH has no docker otherwise" }),
    set([...base, 'serviceConfig', 'Type'], nix.str('oneshot')),
    set([...base, 'serviceConfig', 'RemainAfterExit'], nix.bool(true)),
    set([...base, 'script'], autostartScript(options.stackDirs), { needsLib: true }),
  );
  const count = options.stackDirs.length;
  return { title: `Start the ${count} Compose stack${count === 1 ? '' : 's'} at boot, after the network, Docker and the data disks`, settings };
}

/**
 * The script as an indented string. The stack list is a Nix list passed through `lib.escapeShellArgs`, so any
 * folder name is one shell word. Written relative to column 0; the module renderer indents it.
 */
export function autostartScript(stackDirs: readonly string[]): NixExpr {
  const list = stackDirs.length === 0 ? '[ ]' : ['[', ...stackDirs.map((dir) => `    ${quoteString(dir)}`), '  ]'].join('\n');
  const lines = [
    "''",
    '  failed=""',
    `  for dir in \${lib.escapeShellArgs ${list}}; do`,
    '    if [ ! -d "$dir" ]; then',
    '      echo "homelab-autostart: $dir does not exist; skipped" >&2',
    '      failed="$failed $dir"',
    '      continue',
    '    fi',
    '    echo "homelab-autostart: starting $dir"',
    '    # An unreachable registry must not keep a stack down: start it from the images already here.',
    '    (cd "$dir" && docker compose pull --ignore-buildable --quiet) || echo "homelab-autostart: pull failed in $dir; using local images" >&2',
    '    if ! (cd "$dir" && docker compose up -d --remove-orphans); then',
    '      echo "homelab-autostart: $dir did not start" >&2',
    '      failed="$failed $dir"',
    '    fi',
    '  done',
    '  if [ -n "$failed" ]; then',
    '    echo "homelab-autostart: failed:$failed" >&2',
    '    exit 1',
    '  fi',
    "''",
  ];
  return nix.raw(lines.join('\n'));
}
