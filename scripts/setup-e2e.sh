#!/usr/bin/env bash
# Installs what the real-editor tests (test/e2e/) need, idempotently: Debian chromium, libkrb5-dev and ripgrep when
# missing, and code-server 4.100.3 (the last release that runs on Node 20) into the git-ignored test/e2e/.tools/,
# outside the project's npm dependency tree, so `npm ci` keeps working on machines without libkrb5-dev.
# Offline-friendly: only the Debian archive and the npm registry are used (see test/e2e/README.md for why each
# workaround is needed). A second run with everything in place takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SPEC="$ROOT/test/e2e/tools"    # committed package.json + package-lock.json pinning code-server
TOOLS="$ROOT/test/e2e/.tools"  # git-ignored install
CS_VERSION=4.100.3
RG_PKG_VERSION=1.15.11         # @vscode/ripgrep pinned in code-server 4.100.3's lib/vscode/npm-shrinkwrap.json
RG_ARCHIVE=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
t0=$SECONDS
if [ "$(node -p 'process.versions.node.split(".")[0]')" != 20 ]; then
  echo "setup-e2e: code-server $CS_VERSION runs on Node 20 only; this is Node $(node -v)" >&2
  exit 1
fi

# 1. Debian packages: chromium (the browser Playwright drives), libkrb5-dev (gssapi headers for code-server's
#    kerberos module), ripgrep (replaces @vscode/ripgrep's download from a code host).
missing=()
for pkg in chromium libkrb5-dev ripgrep; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-e2e: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-e2e: not root; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. code-server, skipped when the same locked install is already there.
lock_sum() { if [ -f "$SPEC/package-lock.json" ]; then sha256sum "$SPEC/package-lock.json" | cut -c1-16; fi; }
stamp="$CS_VERSION $(lock_sum)"
if [ -x "$TOOLS/node_modules/.bin/code-server" ] && [ "$(cat "$TOOLS/.installed" 2>/dev/null)" = "$stamp" ]; then
  echo "setup-e2e: code-server $CS_VERSION already installed in test/e2e/.tools ($((SECONDS - t0)) s)"
  exit 0
fi
echo "setup-e2e: installing code-server $CS_VERSION into test/e2e/.tools (about 2 minutes)"
rm -rf "$TOOLS/node_modules" "$TOOLS/.installed"
mkdir -p "$TOOLS"
cp "$SPEC/package.json" "$TOOLS/package.json"
# A private temporary folder: the seeded ripgrep cache lives there, and the install leaves nothing in /tmp.
export TMPDIR="$TOOLS/.tmp"
rm -rf "$TMPDIR"
mkdir -p "$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION"
# @vscode/ripgrep's postinstall looks in $TMPDIR/vscode-ripgrep-cache-<version>/ before downloading.
tar czf "$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION/$RG_ARCHIVE" -C /usr/bin rg
# npm_config_yes: node-pty's install runs `npx node-gyp` (this machine's npmrc says yes=false).
# npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it.
export npm_config_yes=true npm_config_unsafe_perm=true npm_config_audit=false npm_config_fund=false
if [ -f "$SPEC/package-lock.json" ]; then
  cp "$SPEC/package-lock.json" "$TOOLS/package-lock.json"
  (cd "$TOOLS" && npm ci --prefix "$TOOLS" --loglevel=error)
else
  (cd "$TOOLS" && npm install --prefix "$TOOLS" --loglevel=error)
  cp "$TOOLS/package-lock.json" "$SPEC/package-lock.json"
fi
rm -rf "$TMPDIR"
unset TMPDIR
# --version with a throwaway config and XDG folders: code-server otherwise writes ~/.config/code-server/config.yaml.
check=$(mktemp -d)
printf 'auth: none\n' > "$check/config.yaml"
version=$(XDG_CONFIG_HOME="$check" XDG_DATA_HOME="$check" "$TOOLS/node_modules/.bin/code-server" \
  --config "$check/config.yaml" --version | grep -m1 "^$CS_VERSION " || true)
rm -rf "$check"
case "$version" in
  "$CS_VERSION "*) ;;
  *) echo "setup-e2e: code-server --version printed '$version', expected $CS_VERSION" >&2; exit 1 ;;
esac
stamp="$CS_VERSION $(lock_sum)"
echo "$stamp" > "$TOOLS/.installed"
echo "setup-e2e: $version ($((SECONDS - t0)) s)"
