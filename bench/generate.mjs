// Generates the benchmark homelab: 40 stacks × 10 services (linuxserver, GPU, /dev/dri, binds, .env) and
// 30 Nix modules reached through imports. Deterministic: the same tree on every run.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function generateHomelab(root, { stacks = 40, servicesPerStack = 10, modules = 30 } = {}) {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'nixos', 'modules'), { recursive: true });
  for (let s = 0; s < stacks; s++) {
    const dir = join(root, 'docker', `stack${String(s).padStart(2, '0')}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.env'), `DATA_ROOT=/mnt/PlexStorage/stack${s}\nTZ=Europe/Berlin\nAPP_VERSION=1.${s}\n`);
    const services = [];
    for (let i = 0; i < servicesPerStack; i++) services.push(service(s, i));
    writeFileSync(join(dir, 'docker-compose.yml'), `name: stack${s}\nservices:\n${services.join('')}\nvolumes:\n  cache:\n`);
  }
  const imports = [];
  for (let m = 0; m < modules; m++) {
    imports.push(`./modules/m${m}.nix`);
    writeFileSync(join(root, 'nixos', 'modules', `m${m}.nix`), nixModule(m));
  }
  writeFileSync(join(root, 'nixos', 'configuration.nix'), `{ config, lib, pkgs, ... }:\n{\n  imports = [\n${imports.map((i) => `    ${i}\n`).join('')}  ];\n  users.users.palav = {\n    isNormalUser = true;\n    extraGroups = [ "wheel" ];\n  };\n  system.stateVersion = "25.05";\n}\n`);
  return { composeFiles: stacks, services: stacks * servicesPerStack, modules: modules + 1 };
}

/** Fifty-service compose file for the language-server benchmark. */
export function bigComposeFile(services = 50) {
  const out = ['services:'];
  for (let i = 0; i < services; i++) out.push(service(0, i).trimEnd());
  return `${out.join('\n')}\n`;
}

/** The same file written with an `x-common` anchor that the linuxserver.io services merge (`<<: *common`). */
export function bigComposeFileWithAnchors(services = 50) {
  const anchor = 'x-common: &common\n  restart: unless-stopped\n  logging:\n    driver: json-file\n    options:\n      max-size: 10m\n';
  return anchor + bigComposeFile(services).replace(/^ {4}restart: unless-stopped$/gm, '    <<: *common');
}

function service(stack, index) {
  const kind = index % 5;
  const name = `svc${index}`;
  if (kind === 0) {
    return `  ${name}:\n    image: lscr.io/linuxserver/plex:latest\n    environment:\n      - PUID=1000\n      - PGID=110\n      - TZ=\${TZ}\n    devices:\n      - /dev/dri:/dev/dri\n    volumes:\n      - ./config${index}:/config\n      - \${DATA_ROOT}/media:/media\n    restart: unless-stopped\n`;
  }
  if (kind === 1) {
    return `  ${name}:\n    image: ghcr.io/example/ml:\${APP_VERSION}\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: nvidia\n              count: 1\n              capabilities: [gpu]\n    volumes:\n      - cache:/cache\n`;
  }
  if (kind === 2) {
    return `  ${name}:\n    image: jellyfin/jellyfin:10.10\n    user: "1000:1000"\n    ports:\n      - "${8000 + index}:8096"\n    devices:\n      - /dev/dri/renderD128:/dev/dri/renderD128\n    volumes:\n      - type: bind\n        source: /mnt/MediaArchive/s${stack}\n        target: /media\n        read_only: true\n`;
  }
  if (kind === 3) {
    return `  ${name}:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: \${DB_PASSWORD:-secret}\n      POSTGRES_DB: app${index}\n    volumes:\n      - ./db${index}:/var/lib/postgresql/data\n    ports:\n      - "127.0.0.1:${5400 + index}:5432"\n`;
  }
  return `  ${name}:\n    build: ./agent${index}\n    gpus: all\n    environment:\n      NVIDIA_VISIBLE_DEVICES: all\n      API_KEY: \${API_KEY}\n    volumes:\n      - /srv/models:/models:ro\n`;
}

function nixModule(m) {
  const lines = [`{ config, lib, pkgs, ... }:`, `let`, `  port${m} = ${9000 + m};`, `in`, `{`];
  lines.push(`  # Module ${m}: a service of the homelab with its firewall and a user.`);
  lines.push(`  users.users.svc${m} = {`, `    isSystemUser = true;`, `    uid = ${2000 + m};`, `    group = "svc${m}";`, `  };`);
  lines.push(`  users.groups.svc${m}.gid = ${2000 + m};`);
  lines.push(`  networking.firewall.allowedTCPPorts = [ port${m} ];`);
  lines.push(`  systemd.services.svc${m} = {`, `    description = "Service ${m}";`, `    wantedBy = [ "multi-user.target" ];`, `    after = [ "network-online.target" ];`, `    wants = [ "network-online.target" ];`, `    serviceConfig = {`, `      ExecStart = "\${pkgs.coreutils}/bin/sleep infinity";`, `      Restart = "always";`, `    };`, `  };`);
  for (let i = 0; i < 40; i++) lines.push(`  environment.etc."svc${m}/conf${i}".text = ''\n    key${i} = value${i}\n    port = \${toString port${m}}\n  '';`);
  lines.push(`}`);
  return `${lines.join('\n')}\n`;
}
