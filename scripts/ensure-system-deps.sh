#!/usr/bin/env bash
# Installs the Debian packages the test tiers need when they are missing: nix-bin (the Nix parser oracle,
# nix-instantiate; the evaluation tests, nix eval and nix-instantiate --eval), the OpenSSH server (real sshd tests) and pre-commit (the hook definition's test). Needs root or passwordless sudo for a missing package;
# fails with a clear message otherwise. Idempotent and quick when everything is there.
set -euo pipefail

missing=()
{ command -v nix-instantiate && command -v nix; } >/dev/null 2>&1 || missing+=(nix-bin)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
command -v pre-commit >/dev/null 2>&1 || missing+=(pre-commit)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "ensure-system-deps: missing Debian packages: ${missing[*]}. Install them (apt-get install ${missing[*]}) or run the tests as root." >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-system-deps: missing ${missing[*]} and no apt-get here: install them with your package manager." >&2
  exit 1
fi
echo "ensure-system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >&2
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || {
  echo "ensure-system-deps: apt-get install ${missing[*]} failed (see above)." >&2
  exit 1
}
