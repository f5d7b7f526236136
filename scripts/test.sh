#!/usr/bin/env bash
# Runs the whole test suite against real components: a private D-Bus session with an unlocked gnome-keyring
# (Secret Service), then vitest (unit + integration) and Playwright (the renderer in Debian Chromium).
#   bash scripts/test.sh              everything, then one closing line "tests: N passed, N failed"
#   bash scripts/test.sh test/vault   only these vitest paths
#   bash scripts/test.sh --e2e-only [files]   only the Playwright suite (or these spec files)
# Each suite gets its own D-Bus session and keyring daemon.
set -euo pipefail
cd "$(dirname "$0")/.."
export PASSKEY_DESK_TEST_RESULTS="${PASSKEY_DESK_TEST_RESULTS:-$(mktemp -d)}"
# Every temporary folder the tests make (data folders, scenario files, browser profiles) goes under one folder
# of this run, removed when it ends, instead of piling up in /tmp run after run.
# Traversable by other users (not listable): the PostgreSQL tests run initdb as the postgres user inside it.
TEST_TMP="$(mktemp -d)"
chmod 711 "$TEST_TMP"
trap 'rm -rf "$TEST_TMP"' EXIT
export TMPDIR="$TEST_TMP"

# Runs "$@" inside a fresh D-Bus session whose Secret Service is a gnome-keyring-daemon with an unlocked login
# keyring. The daemon is not started by hand but by D-Bus activation, through this run's own service file, which
# unlocks the keyring with the test password: should the daemon exit mid-run (a CI run lost it partway through the
# vitest suite), D-Bus starts it again unlocked on the same keyring file, instead of Debian's service, whose daemon
# finds the keyring locked and fails every later keyring test with "unlock prompt was dismissed". Every start is
# logged, and more than one is reported at the end. The daemon has its own control directory, so it can never hand
# its password to another suite's daemon that is still exiting.
with_keyring() {
  local dir status=0 starts
  dir="$(mktemp -d)"
  mkdir -p "$dir/services" "$dir/data" "$dir/control"
  chmod 700 "$dir/control"
  cat >"$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$dir/services</servicedir>
  <standard_session_servicedirs/>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <!-- The limits of Debian's session.conf: without them dbus-daemon applies its much lower built-in ones. -->
  <limit name="max_incoming_bytes">1000000000</limit>
  <limit name="max_outgoing_bytes">1000000000</limit>
  <limit name="max_message_size">1000000000</limit>
  <limit name="service_start_timeout">120000</limit>
  <limit name="auth_timeout">240000</limit>
  <limit name="max_completed_connections">100000</limit>
  <limit name="max_incomplete_connections">10000</limit>
  <limit name="max_connections_per_user">100000</limit>
  <limit name="max_pending_service_starts">10000</limit>
  <limit name="max_names_per_connection">50000</limit>
  <limit name="max_match_rules_per_connection">50000</limit>
  <limit name="max_replies_per_connection">50000</limit>
</busconfig>
CONF
  cat >"$dir/keyring-daemon" <<DAEMON
#!/bin/sh
echo "started \$(date +%T.%N)" >>"$dir/starts"
printf testpw | exec gnome-keyring-daemon --foreground --unlock --components=secrets \\
  --control-directory "$dir/control" 2>>"$dir/daemon.log"
DAEMON
  chmod +x "$dir/keyring-daemon"
  printf '[D-BUS Service]\nName=org.freedesktop.secrets\nExec=%s\n' "$dir/keyring-daemon" \
    >"$dir/services/org.freedesktop.secrets.service"

  XDG_DATA_HOME="$dir/data" KEYRING_DIR="$dir" dbus-run-session --config-file="$dir/bus.conf" -- bash -c '
    set -euo pipefail
    if ! gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.StartServiceByName org.freedesktop.secrets 0 >/dev/null; then
      echo "scripts/test.sh: D-Bus could not start the test keyring daemon" >&2
      exit 1
    fi
    status=0
    "$@" || status=$?
    pkill -f -- "--control-directory $KEYRING_DIR/control" || true
    exit $status
  ' _ "$@" || status=$?

  starts="$(wc -l <"$dir/starts" 2>/dev/null || echo 0)"
  if [ "$starts" -gt 1 ]; then
    echo "scripts/test.sh: the test keyring daemon was started $starts times; D-Bus restarted it unlocked:" >&2
    cat "$dir/starts" "$dir/daemon.log" >&2 || true
  fi
  rm -rf "$dir"
  return $status
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
    with_keyring npx playwright test --reporter=list,json "$@" || status=$?
fi
node scripts/test-summary.mjs "$PASSKEY_DESK_TEST_RESULTS"
exit $status
