# A stub `pkgs`: each package the product writes is the string "pkgs.<name>", so a test can compare lists. A name
# not listed here fails the evaluation, which is what a typo in a real configuration would do too.
let
  names = [
    "docker" "docker_29" "docker-compose" "findutils" "coreutils" "gnugrep" "gnused" "bash"
    "intel-media-driver" "intel-vaapi-driver" "vaapiIntel" "libvdpau-va-gl" "nvidia-container-toolkit"
  ];
in
builtins.listToAttrs (map (name: { inherit name; value = "pkgs.${name}"; }) names)
