import { firstLine, systemdUnavailable, unreadableSection } from './checkHelpers';
import { check, type VerifyCheck } from './report';
import { SectionName, type Section } from './sections';

/** `docker-active`: `systemctl is-active docker.service` prints `active`. */
export function checkDockerActive(sections: Map<string, Section>): VerifyCheck {
  const id = 'docker-active';
  const section = sections.get(SectionName.docker);
  const problem = unreadableSection(id, section, 'systemctl is-active docker.service');
  if (problem) return problem;
  const body = section?.body ?? '';
  if (systemdUnavailable(body)) return check(id, 'unknown', `systemctl could not answer: ${firstLine(body)}`);

  const state = firstLine(body);
  if (state === 'active') return check(id, 'pass', 'docker.service is active.');
  if (state === 'activating' || state === 'reloading') {
    return check(id, 'unknown', `docker.service is ${state}.`, 'Wait a moment and run verify again.');
  }
  return check(
    id,
    'fail',
    `docker.service is ${state || 'not running'}.`,
    state === 'failed'
      ? 'See why with "journalctl -u docker.service -b" (often a daemon.json setting, e.g. a non-string log-opts value), fix the configuration, run sudo nixos-rebuild switch.'
      : 'Set virtualisation.docker.enable = true; in the configuration and run sudo nixos-rebuild switch.',
  );
}

/** Parses `systemctl show -p …` output (`Key=value` lines). */
function parseShow(body: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of body.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return values;
}

/** The journal lines worth showing: journalctl's own notices ("-- No entries --", permission hints) dropped. */
function journalTail(sections: Map<string, Section>, count: number): string[] {
  const body = sections.get(SectionName.autostartJournal)?.body ?? '';
  return body
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^(-- |Hint: |No journal files)/.test(line.trim()))
    .slice(-count);
}

/**
 * `autostart-unit`: the unit that starts the stacks exists, ran this boot, and did not fail. A oneshot unit
 * without RemainAfterExit is `inactive` after a successful run, so that passes too.
 */
export function checkAutostartUnit(sections: Map<string, Section>, unit: string): VerifyCheck {
  const id = 'autostart-unit';
  const section = sections.get(SectionName.autostart);
  const problem = unreadableSection(id, section, `systemctl show ${unit}`);
  if (problem) return problem;
  const body = section?.body ?? '';
  if (systemdUnavailable(body)) return check(id, 'unknown', `systemctl could not answer: ${firstLine(body)}`);

  const show = parseShow(body);
  const load = show.get('LoadState');
  const active = show.get('ActiveState');
  if (!load || !active) return check(id, 'unknown', `Unexpected systemctl output: ${firstLine(body) || 'nothing'}.`);
  const journalFix = `Read "journalctl -u ${unit} -b" on the host, fix what it reports (a missing mount, a compose error), then run "sudo systemctl restart ${unit}".`;

  if (load === 'not-found') {
    return check(
      id,
      'fail',
      `${unit} does not exist on the host.`,
      'Add the module from "nixos-homelab generate" to the configuration\'s imports and run sudo nixos-rebuild switch.',
    );
  }
  const result = show.get('Result') ?? '';
  const status = show.get('ExecMainStatus') ?? '';
  if (active === 'failed' || (result !== '' && result !== 'success')) {
    const tail = journalTail(sections, 3);
    const why = `result ${result || 'unknown'}${status && status !== '0' ? `, exit status ${status}` : ''}`;
    const journal = tail.length > 0 ? ` Last journal lines: ${tail.join(' | ')}` : '';
    return check(id, 'fail', `${unit} failed (${why}).${journal}`, journalFix);
  }
  const sub = show.get('SubState') ?? '';
  if (active === 'active') return check(id, 'pass', `${unit} is active (${sub || 'running'}).`);
  if (active === 'activating') {
    return check(id, 'unknown', `${unit} is still starting (the first boot pulls images).`, 'Wait until it finishes and run verify again.');
  }
  if (active === 'inactive' && (show.get('ExecMainStartTimestamp') ?? '') === '') {
    return check(
      id,
      'fail',
      `${unit} has not run since boot.`,
      `Make sure the unit has wantedBy = [ "multi-user.target" ]; then start it with "sudo systemctl start ${unit}".`,
    );
  }
  if (active === 'inactive' && status === '0') return check(id, 'pass', `${unit} ran this boot and exited successfully.`);
  return check(id, 'fail', `${unit} is ${active}${sub ? ` (${sub})` : ''}.`, journalFix);
}
