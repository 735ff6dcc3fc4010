import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspTestClient } from './lspClient';

/** A repository with two hosts, each with a stack in its folder; nas does not enable Docker. */
function twoHosts(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nhl-lsp-hosts-'));
  const files: Record<string, string> = {
    'hosts/nas/configuration.nix': '{ virtualisation.docker.enable = false; }\n',
    'hosts/nas/stacks/plex/compose.yaml': 'services:\n  plex:\n    image: plex\n',
    'hosts/pi/configuration.nix': '{ virtualisation.docker.enable = true; }\n',
    'stacks/loose/compose.yaml': 'services:\n  loose:\n    image: nginx\n',
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

test('a diagnostic names the host it was checked against in data and related information; a stack without one says "host unknown"', async () => {
  const root = twoHosts();
  const client = await LspTestClient.start(root, {});
  let stopped = false;
  try {
    const plex = path.join(root, 'hosts', 'nas', 'stacks', 'plex', 'compose.yaml');
    const published = client.waitForDiagnostics(plex, (d) => d.some((diagnostic) => diagnostic.code === 'docker-not-enabled'));
    client.open(plex);
    const docker = (await published).find((diagnostic) => diagnostic.code === 'docker-not-enabled');
    const entry = path.join(root, 'hosts', 'nas', 'configuration.nix');
    assert.deepEqual((docker?.data as { host?: unknown }).host, { name: 'nas', entry });
    assert.ok(docker?.relatedInformation?.some((related) => related.location.uri.endsWith('/hosts/nas/configuration.nix')), JSON.stringify(docker?.relatedInformation));

    const loose = path.join(root, 'stacks', 'loose', 'compose.yaml');
    const notice = client.waitForDiagnostics(loose, (d) => d.length > 0);
    client.open(loose);
    const diagnostics = await notice;
    assert.deepEqual(diagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.severity} ${diagnostic.range.start.line}`), ['host-unknown 3 0']);
    assert.equal((diagnostics[0]?.data as { host?: unknown }).host, undefined);

    // The setting names the host for the workspace folder: the loose stack is now checked against nas.
    await client.stop();
    stopped = true;
    const withSetting = await LspTestClient.start(root, { host: 'nas' });
    try {
      const again = withSetting.waitForDiagnostics(loose, (d) => d.length > 0);
      withSetting.open(loose);
      const checked = await again;
      assert.deepEqual(checked.map((diagnostic) => `${diagnostic.code} ${(diagnostic.data as { host?: { name: string } }).host?.name}`), ['docker-not-enabled nas']);
    } finally {
      await withSetting.stop();
    }
  } finally {
    if (!stopped) await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
