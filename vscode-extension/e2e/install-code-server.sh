#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the last release that runs on
# Node 20) and playwright-core into e2e/.work, offline from the npm registry:
# no GitHub downloads, no install scripts that fetch binaries. Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
work="$PWD/.work"
export npm_config_yes=true npm_config_unsafe_perm=true npm_config_fund=false npm_config_audit=false
mkdir -p "$work"
cs="$work/node_modules/code-server"
if [ -x "$cs/out/node/entry.js" ] || [ -f "$work/.code-server-ok" ]; then
    echo "code-server already installed in $work" >&2
else
    cd "$work"
    [ -f package.json ] || echo '{"name": "aura-e2e-tools", "private": true}' > package.json
    # Install scripts would download ripgrep from GitHub and need kerberos headers.
    npm install --no-save --ignore-scripts code-server@4.100.3 @vscode/ripgrep-linux-x64@1.18.0 playwright-core@1.65.1 >/dev/null
    npm rebuild argon2 >/dev/null
    cd "$cs/lib/vscode"
    npm install --omit=dev --ignore-scripts >/dev/null
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$work/node_modules/@vscode/ripgrep-linux-x64/bin/rg" node_modules/@vscode/ripgrep/bin/rg
    # node-pty's compile_commands step fails harmlessly.
    npm rebuild @vscode/spdlog @vscode/deviceid native-watchdog node-pty >/dev/null 2>&1 || true
    ln -sfn node_modules node_modules.asar
    ln -sfn code-linux.sh bin/remote-cli/code-server 2>/dev/null || true
    ln -sfn browser-linux.sh bin/helpers/browser.sh 2>/dev/null || true
    cd extensions
    npm install --omit=dev --ignore-scripts >/dev/null
    node ./postinstall.mjs >/dev/null
    touch "$work/.code-server-ok"
fi
echo "$cs"
