import * as vscode from 'vscode';
import { listSshConfigHosts, describeSshConfigHost } from '../../platform/sshConfigHosts';
import { validateSshTarget, type SshTarget, type SshTargetInput } from '../../platform/ssh';
import { SETTINGS_SECTION } from '../../shared/protocol';
import { DEFAULT_SETTINGS } from '../../core/settings';
import type { CommandContext } from '../commands/commandContext';
import { formatHostInput, parseHostInput } from './hostInput';

/** workspaceState key of the last host used (per workspace, shared by Extract and Verify). */
export const LAST_HOST_KEY = 'nixosHomelab.lastSshHost';

/** A host as remembered between runs: what was picked or typed, not the validated target. */
interface RememberedHost {
  destination: string;
  port?: string;
  identityFile?: string;
}

interface HostItem extends vscode.QuickPickItem {
  host?: RememberedHost;
  enter?: true;
}

/**
 * Asks which host to connect to: the last one used in this workspace, the `Host` entries of ~/.ssh/config
 * (ssh reads their HostName/User/Port/IdentityFile itself), or one typed in. Returns a validated target, or
 * undefined when the user cancelled. Settings `ssh.options` and `ssh.connectTimeout` apply.
 */
export async function pickSshTarget(ctx: CommandContext, title: string): Promise<SshTarget | undefined> {
  const last = ctx.extension.workspaceState.get<RememberedHost>(LAST_HOST_KEY);
  const listing = listSshConfigHosts();
  for (const problem of listing.problems) ctx.output.appendLine(`~/.ssh/config: ${problem}`);
  const items: HostItem[] = [];
  if (last) items.push({ label: formatHostInput(last), description: 'last used', host: last });
  for (const host of listing.hosts) {
    if (last && host.alias === last.destination && last.port === undefined) continue;
    items.push({ label: host.alias, description: describeSshConfigHost(host), host: { destination: host.alias } });
  }
  items.push({ label: '$(edit) Enter a host…', description: '[user@]host[:port]', enter: true, alwaysShow: true });

  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: listing.hosts.length ? 'Pick a host from ~/.ssh/config, or enter one' : 'No hosts in ~/.ssh/config: enter one',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  const host = picked.enter ? await enterHost(title) : picked.host;
  if (!host) return undefined;
  const checked = validateSshTarget(targetInput(host));
  if (!checked.ok) throw new Error(checked.error.message);
  await ctx.extension.workspaceState.update(LAST_HOST_KEY, host);
  return checked.target;
}

async function enterHost(title: string): Promise<RememberedHost | undefined> {
  const typed = await vscode.window.showInputBox({
    title,
    prompt: 'The host to connect to with ssh: [user@]host[:port] (a Host alias of ~/.ssh/config works too)',
    placeHolder: 'palav@192.168.1.20',
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (text.trim() === '') return 'Enter a host name or address';
      const checked = validateSshTarget(targetInput(parseHostInput(text)));
      return checked.ok ? undefined : checked.error.message;
    },
  });
  if (typed === undefined) return undefined;
  const identity = await vscode.window.showInputBox({
    title,
    prompt: 'Private key file (optional: leave empty to use your ssh agent, default keys and ~/.ssh/config)',
    placeHolder: '~/.ssh/id_ed25519',
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (text.trim() === '') return undefined;
      const checked = validateSshTarget({ destination: 'localhost', identityFile: text.trim() });
      return checked.ok ? undefined : checked.error.message;
    },
  });
  if (identity === undefined) return undefined;
  const host: RememberedHost = parseHostInput(typed);
  if (identity.trim() !== '') host.identityFile = identity.trim();
  return host;
}

function targetInput(host: RememberedHost): SshTargetInput {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  // A restricted workspace could set options that change where ssh connects: they count only when trusted.
  const sshOptions = vscode.workspace.isTrusted ? config.get<string[]>('ssh.options', DEFAULT_SETTINGS['ssh.options']) : [];
  return {
    destination: host.destination,
    ...(host.port !== undefined ? { port: host.port } : {}),
    ...(host.identityFile !== undefined ? { identityFile: host.identityFile } : {}),
    sshOptions,
    connectTimeoutSeconds: config.get<number>('ssh.connectTimeout', DEFAULT_SETTINGS['ssh.connectTimeout']),
  };
}
