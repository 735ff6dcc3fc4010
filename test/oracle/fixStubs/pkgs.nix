# `pkgs` for the fix tests: every package is the string "pkgs.<name>"; a name not listed fails the evaluation.
let
  names = [
    "docker" "docker_29" "docker-compose" "intel-media-driver" "intel-vaapi-driver" "vaapiIntel" "nvidia-container-toolkit"
    "vim" "git" "htop" "curl" "wget" "firefox"
  ];
in
builtins.listToAttrs (map (name: { inherit name; value = "pkgs.${name}"; }) names)
