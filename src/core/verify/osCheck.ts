import { parseOsRelease } from '../host/osRelease';
import { firstLine, unreadableSection } from './checkHelpers';
import { check, type VerifyCheck } from './report';
import { SectionName, type Section } from './sections';

const ID = 'os-is-nixos';

/** `os-is-nixos`: `uname -s` says Linux and /etc/os-release says `ID=nixos`. */
export function checkOsIsNixos(sections: Map<string, Section>): VerifyCheck {
  const uname = sections.get(SectionName.uname);
  const unameProblem = unreadableSection(ID, uname, 'uname -s');
  if (unameProblem) return unameProblem;
  const system = firstLine(uname?.body ?? '');
  if (system !== 'Linux') {
    return check(ID, 'fail', `The host is not Linux ("uname -s" printed "${system}").`, 'Run verify against the NixOS host you installed.');
  }

  const osRelease = sections.get(SectionName.osRelease);
  const osProblem = unreadableSection(ID, osRelease, 'cat /etc/os-release');
  if (osProblem) return osProblem;
  if (osRelease?.rc !== 0) return check(ID, 'unknown', `/etc/os-release could not be read: ${firstLine(osRelease?.body ?? '')}`);

  const os = parseOsRelease(osRelease.body).value;
  const name = os.prettyName ?? os.id ?? 'an unnamed Linux';
  if (os.id === 'nixos') return check(ID, 'pass', `${name}.`);
  return check(
    ID,
    'fail',
    `The host runs ${name}, not NixOS (os-release ID=${os.id ?? 'missing'}).`,
    'This host has not been migrated yet: install NixOS with the generated module (nixos-homelab generate), then run verify against it.',
  );
}
