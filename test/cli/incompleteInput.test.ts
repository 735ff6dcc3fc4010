/**
 * Issue #15, "incomplete input and no snapshot", as the CLI prints it: the no-configuration notice once per run in
 * text, JSON and SARIF; an unreadable import as nix-import-unreadable; one finding per root cause with its other
 * locations kept (JSON `related`, SARIF `relatedLocations`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO, runCli } from './runCli';

const SHAPES = join(REPO, 'test', 'fixtures', 'real-shapes');
const COMPOSE_ONLY = join(SHAPES, 'compose-only');
const MISSING_HARDWARE = join(SHAPES, 'missing-hardware-configuration');

interface JsonReport {
  diagnostics: { file: string; code: string; severity: string; fixable: boolean; message: string; explanation?: string; related?: { file: string; range: { start: { line: number } }; message: string }[] }[];
  notices?: string[];
}

interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string }[] } };
    invocations?: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string } }[] }[];
    results: { ruleId: string; relatedLocations?: { physicalLocation: { region: { startLine: number } } }[] }[];
  }[];
}

const CROSS_CHECKS = ['docker-not-enabled', 'puid-unmapped', 'pgid-unmapped', 'bind-mount-undeclared', 'gpu-without-toolkit', 'gpu-request-not-cdi', 'dri-without-gpu-firmware'];

test('no NixOS configuration, text: one notice line before the summary, no cross-check finding', async () => {
  const run = await runCli(['lint', '.'], { cwd: COMPOSE_ONLY });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  const notices = lines.filter((line) => line.startsWith('notice: '));
  assert.equal(notices.length, 1, run.stdout);
  assert.match(notices[0] ?? '', /no NixOS configuration found in \.: the compose files were checked on their own/);
  assert.match(notices[0] ?? '', /--nix FILE/);
  // The notice comes after the findings and before the summary line (the last line).
  assert.ok(lines.indexOf(notices[0] ?? '') < lines.length - 1);
  assert.match(lines[lines.length - 1] ?? '', /problems? \(/);
  for (const code of CROSS_CHECKS) assert.doesNotMatch(run.stdout, new RegExp(`\\[${code}\\]`));
});

test('no NixOS configuration, JSON: the notices array holds the one notice', async () => {
  const run = await runCli(['lint', '.', '--format', 'json'], { cwd: COMPOSE_ONLY });
  const report = JSON.parse(run.stdout) as JsonReport;
  assert.equal(report.notices?.length, 1);
  assert.match(report.notices?.[0] ?? '', /^no NixOS configuration found/);
  assert.deepEqual([...new Set(report.diagnostics.map((d) => d.code))].sort(), ['published-port-bypasses-firewall', 'unresolved-variable']);
  assert.equal(run.stderr, '', 'a notice, not an error: nothing on stderr');
});

test('no NixOS configuration, SARIF: one note-level notification of a successful invocation', async () => {
  const run = await runCli(['lint', '.', '--format', 'sarif'], { cwd: COMPOSE_ONLY });
  const log = JSON.parse(run.stdout) as SarifLog;
  const invocations = log.runs[0]?.invocations ?? [];
  assert.equal(invocations.length, 1);
  assert.equal(invocations[0]?.executionSuccessful, true);
  assert.deepEqual(invocations[0]?.toolExecutionNotifications.map((n) => n.level), ['note']);
  assert.match(invocations[0]?.toolExecutionNotifications[0]?.message.text ?? '', /^no NixOS configuration found/);
});

test('with a configuration there is no notice', async () => {
  const report = JSON.parse((await runCli(['lint', '.', '--release', '24.11', '--format', 'json'], { cwd: MISSING_HARDWARE })).stdout) as JsonReport;
  assert.equal(report.notices, undefined);
});

test('unreadable imports: one nix-import-unreadable warning each, never nix-parse-error; findings they could answer are information without a fix', async () => {
  const report = JSON.parse((await runCli(['lint', '.', '--release', '24.11', '--format', 'json'], { cwd: MISSING_HARDWARE })).stdout) as JsonReport;
  const unreadable = report.diagnostics.filter((d) => d.code === 'nix-import-unreadable');
  assert.deepEqual(unreadable.map((d) => d.severity), ['warning', 'warning']);
  assert.equal(unreadable[0]?.message, './hardware-configuration.nix is not in the repository (no nas/hardware-configuration.nix here)');
  assert.match(unreadable[0]?.explanation ?? '', /copy \/etc\/nixos\/hardware-configuration\.nix from the host/);
  assert.match(unreadable[1]?.message ?? '', /^<home-manager\/nixos> is looked up in NIX_PATH/);
  assert.equal(report.diagnostics.filter((d) => d.code === 'nix-parse-error').length, 0);
  const firmware = report.diagnostics.find((d) => d.code === 'dri-without-gpu-firmware');
  assert.ok(firmware);
  assert.equal(firmware.severity, 'information');
  assert.equal(firmware.fixable, false);
  assert.match(firmware.message, /\(may be in an unread import\)$/);
  assert.match(firmware.explanation ?? '', /Unless `\.\/hardware-configuration\.nix` \(imported by configuration\.nix\), which is not read here, declares it/);
  assert.ok(firmware.related?.some((r) => r.file === 'hosts/nas/configuration.nix' && r.range.start.line === 5));
  // Neither hardware-configuration.nix nor home-manager's NixOS module declares a uid: puid-unmapped keeps its fix.
  const puid = report.diagnostics.find((d) => d.code === 'puid-unmapped');
  assert.equal(puid?.severity, 'warning');
  assert.equal(puid?.fixable, true);
});

test('one root cause, one finding: the other services and ports are related locations (JSON related, SARIF relatedLocations)', async () => {
  const report = JSON.parse((await runCli(['lint', '.', '--release', '24.11', '--format', 'json'], { cwd: MISSING_HARDWARE })).stdout) as JsonReport;
  const puid = report.diagnostics.filter((d) => d.code === 'puid-unmapped');
  assert.equal(puid.length, 1, 'PUID 1000 of jellyfin and sonarr is one finding');
  assert.match(puid[0]?.message ?? '', /\(and 1 more\)$/);
  assert.match(puid[0]?.explanation ?? '', /The same uid is used by service `sonarr` of this stack/);
  assert.ok(puid[0]?.related?.some((r) => r.file === 'stacks/media/compose.yaml' && r.range.start.line === 18 && /service sonarr/.test(r.message)));
  const ports = report.diagnostics.filter((d) => d.code === 'published-port-bypasses-firewall');
  assert.equal(ports.length, 1);
  assert.match(ports[0]?.message ?? '', /^Ports 8989:8989 and 1 more of service sonarr are published/);
  assert.match(ports[0]?.explanation ?? '', /^Ports `8989:8989` and `9898:9898` are published/);
  const log = JSON.parse((await runCli(['lint', '.', '--release', '24.11', '--format', 'sarif'], { cwd: MISSING_HARDWARE })).stdout) as SarifLog;
  const run = log.runs[0];
  assert.ok(run?.tool.driver.rules.some((rule) => rule.id === 'nix-import-unreadable'), 'the catalogue lists nix-import-unreadable');
  const port = run?.results.find((r) => r.ruleId === 'published-port-bypasses-firewall');
  assert.deepEqual(port?.relatedLocations?.map((l) => l.physicalLocation.region.startLine), [26]);
});
