#!/usr/bin/env bash
# Smoke test: starts the system exactly as the README says (`make run`), waits for /readyz, logs
# in, creates a slot, stops it with SIGTERM, and checks the exit codes and that nothing logged
# an error. Uses its own SQLite file and port; no bot token, no broker.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite:$tmp/smoke.db" API_ADDR="127.0.0.1:$port" ADMIN_USERNAME=smoke ADMIN_PASSWORD=smoke-tundra-violin-58
export LOG_FORMAT=text RUST_LOG=info
unset TELEGRAM_BOT_TOKEN RABBITMQ_URL || true
base="http://127.0.0.1:$port"
log="$tmp/run.log"

fail() { echo "SMOKE FAILED: $*" >&2; echo "--- log ---" >&2; cat "$log" >&2; exit 1; }

make run > "$log" 2>&1 &
make_pid=$!

for _ in $(seq 1 300); do
  if curl -fsS "$base/readyz" > "$tmp/ready.json" 2>/dev/null; then break; fi
  kill -0 "$make_pid" 2>/dev/null || fail "make run exited before /readyz answered"
  sleep 1
done
grep -q '"status":"ok"' "$tmp/ready.json" || fail "/readyz did not answer ok"

curl -fsS -c "$tmp/cookies" -H 'content-type: application/json' \
  -d '{"username":"smoke","password":"smoke-tundra-violin-58"}' "$base/api/auth/login" > /dev/null || fail "login"
starts=$(date -u -d '+3 days' +%Y-%m-%dT10:00:00Z)
code=$(curl -sS -o "$tmp/slot.json" -w '%{http_code}' -b "$tmp/cookies" -H 'content-type: application/json' \
  -d "{\"starts_at\":\"$starts\",\"duration_minutes\":30}" "$base/api/slots")
[ "$code" = 201 ] || fail "creating a slot answered $code: $(cat "$tmp/slot.json")"
curl -fsS -b "$tmp/cookies" "$base/api/slots?from=$(date -u +%Y-%m-%dT00:00:00Z)" | grep -q "\"starts_at\":\"$starts\"" \
  || fail "the slot is not listed"

# SIGTERM to the run script (as a process manager would), which stops every service.
run_pid=$(pgrep -f 'scripts/run.sh' -P "$make_pid" || true)
[ -n "$run_pid" ] || fail "cannot find the run script under make"
kill -TERM "$run_pid"
rc=0
timeout 30 tail --pid="$make_pid" -f /dev/null || fail "did not stop within 30 s of SIGTERM"
wait "$make_pid" || rc=$?
[ "$rc" -eq 0 ] || fail "make run exited with $rc"
grep -q "api_server exited with status 0" "$log" || fail "api_server did not exit with 0"
grep -q "api_server stopped cleanly" "$log" || fail "api_server did not log a clean stop"
if grep -E ' ERROR | WARN ' "$log"; then fail "errors or warnings were logged"; fi
echo "smoke test passed: make run -> /readyz -> login -> slot -> SIGTERM -> exit 0, no errors logged"
rm -rf "$tmp"
