# Evaluates one module file for the fix tests: like ../stubs/eval.nix, with a `pkgs` that also has the packages
# hand-written example configurations list (vim, git, …), and `imports` turned into strings (a path in JSON output
# would be copied to the store, which `--store dummy://` cannot do).
{ modulePath }:
let
  module = import (/. + modulePath);
  args = {
    config = import ../stubs/config.nix;
    lib = import ../stubs/lib.nix;
    pkgs = import ./pkgs.nix;
    modulesPath = "/modules";
    options = { };
  };
  result = if builtins.isFunction module then module args else module;
in
(builtins.removeAttrs result [ "imports" ]) // { imports = map toString (result.imports or [ ]); }
