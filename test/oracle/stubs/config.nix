# A stub `config` with the few option values generated modules read.
{
  virtualisation.docker.package = "pkgs.docker";
  hardware.enableRedistributableFirmware = false;
}
