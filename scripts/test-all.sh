#!/usr/bin/env bash
# The one test command (`npm test`, called by .ci/run): type-check, build, then every tier.
# Installs what the tiers need when it is missing; a tier that cannot run fails, it is never skipped.
set -uo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { echo "test-all: $*" >&2; exit 1; }

[ -d node_modules ] || { log "npm ci"; npm ci --no-audit --no-fund || fail "npm ci failed"; }

log "system packages (nix-bin, openssh-server)"
bash scripts/ensure-system-deps.sh || fail "cannot install the system packages the tests need"
bash scripts/sshd-setup.sh || fail "cannot prepare the SSH test tier"

log "type-check"
npx tsc --noEmit -p . || fail "type errors"

log "build"
node esbuild.js || fail "build failed"

# Node test tiers, run together so that the runner prints one summary: unit (core), oracle (nix-instantiate),
# grammar and snippets, CLI (the bundled dist/cli.js), LSP (the bundled dist/server.js over JSON-RPC), SSH (a real sshd).
TIERS=(test/unit test/oracle test/grammar test/snippets test/cli test/lsp test/ssh)
for tier in "${TIERS[@]}"; do
  [ -d "$tier" ] || fail "test tier $tier is missing"
done
log "node tests: ${TIERS[*]}"
node scripts/run-tests.mjs "${TIERS[@]}" 2>&1 | tee .test-output.log
node_status=${PIPESTATUS[0]}

e2e_status=0
if [ "${NIXOS_HOMELAB_SKIP_E2E:-}" = "1" ] && [ "${CI:-}" != "true" ]; then
  echo "test-all: NIXOS_HOMELAB_SKIP_E2E=1: the real-VS-Code tier was NOT run (never allowed in CI)"
else
  log "end-to-end: real VS Code (code-server + Chromium)"
  bash scripts/e2e-setup.sh || fail "cannot install the VS Code test stack"
  npm run --silent package >/dev/null || fail "npm run package failed"
  node test/e2e/run.mjs --vsix nixos-homelab.vsix 2>&1 | tee .test-output-e2e.log
  e2e_status=${PIPESTATUS[0]}
fi

pass=$(grep -E '^# pass [0-9]+' .test-output.log | awk '{s+=$3} END {print s+0}')
failed=$(grep -E '^# fail [0-9]+' .test-output.log | awk '{s+=$3} END {print s+0}')
if [ -f .test-output-e2e.log ] && [ "$e2e_status" -ne 99 ]; then
  e2e_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' .test-output-e2e.log | tail -n1)
  pass=$((pass + $(echo "${e2e_line:-0 passed}" | awk '{print $1+0}')))
  failed=$((failed + $(echo "${e2e_line:-0 passed, 0 failed}" | awk '{print $3+0}')))
fi
rm -f .test-output.log .test-output-e2e.log
if [ "$node_status" -ne 0 ] || [ "$e2e_status" -ne 0 ]; then
  [ "$failed" -gt 0 ] || failed=1
fi
echo
echo "total: $pass passed, $failed failed"
[ "$node_status" -eq 0 ] && [ "$e2e_status" -eq 0 ]
