# Evaluates one NixOS module file against the stubs: imports it, calls it with { config, lib, pkgs, ... } when it is
# a function, and returns the attrset it defines (mk* wrappers kept as markers). `modulePath` is an absolute path.
{ modulePath }:
let
  module = import (/. + modulePath);
  args = {
    config = import ./config.nix;
    lib = import ./lib.nix;
    pkgs = import ./pkgs.nix;
    modulesPath = "/modules";
    options = { };
  };
in
if builtins.isFunction module then module args else module
