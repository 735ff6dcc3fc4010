# A stub of the parts of nixpkgs `lib` that generated modules use. The mk* functions return the same marker
# attrsets as nixpkgs (lib/modules.nix), so a test can see `lib.mkForce 110` as
# { _type = "override"; priority = 50; content = 110; }. escapeShellArgs is the real algorithm (lib/strings.nix).
let
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  escapeShellArg = arg: "'${builtins.replaceStrings [ "'" ] [ "'\\''" ] (toString arg)}'";
in
{
  inherit mkOverride escapeShellArg;
  mkForce = mkOverride 50;
  mkDefault = mkOverride 1000;
  mkOptionDefault = mkOverride 1500;
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };
  escapeShellArgs = args: builtins.concatStringsSep " " (map escapeShellArg args);
  concatStringsSep = builtins.concatStringsSep;
  optional = cond: x: if cond then [ x ] else [ ];
  optionals = cond: xs: if cond then xs else [ ];
}
