import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver/node';
import { noConfigurationNotice } from '../core/analysis/notices';
import type { WorkspaceAnalysis } from '../core/analysis/types';

/**
 * The "no NixOS configuration" notice, shown once per workspace folder as a `window/showMessage` (information).
 *
 * Why a message and not a diagnostic: the notice is about the folder, not about a line of any file. As a
 * diagnostic it would sit on a compose file that has nothing wrong, count in the Problems panel and the status
 * item as a problem, and differ from what `lint` lists as findings. A message is seen once; it is shown again only
 * after the folder had a configuration and lost it (or the text changes), never on every keystroke or re-analysis.
 */
export class ConfigurationNotices {
  /** The notice last shown per workspace folder (absent: none is due). */
  private readonly shown = new Map<string, string>();

  constructor(private readonly connection: Connection) {}

  /** After an analysis of `root`: shows its notice if it is new, forgets it once a configuration is found. */
  analysed(root: string, analysis: Pick<WorkspaceAnalysis, 'files' | 'configurations'>): void {
    const notice = noConfigurationNotice(analysis, [root]);
    if (notice === undefined) {
      this.shown.delete(root);
      return;
    }
    if (this.shown.get(root) === notice) return;
    this.shown.set(root, notice);
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `NixOS Homelab: ${notice}` });
  }

  /** A folder was removed: its notice may be shown again if it comes back. */
  forget(root: string): void {
    this.shown.delete(root);
  }
}
