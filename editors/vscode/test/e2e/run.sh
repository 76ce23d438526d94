#!/usr/bin/env bash
# The extension's end-to-end test in a real VS Code: installs what is missing (install.sh),
# builds and packages the extension, installs the .vsix into code-server, starts it, and
# runs driver.ts in headless Chromium. Exits non-zero on any failure.
#
# Environment: JITLENS_BIN (default: the repo's target/release/jitlens, built if missing),
# E2E_RECORD=real|stand-in (default: real when the binary has `record`, else the stand-in
# that writes a fixture profile), E2E_ARTIFACTS (where the screenshot and logs go; default
# a fresh temporary folder), JITLENS_E2E_CACHE (install cache, ~/.cache/jitlens-e2e).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
EXT_DIR="$(cd "$HERE/../.." && pwd)"
REPO="$(cd "$EXT_DIR/../.." && pwd)"

status=0
"$HERE/install.sh" > /tmp/jitlens-e2e-env.$$ || status=$?
if [ "$status" = 3 ]; then
    echo "e2e: SKIPPED: a package registry is unreachable, so the test's tools cannot be installed"
    rm -f /tmp/jitlens-e2e-env.$$
    exit 0
elif [ "$status" != 0 ]; then
    echo "e2e: FAILED: installing the test's tools failed (exit $status)" >&2
    exit 1
fi
# shellcheck disable=SC1090
. /tmp/jitlens-e2e-env.$$
rm -f /tmp/jitlens-e2e-env.$$

ART="${E2E_ARTIFACTS:-$(mktemp -d /tmp/jitlens-e2e-artifacts.XXXXXX)}"
mkdir -p "$ART"
SCRATCH="$(mktemp -d /tmp/jitlens-e2e.XXXXXX)"
CS_PID=""
cleanup() {
    if [ -n "$CS_PID" ]; then
        # code-server runs in its own process group (setsid): end all of it, watcher included.
        kill -TERM -- "-$CS_PID" 2>/dev/null || true
        sleep 1
        kill -KILL -- "-$CS_PID" 2>/dev/null || true
    fi
    rm -rf "$SCRATCH"
}
trap cleanup EXIT

echo "== e2e: the jitlens binary"
BIN="${JITLENS_BIN:-${CARGO_TARGET_DIR:-$REPO/target}/release/jitlens}"
if [ ! -x "$BIN" ]; then
    (cd "$REPO" && cargo build --release)
fi
[ -x "$BIN" ] || { echo "e2e: FAILED: no jitlens binary at $BIN" >&2; exit 1; }
MODE="${E2E_RECORD:-}"
if [ -z "$MODE" ]; then
    if "$BIN" record --help >/dev/null 2>&1; then MODE=real; else MODE=stand-in; fi
fi

echo "== e2e: build, unit tests and package the extension"
cd "$EXT_DIR"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
npx tsc -p .
node --test out/test/unit/
rm -f jitlens-*.vsix
npx vsce package --no-rewrite-relative-links --out "$SCRATCH/jitlens.vsix" >/dev/null
ls -l "$SCRATCH/jitlens.vsix"

EXT_BIN="$BIN"
if [ "$MODE" = stand-in ]; then
    # `lsp` is the real server; `record` writes a fixture profile (fakeRecord.ts).
    EXT_BIN="$SCRATCH/bin/jitlens"
    mkdir -p "$SCRATCH/bin"
    cat > "$EXT_BIN" <<STANDIN
#!/bin/sh
if [ "\$1" = record ]; then shift; exec "$(command -v node)" "$EXT_DIR/out/test/e2e/fakeRecord.js" "\$@"; fi
exec "$BIN" "\$@"
STANDIN
    chmod +x "$EXT_BIN"
fi
echo "e2e: record is the $MODE one ($BIN)"

echo "== e2e: code-server with the extension"
WS="$SCRATCH/workspace"
UD="$SCRATCH/user-data"
EXTS="$SCRATCH/extensions"
mkdir -p "$WS" "$UD/User" "$EXTS" "$SCRATCH/home" "$SCRATCH/browser"
cp "$HERE/workspace/hot.py" "$WS/"
FREQ=1000
JIT=on
cat > "$UD/User/settings.json" <<JSON
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "editor.inlayHints.enabled": "on",
  "extensions.autoUpdate": "off",
  "extensions.autoCheckUpdates": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "chat.disableAIFeatures": true,
  "workbench.colorTheme": "Default Dark Modern",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.commandCenter.enabled": false,
  "jitlens.path": "$SCRATCH/not-installed/jitlens",
  "jitlens.record.frequency": $FREQ,
  "jitlens.jit": "$JIT"
}
JSON
cp "$UD/User/settings.json" "$UD/User/settings.json.initial"
export HOME="$SCRATCH/home" XDG_CONFIG_HOME="$SCRATCH/home/.config" \
    XDG_DATA_HOME="$SCRATCH/home/.local/share" XDG_CACHE_HOME="$SCRATCH/home/.cache"
CS=(env PATH="$NODE24/bin:$PATH" "$CODE_SERVER" --disable-telemetry --disable-update-check
    --user-data-dir "$UD" --extensions-dir "$EXTS")
"${CS[@]}" --install-extension "$SCRATCH/jitlens.vsix" > "$ART/install-extension.log" 2>&1 \
    || { cat "$ART/install-extension.log" >&2; echo "e2e: FAILED: code-server --install-extension" >&2; exit 1; }
ls "$EXTS" | grep -q '^jitlens\.jitlens-' \
    || { cat "$ART/install-extension.log" >&2; echo "e2e: FAILED: the extension is not in $EXTS" >&2; exit 1; }

PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
setsid "${CS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-workspace-trust \
    --disable-getting-started-override "$WS" > "$ART/code-server.log" 2>&1 < /dev/null &
CS_PID=$!
for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    kill -0 "$CS_PID" 2>/dev/null || { cat "$ART/code-server.log" >&2; echo "e2e: FAILED: code-server exited" >&2; exit 1; }
    sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null \
    || { cat "$ART/code-server.log" >&2; echo "e2e: FAILED: code-server did not answer in 60 s" >&2; exit 1; }

echo "== e2e: drive it ($MODE record)"
rc=0
E2E_URL="http://127.0.0.1:$PORT" E2E_FILE="$WS/hot.py" E2E_PROFILE="$WS/.jitlens/profile.json" \
E2E_SETTINGS="$UD/User/settings.json" E2E_BINARY="$EXT_BIN" E2E_LOGS="$UD/logs" \
E2E_SCREENSHOT="$ART/jitlens-e2e.png" E2E_FREQ="$FREQ" E2E_JIT="$JIT" E2E_BROWSER_DIR="$SCRATCH/browser" \
    node "$EXT_DIR/out/test/e2e/driver.js" || rc=$?
# The server's and the extension's logs, for a failure's post-mortem.
find "$UD/logs" -path '*exthost*' -name '*.log' -exec cp --backup=numbered {} "$ART/" \; 2>/dev/null || true
if [ "$rc" != 0 ]; then
    echo "e2e: FAILED ($MODE record); screenshot and logs in $ART" >&2
    for f in "$ART"/*jitlens*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -30 "$f" >&2; }; done
    exit 1
fi
echo "e2e: passed against the $MODE record; screenshot $ART/jitlens-e2e.png"
