#!/usr/bin/env bash
# Runs the whole test suite against real components: a private D-Bus session with an unlocked gnome-keyring
# (Secret Service), then vitest (unit + integration) and Playwright (renderer in Debian Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
export PASSKEY_DESK_TEST_RESULTS="${PASSKEY_DESK_TEST_RESULTS:-$(mktemp -d)}"
keyring_home="$(mktemp -d)"
export XDG_DATA_HOME="$keyring_home"
dbus-run-session -- bash -c '
  set -euo pipefail
  printf testpw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  status=0
  npx vitest run --reporter=default --reporter=json --outputFile.json="$PASSKEY_DESK_TEST_RESULTS/vitest.json" "$@" || status=$?
  if [ -z "${PASSKEY_DESK_SKIP_E2E:-}" ] && [ "$#" -eq 0 ]; then
    PLAYWRIGHT_JSON_OUTPUT_NAME="$PASSKEY_DESK_TEST_RESULTS/playwright.json" npx playwright test --reporter=list,json || status=$?
  fi
  node scripts/test-summary.mjs "$PASSKEY_DESK_TEST_RESULTS"
  exit $status
' _ "$@"
