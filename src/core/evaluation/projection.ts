/**
 * The Nix function applied to an evaluated NixOS system (`nixosConfigurations.<host>`, or what
 * `import <nixpkgs/nixos> { configuration = …; }` returns): it keeps only what the rules read, as JSON.
 *
 * - Every part is evaluated on its own under `builtins.tryEval` (after `deepSeq`, since `nix eval --json` would
 *   otherwise force the value outside the try): a part whose options throw (a type error, a conflicting definition,
 *   "used but not defined") becomes `{ failed = true; }` and the other parts are still projected. `tryEval` catches
 *   `throw` and `assert` only: infinite recursion or a missing attribute in the user's code still fails the whole
 *   evaluation, which is then one notice (the static reading goes on).
 * - No derivation is forced (package attributes other than `version` are never read) and no path is copied to the
 *   store: values go through `plain`, which turns paths into strings and functions and derivations into names.
 * - Locations come from `options.<path>.definitionsWithLocations` (nixpkgs `lib/modules.nix`): the files that
 *   define an option, or that define a given user, group or file system. The NixOS default of an option is listed
 *   there too when nothing else defines it; its `highestPrio` (1500, `mkOptionDefault`) tells the two apart.
 * - The systemd services that run Compose (`docker compose`, `docker-compose`, `podman-compose` in `script`,
 *   `serviceConfig.ExecStart` or `ExecStartPre`): each service on its own under `tryEval` (one that throws costs that
 *   service only), with the settings that say which stack it starts and what environment it gives Compose. A script
 *   that is a store path (`pkgs.writeShellScript`) is not read: its text is only in the store once built.
 */

/** Options read as single values (with their priority and defining files), by path. */
export const PROJECTED_OPTIONS: readonly (readonly string[])[] = [
  ['virtualisation', 'docker', 'enable'],
  ['virtualisation', 'docker', 'enableNvidia'],
  ['virtualisation', 'docker', 'daemon', 'settings'],
  ['virtualisation', 'containers', 'cdi', 'dynamic', 'nvidia', 'enable'],
  ['hardware', 'graphics', 'enable'],
  ['hardware', 'graphics', 'enable32Bit'],
  ['hardware', 'enableRedistributableFirmware'],
  ['hardware', 'enableAllFirmware'],
  ['hardware', 'nvidia', 'open'],
  ['hardware', 'nvidia', 'datacenter', 'enable'],
  ['hardware', 'nvidia-container-toolkit', 'enable'],
  ['hardware', 'nvidia-container-toolkit', 'suppressNvidiaDriverAssertion'],
  ['services', 'xserver', 'videoDrivers'],
  ['boot', 'zfs', 'extraPools'],
];

/** Bumped whenever the projection's output changes shape: cached results of another version are not used. */
export const PROJECTION_VERSION = 2;

const nixList = (paths: readonly (readonly string[])[]): string => `[ ${paths.map((p) => `[ ${p.map((name) => JSON.stringify(name)).join(' ')} ]`).join(' ')} ]`;

/** The projection, a Nix function of the evaluated system. */
export const PROJECTION = `sys:
let
  inherit (builtins) tryEval deepSeq isAttrs isList isPath isFunction isString mapAttrs filter map concatMap foldl' attrNames listToAttrs length head;
  cfg = sys.config;
  opts = sys.options or { };
  # A part evaluated on its own: { ok = value; } or { failed = true; }.
  try = v: let r = tryEval (deepSeq v v); in if r.success then { ok = r.value; } else { failed = true; };
  # JSON-safe without building or copying anything (depth-limited: settings are small).
  plain = depth: v:
    if isPath v then toString v
    else if isFunction v then "<function>"
    else if isAttrs v then (if (v.type or null) == "derivation" then "<derivation " + (v.name or "?") + ">" else if depth > 8 then "<set>" else mapAttrs (_: plain (depth + 1)) v)
    else if isList v then (if depth > 8 then [ ] else map (plain (depth + 1)) v)
    else v;
  at = root: path: foldl' (acc: name: if acc.found && isAttrs acc.value && acc.value ? \${name} then { found = true; value = acc.value.\${name}; } else { found = false; value = null; }) { found = true; value = root; } path;
  fileOf = d: toString (d.file or "");
  defsOf = path: let o = at opts path; in if o.found && isAttrs o.value then (o.value.definitionsWithLocations or [ ]) else [ ];
  # The files whose definition of an attribute set names \`name\` (wrappers such as mkIf are looked through).
  unwrap = v: if isAttrs v && (v._type or null) == "if" then (if v.condition then unwrap v.content else [ ])
    else if isAttrs v && (v._type or null) == "merge" then concatMap unwrap v.contents
    else if isAttrs v && ((v._type or null) == "override" || (v._type or null) == "order") then unwrap v.content
    else [ v ];
  filesNaming = path: name: map fileOf (filter (d: (tryEval (builtins.any (v: isAttrs v && v ? \${name}) (unwrap d.value))).value or false) (defsOf path));
  filesByName = path: names: listToAttrs (map (name: { inherit name; value = filesNaming path name; }) names);
  option = path: let
      v = at cfg path;
      o = at opts path;
    in {
      path = path;
      value = if v.found then try (plain 0 v.value) else { absent = true; };
      highestPrio = try (if o.found && isAttrs o.value then (o.value.highestPrio or null) else null);
      files = try (map fileOf (defsOf path));
    };
  # Each user, group and file system on its own too: one conflicting definition loses that entry only.
  users = try (mapAttrs (_: u: try { uid = u.uid or null; group = u.group or ""; extraGroups = u.extraGroups or [ ]; isNormalUser = u.isNormalUser or false; }) (cfg.users.users or { }));
  groups = try (mapAttrs (_: g: try { gid = g.gid or null; members = g.members or [ ]; }) (cfg.users.groups or { }));
  fileSystems = try (mapAttrs (name: f: try { mountPoint = f.mountPoint or name; device = plain 0 (f.device or null); fsType = f.fsType or null; options = f.options or [ ]; }) (cfg.fileSystems or { }));
  unitMounts = kind: try (map (m: { where = m.where or null; what = plain 0 (m.what or null); type = m.type or null; options = m.options or ""; }) ((cfg.systemd or { }).\${kind} or [ ]));
  secrets = set: try (mapAttrs (_: s: { path = plain 0 (s.path or null); }) set);
  # Failed assertions and warnings, each with the file of the definition that holds it when that can be told.
  failedIn = d: map (a: { file = fileOf d; message = a.message; }) (filter (a: !(a.assertion)) (concatMap (v: if isList v then v else [ ]) (unwrap d.value)));
  warningsIn = d: map (w: { file = fileOf d; message = w; }) (concatMap (v: if isList v then v else [ ]) (unwrap d.value));
  # Strings as systemd sees them: a list stays a list, a path or package becomes a string, other values JSON.
  text = v: let p = plain 0 v; in if isString p then p else builtins.toJSON p;
  texts = v: if v == null then [ ] else if isList v then map text v else [ (text v) ];
  runsCompose = s: isString s && length (builtins.split "(docker|podman)(-| +)compose" s) > 1;
  composeUnit = name: s: let
      sc = s.serviceConfig or { };
      uc = s.unitConfig or { };
      execStart = texts (sc.ExecStart or null);
      script = text (s.script or "");
    in if builtins.any runsCompose ([ script ] ++ execStart ++ texts (sc.ExecStartPre or null)) then {
      inherit script execStart;
      execStartPre = texts (sc.ExecStartPre or null);
      workingDirectory = if (sc.WorkingDirectory or null) == null then null else text sc.WorkingDirectory;
      environmentFile = texts (sc.EnvironmentFile or null);
      environment = mapAttrs (_: text) (builtins.removeAttrs (s.environment or { }) (filter (n: (s.environment.\${n}) == null) (attrNames (s.environment or { }))));
      after = texts (s.after or [ ]);
      requires = texts (s.requires or [ ]);
      wants = texts (s.wants or [ ]);
      requiresMountsFor = texts (uc.RequiresMountsFor or null);
      files = let r = tryEval (deepSeq (filesNaming [ "systemd" "services" ] name) (filesNaming [ "systemd" "services" ] name)); in if r.success then r.value else [ ];
    } else null;
  composeUnits = let
      all = mapAttrs (name: s: try (composeUnit name s)) ((cfg.systemd or { }).services or { });
    in try (builtins.removeAttrs all (filter (name: (all.\${name}.ok or true) == null) (attrNames all)));
  located = f: path: concatMap (d: let r = tryEval (deepSeq (f d) (f d)); in if r.success then r.value else [ ]) (defsOf path);
in {
  version = ${PROJECTION_VERSION};
  release = try (cfg.system.nixos.release or null);
  inherit users groups fileSystems;
  userFiles = try (filesByName [ "users" "users" ] (attrNames (users.ok or { })));
  groupFiles = try (filesByName [ "users" "groups" ] (attrNames (groups.ok or { })));
  fileSystemFiles = try (filesByName [ "fileSystems" ] (attrNames (fileSystems.ok or { })));
  options = map option ${nixList(PROJECTED_OPTIONS)};
  systemdMounts = unitMounts "mounts";
  systemdAutomounts = unitMounts "automounts";
  dockerPackageVersion = try (if (cfg.virtualisation.docker.enable or false) then (cfg.virtualisation.docker.package.version or null) else null);
  ageSecrets = secrets ((cfg.age or { }).secrets or { });
  sopsSecrets = secrets ((cfg.sops or { }).secrets or { });
  inherit composeUnits;
  assertions = try (map (a: a.message) (filter (a: !(a.assertion)) (cfg.assertions or [ ])));
  assertionLocations = try (located failedIn [ "assertions" ]);
  warnings = try (cfg.warnings or [ ]);
  warningLocations = try (located warningsIn [ "warnings" ]);
}`;
