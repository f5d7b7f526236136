#!/usr/bin/env bash
# Runs the whole test suite against real components: a private D-Bus session with an unlocked gnome-keyring
# (Secret Service), then vitest (unit + integration) and Playwright (the renderer in Debian Chromium).
#   bash scripts/test.sh              everything, then one closing line "tests: N passed, N failed"
#   bash scripts/test.sh test/vault   only these vitest paths
#   bash scripts/test.sh --e2e-only   only the Playwright suite
# Each suite gets its own D-Bus session and keyring: one gnome-keyring-daemon serving the whole run was seen to
# go away after several hundred client sessions, and the keyring D-Bus then activates in its place is locked.
set -euo pipefail
cd "$(dirname "$0")/.."
export PASSKEY_DESK_TEST_RESULTS="${PASSKEY_DESK_TEST_RESULTS:-$(mktemp -d)}"

# Runs "$@" inside a fresh D-Bus session with a fresh, unlocked login keyring.
with_keyring() {
  XDG_DATA_HOME="$(mktemp -d)" dbus-run-session -- bash -c '
    set -euo pipefail
    printf testpw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"
  ' _ "$@"
}

e2e_only=0
if [ "${1:-}" = "--e2e-only" ]; then e2e_only=1; shift; fi
status=0
if [ "$e2e_only" = 0 ]; then
  with_keyring npx vitest run --reporter=default --reporter=json \
    --outputFile.json="$PASSKEY_DESK_TEST_RESULTS/vitest.json" "$@" || status=$?
fi
if [ "$e2e_only" = 1 ] || [ "$#" -eq 0 ]; then
  PLAYWRIGHT_JSON_OUTPUT_NAME="$PASSKEY_DESK_TEST_RESULTS/playwright.json" \
    with_keyring npx playwright test --reporter=list,json || status=$?
fi
node scripts/test-summary.mjs "$PASSKEY_DESK_TEST_RESULTS"
exit $status
