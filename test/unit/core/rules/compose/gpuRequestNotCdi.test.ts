import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gpuRequestNotCdi } from '../../../../../src/core/rules/compose/gpuRequestNotCdi';
import { check, covered } from './fixture';
import { said } from '../said';

const TOOLKIT = 'hardware.nvidia-container-toolkit.enable = true;';

const forms = `services:
  ml:
    image: ghcr.io/immich-app/immich-machine-learning:release-cuda
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              count: 1
              capabilities: [gpu]
  bare:
    image: x
    deploy:
      resources:
        reservations:
          devices:
            - capabilities: [gpu, utility]
  agent:
    build: .
    gpus: all
  ollama:
    image: ollama/ollama
    runtime: nvidia
    environment:
      - NVIDIA_VISIBLE_DEVICES=0,1
`;

test('gpu-request-not-cdi quotes the error each form gives on a toolkit-only host', async () => {
  const findings = await check(gpuRequestNotCdi, { compose: forms, nix: TOOLKIT });
  const byService = new Map(findings.map((finding) => [finding.data?.['service'], finding]));
  assert.equal(findings.length, 4);
  assert.match(byService.get('ml')!.explanation ?? '', /"could not select device driver "nvidia" with capabilities: \[\[gpu\]\]"/);
  assert.match(byService.get('bare')!.explanation ?? '', /"could not select device driver "" with capabilities: \[\[gpu utility\]\]"/);
  assert.match(byService.get('agent')!.explanation ?? '', /"could not select device driver "" with capabilities: \[\[gpu\]\]"/);
  assert.match(byService.get('ollama')!.explanation ?? '', /"unknown or invalid runtime name: nvidia"/);
  assert.equal(covered(forms, byService.get('ollama')!), 'nvidia');
  // What the fix will write: count 1 → the first GPU; NVIDIA_VISIBLE_DEVICES → its ids.
  assert.deepEqual(byService.get('ml')!.data?.['cdiIds'], ['nvidia.com/gpu=0']);
  assert.deepEqual(byService.get('agent')!.data?.['cdiIds'], ['nvidia.com/gpu=all']);
  assert.deepEqual(byService.get('ollama')!.data?.['cdiIds'], ['nvidia.com/gpu=0', 'nvidia.com/gpu=1']);
  assert.ok(findings.every((finding) => finding.data?.['rewritable'] === true));
});

test('gpu-request-not-cdi: CDI requests, the short form included, are correct', async () => {
  const cdi = `services:
  a:
    image: x
    devices:
      - nvidia.com/gpu=all
  b:
    image: x
    deploy:
      resources:
        reservations:
          devices:
            - driver: cdi
              device_ids: ["nvidia.com/gpu=0"]
              capabilities: [gpu]
`;
  assert.deepEqual(await check(gpuRequestNotCdi, { compose: cdi, nix: TOOLKIT }), []);
});

test('gpu-request-not-cdi: quiet where Docker has what the form needs', async () => {
  const runtimeOnly = 'virtualisation.docker.daemon.settings.runtimes.nvidia.path = "${pkgs.nvidia-container-toolkit.tools}/bin/nvidia-container-runtime";';
  // A registered runtime serves runtime: nvidia, but not the device requests (they need moby's nvidia device driver).
  const withRuntime = await check(gpuRequestNotCdi, { compose: forms, nix: runtimeOnly });
  assert.deepEqual(withRuntime.map((finding) => finding.data?.['service']).sort(), ['agent', 'bare', 'ml']);
  // The toolkit's tools on dockerd's PATH register that driver; runtime: nvidia still has no runtime.
  const onPath = await check(gpuRequestNotCdi, { compose: forms, nix: 'virtualisation.docker.extraPackages = [ pkgs.nvidia-container-toolkit.tools ];' });
  assert.deepEqual(onPath.map((finding) => finding.data?.['service']), ['ollama']);
  // enableNvidia registers both.
  assert.deepEqual(await check(gpuRequestNotCdi, { compose: forms, nix: 'virtualisation.docker.enableNvidia = true;' }), []);
});

test('gpu-request-not-cdi: not before 24.05 (no CDI toolkit); no fix with a Docker older than 25', async () => {
  assert.deepEqual(await check(gpuRequestNotCdi, { compose: forms, release: '23.11' }), []);
  const old = await check(gpuRequestNotCdi, { compose: forms, nix: `${TOOLKIT}\nvirtualisation.docker.package = pkgs.docker_24;` });
  assert.equal(old.length, 4);
  assert.match(said(old[0]), /Docker 24 has no CDI support: set `virtualisation\.docker\.package` to Docker 25 or newer/);
  assert.ok(old.every((finding) => finding.data?.['rewritable'] === false));
  const current = await check(gpuRequestNotCdi, { compose: forms, nix: `${TOOLKIT}\nvirtualisation.docker.package = pkgs.docker_29;` });
  assert.ok(current.every((finding) => finding.data?.['rewritable'] === true));
});

test('gpu-request-not-cdi: GPUs named by UUID or none cannot be rewritten automatically', async () => {
  const uuid = 'services:\n  a:\n    image: x\n    runtime: nvidia\n    environment:\n      NVIDIA_VISIBLE_DEVICES: GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52\n';
  const [finding] = await check(gpuRequestNotCdi, { compose: uuid, nix: TOOLKIT });
  assert.equal(finding?.data?.['rewritable'], false);
  assert.match(String(finding?.data?.['why']), /device-name-strategy/);
  const none = uuid.replace(/GPU-[0-9a-f-]+/, 'none');
  assert.equal((await check(gpuRequestNotCdi, { compose: none, nix: TOOLKIT }))[0]?.data?.['rewritable'], false);
});
