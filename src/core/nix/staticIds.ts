/**
 * NixOS's static uids and gids, and when NixOS actually declares the user or group that holds one.
 *
 * Source of the numbers: nixpkgs `nixos/modules/misc/ids.nix` (`ids.uids`, `ids.gids`; read at commit
 * 001d025fd4d70322f01b25021f074db9c359ae0a, commented-out entries left out). ids.nix only reserves the numbers: a
 * user or group exists only where a module writes `users.groups.<name>.gid = config.ids.gids.<name>;`, mostly under
 * `mkIf cfg.enable`. `DECLARED_BY` says which module and which option, for the entries checked against the module
 * source (the ids a migrating homelab meets, 100–399, first); an id without an entry there is never reported as
 * taken, since it may well be free on the host.
 */

/** A reserved id: ids.nix's name, its uid and/or its gid. */
export interface StaticId {
  name: string;
  uid?: number;
  gid?: number;
}

/** The module that declares the user and/or group of a static id, and when. */
export interface IdDeclaration {
  /** nixpkgs path of the declaring module. */
  module: string;
  /**
   * Enable options (any one suffices; renamed options are listed under both names). Empty: always declared.
   */
  enable: string[][];
  /** The option's default is true (e.g. `services.timesyncd.enable = !config.boot.isContainer`). */
  enabledByDefault?: boolean;
  /**
   * The group (and user) is only declared while this option keeps its default, the id's own name
   * (`users.groups = mkIf (cfg.group == "plex") { plex.gid = …; }`).
   */
  onlyWhileDefault?: string[];
  /** Which of the two the module declares. */
  declares: { user: boolean; group: boolean };
}

const IDS_NIX_UIDS: Readonly<Record<string, number>> = {
  root: 0, messagebus: 4, haldaemon: 5, ftp: 8, nagios: 11, atd: 12, postfix: 13, dovecot: 15, tomcat: 16, uucp: 19,
  pulseaudio: 22, gpsd: 23, polkituser: 28, davfs2: 31, disnix: 33, osgi: 34, tor: 35, cups: 36, foldingathome: 37,
  sabnzbd: 38, git: 41, dovecot2: 46, dovenull2: 47, mpd: 50, clamav: 51, wwwrun: 54, spamd: 56, nslcd: 58, scanner: 59,
  nginx: 60, chrony: 61, smtpd: 63, smtpq: 64, supybot: 65, iodined: 66, graphite: 68, transmission: 70, postgres: 71,
  smbguest: 74, varnish: 75, datadog: 76, lighttpd: 77, lightdm: 78, freenet: 79, ircd: 80, bacula: 81, deluge: 83,
  mysql: 84, rabbitmq: 85, activemq: 86, gnunet: 87, oidentd: 88, quassel: 89, amule: 90, minidlna: 91,
  elasticsearch: 92, tcpcryptd: 93, firebird: 95, munin: 102, dictd: 105, couchdb: 106, jenkins: 109,
  'systemd-journal-gateway': 110, aerospike: 111, vault: 115, murmur: 117, foundationdb: 118, newrelic: 119,
  starbound: 120, hydra: 122, spiped: 123, teamspeak: 124, influxdb: 125, nsd: 126, gitolite: 127, znc: 128,
  polipo: 129, mopidy: 130, gdm: 132, siproxd: 134, mlmmj: 135, riemann: 137, riemanndash: 138, yandexdisk: 143,
  redmine: 147, prosody: 149, i2pd: 150, 'systemd-coredump': 151, 'systemd-network': 152, 'systemd-resolve': 153,
  'systemd-timesync': 154, liquidsoap: 155, hbase: 158, opentsdb: 159, scollector: 160, bosun: 161, kubernetes: 162,
  peerflix: 163, gitlab: 165, cadvisor: 167, nylon: 168, exim: 172, sddm: 175, zabbix: 180, uptimed: 184,
  mediatomb: 187, ihaskell: 189, i2p: 190, lambdabot: 191, asterisk: 192, plex: 193, plexpy: 195, grafana: 196,
  skydns: 197, uwsgi: 201, riemanntools: 203, subsonic: 204, gateone: 207, namecoin: 208, xtreemfs: 212,
  'calibre-server': 213, bepasty: 215, 'nm-openvpn': 217, ejabberd: 219, postsrsd: 220, opendkim: 221, dspam: 222,
  'matrix-synapse': 224, rspamd: 225, cfdyndns: 227, pdnsd: 229, octoprint: 230, 'avahi-autoipd': 231,
  'mjpg-streamer': 233, 'hydra-queue-runner': 235, 'hydra-www': 236, syncthing: 237, caddy: 239, taskd: 240,
  sniproxy: 244, nzbget: 245, mosquitto: 246, turnserver: 249, 'gocd-agent': 251, 'gocd-server': 252, terraria: 253,
  mattermost: 254, prometheus: 255, telegraf: 256, 'gitlab-runner': 257, postgrey: 258, leaps: 260, ipfs: 261,
  infinoted: 264, sickbeard: 265, headphones: 266, rpc: 271, fcron: 273, sonarr: 274, radarr: 275, jackett: 276,
  aria2: 277, clickhouse: 278, rslsync: 279, minio: 280, kanboard: 281, kodi: 283, mighttpd2: 285, hass: 286,
  ceph: 288, duplicati: 289, monetdb: 290, restic: 291, openvpn: 292, yarn: 294, hdfs: 295, mapred: 296, hadoop: 297,
  cfssl: 299, cassandra: 300, 'qemu-libvirtd': 301, lirc: 305, lidarr: 306, slurm: 307, kapacitor: 308, alerta: 310,
  minetest: 311, rss2email: 312, cockroachdb: 313, zoneminder: 314, paperless: 315, zigbee2mqtt: 317, hqplayer: 319,
  moonraker: 320, distcc: 321, webdav: 322, pipewire: 323, 'rstudio-server': 324, localtimed: 325,
  'automatic-timezoned': 326, shoko: 328, nixbld: 30000, nobody: 65534,
};

const IDS_NIX_GIDS: Readonly<Record<string, number>> = {
  root: 0, wheel: 1, kmem: 2, tty: 3, messagebus: 4, haldaemon: 5, disk: 6, ftp: 8, atd: 12, postfix: 13, postdrop: 14,
  dovecot: 15, tomcat: 16, audio: 17, floppy: 18, uucp: 19, lp: 20, proc: 21, pulseaudio: 22, gpsd: 23, cdrom: 24,
  tape: 25, video: 26, dialout: 27, utmp: 29, davfs2: 31, disnix: 33, osgi: 34, tor: 35, git: 41, fourstore: 42,
  fourstorehttp: 43, virtuoso: 44, dovecot2: 46, dovenull2: 47, mpd: 50, clamav: 51, wwwrun: 54, adm: 55, spamd: 56,
  networkmanager: 57, nslcd: 58, scanner: 59, nginx: 60, chrony: 61, 'systemd-journal': 62, smtpd: 63, smtpq: 64,
  supybot: 65, iodined: 66, libvirtd: 67, graphite: 68, transmission: 70, postgres: 71, vboxusers: 72, vboxsf: 73,
  smbguest: 74, varnish: 75, datadog: 76, lighttpd: 77, lightdm: 78, freenet: 79, ircd: 80, bacula: 81, deluge: 83,
  mysql: 84, rabbitmq: 85, activemq: 86, gnunet: 87, oidentd: 88, quassel: 89, amule: 90, minidlna: 91,
  elasticsearch: 92, firebird: 95, keys: 96, users: 100, munin: 102, dictd: 105, couchdb: 106, jenkins: 109,
  'systemd-journal-gateway': 110, aerospike: 111, vault: 115, murmur: 117, foundationdb: 118, newrelic: 119,
  starbound: 120, hydra: 122, spiped: 123, teamspeak: 124, influxdb: 125, nsd: 126, gitolite: 127, znc: 128,
  polipo: 129, mopidy: 130, docker: 131, gdm: 132, siproxd: 134, mlmmj: 135, riemann: 137, riemanndash: 138, uhub: 142,
  redmine: 147, prosody: 149, i2pd: 150, 'systemd-network': 152, 'systemd-resolve': 153, 'systemd-timesync': 154,
  liquidsoap: 155, hbase: 158, opentsdb: 159, scollector: 160, bosun: 161, kubernetes: 162, gitlab: 165, nylon: 168,
  exim: 172, input: 174, sddm: 175, zabbix: 180, mediatomb: 187, ihaskell: 189, i2p: 190, lambdabot: 191,
  asterisk: 192, plex: 193, sabnzbd: 194, uwsgi: 201, gitit: 202, riemanntools: 203, subsonic: 204, gateone: 207,
  namecoin: 208, xtreemfs: 212, 'calibre-server': 213, bepasty: 215, 'nm-openvpn': 217, mathics: 218, ejabberd: 219,
  postsrsd: 220, opendkim: 221, dspam: 222, 'matrix-synapse': 224, rspamd: 225, cfdyndns: 227, pdnsd: 229,
  octoprint: 230, syncthing: 237, caddy: 239, taskd: 240, sniproxy: 244, nzbget: 245, mosquitto: 246, turnserver: 249,
  'gocd-agent': 251, 'gocd-server': 252, terraria: 253, mattermost: 254, prometheus: 255, 'gitlab-runner': 257,
  postgrey: 258, leaps: 260, ipfs: 261, infinoted: 264, sickbeard: 265, headphones: 266, fcron: 273, sonarr: 274,
  radarr: 275, jackett: 276, aria2: 277, clickhouse: 278, rslsync: 279, minio: 280, kanboard: 281, kodi: 283,
  mighttpd2: 285, hass: 286, ceph: 288, duplicati: 289, monetdb: 290, restic: 291, openvpn: 292, yarn: 294, hdfs: 295,
  mapred: 296, hadoop: 297, cfssl: 299, cassandra: 300, 'qemu-libvirtd': 301, kvm: 302, render: 303, sgx: 304,
  lirc: 305, lidarr: 306, slurm: 307, kapacitor: 308, alerta: 310, minetest: 311, rss2email: 312, cockroachdb: 313,
  zoneminder: 314, paperless: 315, zigbee2mqtt: 317, shadow: 318, hqplayer: 319, moonraker: 320, distcc: 321,
  webdav: 322, pipewire: 323, 'rstudio-server': 324, localtimed: 325, 'automatic-timezoned': 326, uinput: 327,
  shoko: 328, nixbld: 30000, onepassword: 31001, 'onepassword-cli': 31002, nogroup: 65534,
};

/** Every static id of ids.nix, by name (uid and gid together where both exist). */
export const STATIC_IDS: ReadonlyMap<string, StaticId> = (() => {
  const ids = new Map<string, StaticId>();
  for (const [name, uid] of Object.entries(IDS_NIX_UIDS)) ids.set(name, { name, uid });
  for (const [name, gid] of Object.entries(IDS_NIX_GIDS)) ids.set(name, { ...(ids.get(name) ?? { name }), gid });
  return ids;
})();

const ALWAYS_GROUP = { module: 'nixos/modules/config/users-groups.nix', enable: [], declares: { user: false, group: true } };
const service = (module: string, enable: string[][], extra: Partial<IdDeclaration> = {}): IdDeclaration => ({
  module,
  enable,
  declares: { user: true, group: true },
  ...extra,
});

/**
 * Where NixOS declares the holder of a static id, for the entries checked against the module source. The groups
 * users-groups.nix declares unconditionally (`users.groups = { root.gid = ids.gids.root; … }`) are all here;
 * `clock` is declared there too in newer nixpkgs, but its gid is not in the ids.nix read above, so it is left out.
 */
export const DECLARED_BY: Readonly<Record<string, IdDeclaration>> = {
  ...Object.fromEntries(
    ['root', 'wheel', 'disk', 'kmem', 'tty', 'floppy', 'uucp', 'lp', 'cdrom', 'tape', 'audio', 'video', 'dialout', 'nogroup', 'users', 'nixbld', 'utmp', 'adm', 'input', 'kvm', 'render', 'sgx', 'shadow'].map((name) => [name, ALWAYS_GROUP]),
  ),
  // `users.groups.keys.gid`, `users.groups.systemd-network.gid`, `…systemd-resolve.gid` and their users: unconditional.
  keys: { module: 'nixos/modules/system/boot/systemd.nix', enable: [], declares: { user: false, group: true } },
  'systemd-network': service('nixos/modules/system/boot/systemd.nix', []),
  'systemd-resolve': service('nixos/modules/system/boot/systemd.nix', []),
  'systemd-timesync': service('nixos/modules/system/boot/timesyncd.nix', [['services', 'timesyncd', 'enable']], { enabledByDefault: true }),
  'systemd-journal-gateway': service('nixos/modules/system/boot/systemd/journald-gateway.nix', [
    ['services', 'journald', 'gateway', 'enable'],
    ['services', 'journald', 'enableHttpGateway'],
  ]),
  docker: { module: 'nixos/modules/virtualisation/docker.nix', enable: [['virtualisation', 'docker', 'enable']], declares: { user: false, group: true } },
  gdm: service('nixos/modules/services/display-managers/gdm.nix', [
    ['services', 'displayManager', 'gdm', 'enable'],
    ['services', 'xserver', 'displayManager', 'gdm', 'enable'],
  ]),
  sddm: service('nixos/modules/services/display-managers/sddm.nix', [
    ['services', 'displayManager', 'sddm', 'enable'],
    ['services', 'xserver', 'displayManager', 'sddm', 'enable'],
  ]),
  munin: service('nixos/modules/services/monitoring/munin.nix', [['services', 'munin-node', 'enable'], ['services', 'munin-cron', 'enable']]),
  dictd: service('nixos/modules/services/misc/dictd.nix', [['services', 'dictd', 'enable']]),
  couchdb: service('nixos/modules/services/databases/couchdb.nix', [['services', 'couchdb', 'enable']]),
  jenkins: service('nixos/modules/services/continuous-integration/jenkins/default.nix', [['services', 'jenkins', 'enable']], { onlyWhileDefault: ['services', 'jenkins', 'group'] }),
  aerospike: service('nixos/modules/services/databases/aerospike.nix', [['services', 'aerospike', 'enable']]),
  vault: service('nixos/modules/services/security/vault.nix', [['services', 'vault', 'enable']]),
  murmur: service('nixos/modules/services/networking/murmur.nix', [['services', 'murmur', 'enable']], { onlyWhileDefault: ['services', 'murmur', 'group'] }),
  influxdb: service('nixos/modules/services/databases/influxdb.nix', [['services', 'influxdb', 'enable']], { onlyWhileDefault: ['services', 'influxdb', 'group'] }),
  znc: service('nixos/modules/services/networking/znc/default.nix', [['services', 'znc', 'enable']], { onlyWhileDefault: ['services', 'znc', 'user'] }),
  plex: service('nixos/modules/services/misc/plex.nix', [['services', 'plex', 'enable']], { onlyWhileDefault: ['services', 'plex', 'group'] }),
  sonarr: service('nixos/modules/services/misc/sonarr.nix', [['services', 'sonarr', 'enable']], { onlyWhileDefault: ['services', 'sonarr', 'group'] }),
  syncthing: service('nixos/modules/services/networking/syncthing.nix', [['services', 'syncthing', 'enable']], { onlyWhileDefault: ['services', 'syncthing', 'group'] }),
};

/** How the rules read an option without evaluating: true/false when written as a literal, undefined otherwise. */
export type OptionReader = (optionPath: string[]) => { bool?: boolean; string?: string } | undefined;

/** True when the configuration, read statically, makes NixOS declare this id's holder. */
export function isDeclared(declaration: IdDeclaration, name: string, read: OptionReader): boolean {
  if (declaration.onlyWhileDefault) {
    const value = read(declaration.onlyWhileDefault)?.string;
    if (value !== undefined && value !== name) return false;
  }
  if (declaration.enable.length === 0) return true;
  const values = declaration.enable.map((option) => read(option)?.bool);
  if (values.some((value) => value === true)) return true;
  return Boolean(declaration.enabledByDefault) && !values.some((value) => value === false);
}

/** A static id NixOS declares in this configuration, with the option that makes it so (for messages). */
export interface DeclaredStaticId extends StaticId {
  declaration: IdDeclaration;
  /** The enable option as the user would write it (`services.journald.gateway.enable`), undefined when always declared. */
  enabledBy?: string;
}

/** The static users and groups NixOS declares for a configuration (read statically). */
export function declaredStaticIds(read: OptionReader): DeclaredStaticId[] {
  const declared: DeclaredStaticId[] = [];
  for (const [name, declaration] of Object.entries(DECLARED_BY)) {
    const id = STATIC_IDS.get(name);
    if (!id || !isDeclared(declaration, name, read)) continue;
    const enabling = declaration.enable.find((option) => read(option)?.bool === true) ?? declaration.enable[0];
    const entry: DeclaredStaticId = { name, declaration };
    if (declaration.declares.user && id.uid !== undefined) entry.uid = id.uid;
    if (declaration.declares.group && id.gid !== undefined) entry.gid = id.gid;
    if (enabling) entry.enabledBy = enabling.join('.');
    declared.push(entry);
  }
  return declared;
}
