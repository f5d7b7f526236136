#!/usr/bin/env bash
# Runs the whole test suite against real components: a private D-Bus session with an unlocked gnome-keyring
# (Secret Service), then vitest (unit + integration) and Playwright (the renderer in Debian Chromium).
#   bash scripts/test.sh              everything, then one closing line "tests: N passed, N failed"
#   bash scripts/test.sh test/vault   only these vitest paths
#   bash scripts/test.sh --e2e-only   only the Playwright suite
# Each suite gets its own D-Bus session and keyring daemon: one gnome-keyring-daemon serving the whole run was seen to
# go away after several hundred client sessions, and the keyring D-Bus then activates in its place is locked.
set -euo pipefail
cd "$(dirname "$0")/.."
export PASSKEY_DESK_TEST_RESULTS="${PASSKEY_DESK_TEST_RESULTS:-$(mktemp -d)}"

# Runs "$@" inside a fresh D-Bus session with a fresh, unlocked login keyring.
# The daemon gets its own control directory: with the default one (under ~/.cache) a new daemon can find the
# previous suite's daemon, still exiting, hand the password to it and leave this session's bus without a Secret
# Service; the first client then makes D-Bus start a locked daemon in its place, and every keyring test fails
# (seen once in CI). It must also own org.freedesktop.secrets before any test asks for it.
with_keyring() {
  XDG_DATA_HOME="$(mktemp -d)" KEYRING_CONTROL_DIR="$(mktemp -d)" dbus-run-session -- bash -c '
    set -euo pipefail
    printf testpw | gnome-keyring-daemon --unlock --components=secrets --control-directory "$KEYRING_CONTROL_DIR" >/dev/null
    owned() {
      gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
        --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true
    }
    for _ in $(seq 1 100); do owned && break; sleep 0.1; done
    if ! owned; then
      echo "scripts/test.sh: the unlocked gnome-keyring-daemon did not take org.freedesktop.secrets on the test bus" >&2
      exit 1
    fi
    status=0
    "$@" || status=$?
    pkill -f -- "--control-directory $KEYRING_CONTROL_DIR" || true
    exit $status
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
