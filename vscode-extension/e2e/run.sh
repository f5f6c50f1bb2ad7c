#!/usr/bin/env bash
# The VS Code end-to-end test in one command: installs Chromium (Debian) and
# code-server + playwright-core (npm) when missing, builds `aura` and the
# .vsix, then drives a real VS Code (code-server) in headless Chromium.
# Screenshots land in vscode-extension/e2e/screenshots/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
if [ ! -x /usr/bin/chromium ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing chromium from Debian" >&2
    $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null
fi
code_server="$("$here/install-code-server.sh" | tail -1)"
target="${CARGO_TARGET_DIR:-$repo/target}"
(cd "$repo" && cargo build --locked --bin aura)
cd "$here/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent package >/dev/null
node "$here/run.cjs" --vsix "$PWD/aura-vscode.vsix" --aura "$target/debug/aura" --code-server "$code_server"
