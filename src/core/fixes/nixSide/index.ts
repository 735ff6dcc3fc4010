/**
 * Quick fixes for the Nix-side rules (SPEC §4), as direct text edits of the user's modules computed from the
 * model's definition locations. Each fix is computed against the exact text the model was read from (`baseText`).
 */
import type { NixConfiguration } from '../../nix/model';
import type { Finding, FileReader } from '../../types';
import type { CodeFix } from '../model';
import { reservedGidFixes } from './gidFixes';
import { openglFixes } from './graphicsFixes';
import { logOptsFixes } from './logOptsFixes';
import { dockerEnableNvidiaFixes, nvidiaOpenFixes, toolkitDriverFixes } from './nvidiaFixes';
import { dockerPackageFixes, optionRenamedFixes } from './releaseFixes';
import { networkOnlineFixes, print0ReadFixes, requiresMountsForFixes, shebangFixes } from './unitFixes';

type FixBuilder = (finding: Finding, nix: NixConfiguration, reader: FileReader) => CodeFix[];

const BUILDERS: Readonly<Record<string, FixBuilder>> = {
  'reserved-gid-conflict': reservedGidFixes,
  'opengl-renamed': openglFixes,
  'nvidia-open-unset': nvidiaOpenFixes,
  'docker-enable-nvidia-deprecated': dockerEnableNvidiaFixes,
  'toolkit-without-nvidia-driver': toolkitDriverFixes,
  'network-online-not-wanted': networkOnlineFixes,
  'print0-read-without-nul': print0ReadFixes,
  'script-shebang-ignored': shebangFixes,
  'log-opts-not-strings': logOptsFixes,
  'autostart-without-mount-deps': requiresMountsForFixes,
  'nvidia-driver-not-loaded': toolkitDriverFixes,
  'docker-package-insecure': dockerPackageFixes,
  'option-renamed': optionRenamedFixes,
};

/**
 * The quick fixes for a Nix-side finding (the preferred one first), or none when the rule has no fix, the finding's
 * data is incomplete, or the file changed since the analysis. Never throws on bad input.
 */
export function nixSideFixes(finding: Finding, nix: NixConfiguration, reader: FileReader): CodeFix[] {
  const builder = Object.prototype.hasOwnProperty.call(BUILDERS, finding.code) ? BUILDERS[finding.code] : undefined;
  return builder ? builder(finding, nix, reader) : [];
}

export { applyTextEdits } from './textEdits';
export { ensureModuleArgument } from '../../nix/moduleArgs';
