#!/usr/bin/env bash
# Machine-level setup for the SSH test tier (test/ssh): the OpenSSH server binary, its privilege-separation
# directory, and an unprivileged login user. Idempotent and safe to run concurrently (the test files each call
# it); needs root. Per-test state (host key, client keys, sshd_config, port) lives in test/ssh/sshdHarness.ts.
#
# The tests log in as a dedicated unprivileged user rather than root: extraction must work without sudo, and
# `journalctl`/`systemctl` answers differ for root, so a normal user is the realistic case.
set -euo pipefail

TEST_USER="${NIXOSHL_SSH_TEST_USER:-nixoshl-test}"

if [ "$(id -u)" -ne 0 ]; then
  echo "sshd-setup: must run as root (it installs openssh-server and creates the user $TEST_USER)" >&2
  exit 1
fi

LOCK_DIR=/run/lock
[ -d "$LOCK_DIR" ] && [ -w "$LOCK_DIR" ] || LOCK_DIR=/tmp
exec 9>"$LOCK_DIR/nixoshl-sshd-setup.lock"
flock -w 600 9

if [ ! -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null || ! command -v ssh-keygen >/dev/null; then
  echo "sshd-setup: installing openssh-server and openssh-client" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # --no-install-recommends: no ncurses-term/xauth; policy-rc.d is not needed, the harness starts its own sshd.
  apt-get install -y -qq --no-install-recommends openssh-server openssh-client >&2
fi

# sshd refuses to start without its privilege-separation directory (normally made by the systemd unit).
mkdir -p /run/sshd
chmod 0755 /run/sshd

if ! getent passwd "$TEST_USER" >/dev/null; then
  useradd --system --create-home --shell /bin/sh --comment "nixos-homelab SSH tests" "$TEST_USER"
fi
# useradd leaves the password as "!", which sshd (without PAM) treats as a locked account and refuses even for
# key logins. "*" means "no password can match" without locking the account.
if [ "$(getent shadow "$TEST_USER" | cut -d: -f2)" != "*" ]; then
  usermod -p '*' "$TEST_USER"
fi

echo "sshd-setup: ok (sshd $(/usr/sbin/sshd -V 2>&1 | head -n1 || true), user $TEST_USER)" >&2
