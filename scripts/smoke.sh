#!/usr/bin/env bash
# Smoke test: starts the system exactly as the README says (`make run`) with the bot configured
# against the fake Telegram Bot API, on a fresh database (so both services migrate it at once),
# waits for /readyz and the bot, logs in, creates a slot, has a candidate say /start, stops it
# with SIGTERM, and checks the exit codes and that nothing logged an error or a warning. Uses its
# own SQLite file and ports; no broker.
set -euo pipefail
cd "$(dirname "$0")/.."

bin_dir="${CARGO_TARGET_DIR:-target}/debug"
tmp=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
fake_port=$(free_port)
export DATABASE_URL="sqlite:$tmp/smoke.db" API_ADDR="127.0.0.1:$port" ADMIN_USERNAME=smoke ADMIN_PASSWORD=smoke-tundra-violin-58
export TELEGRAM_BOT_TOKEN=123456:SMOKE TELEGRAM_API_URL="http://127.0.0.1:$fake_port" CONTACT_USERNAME=hr_team
export LOG_FORMAT=text RUST_LOG=info
unset RABBITMQ_URL || true
base="http://127.0.0.1:$port"
fake="http://127.0.0.1:$fake_port"
log="$tmp/run.log"

fail() { echo "SMOKE FAILED: $*" >&2; echo "--- log ---" >&2; cat "$log" >&2; exit 1; }

# The fake Bot API server the bot talks to instead of Telegram.
cargo build --quiet --workspace --all-targets
"$bin_dir/fake_telegram" --addr "127.0.0.1:$fake_port" > "$tmp/fake.log" 2>&1 &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "$fake/_control/stats" >/dev/null 2>&1 && break; sleep 0.1; done

make run > "$log" 2>&1 &
make_pid=$!

for _ in $(seq 1 300); do
  if curl -fsS "$base/readyz" > "$tmp/ready.json" 2>/dev/null; then break; fi
  kill -0 "$make_pid" 2>/dev/null || fail "make run exited before /readyz answered"
  sleep 1
done
grep -q '"status":"ok"' "$tmp/ready.json" || fail "/readyz did not answer ok"
for _ in $(seq 1 100); do grep -q "telegram_bot started" "$log" && break; sleep 0.2; done
grep -q "telegram_bot started" "$log" || fail "the bot did not start"

curl -fsS -c "$tmp/cookies" -H 'content-type: application/json' \
  -d '{"username":"smoke","password":"smoke-tundra-violin-58"}' "$base/api/auth/login" > /dev/null || fail "login"
starts=$(date -u -d '+3 days' +%Y-%m-%dT10:00:00Z)
code=$(curl -sS -o "$tmp/slot.json" -w '%{http_code}' -b "$tmp/cookies" -H 'content-type: application/json' \
  -d "{\"starts_at\":\"$starts\",\"duration_minutes\":30}" "$base/api/slots")
[ "$code" = 201 ] || fail "creating a slot answered $code: $(cat "$tmp/slot.json")"
curl -fsS -b "$tmp/cookies" "$base/api/slots?from=$(date -u +%Y-%m-%dT00:00:00Z)" | grep -q "\"starts_at\":\"$starts\"" \
  || fail "the slot is not listed"

# A candidate writes /start; the bot answers through the fake.
curl -fsS -H 'content-type: application/json' -d '{"user":{"id":77,"first_name":"Smoke"},"text":"/start"}' \
  "$fake/_control/message" > /dev/null || fail "could not send /start to the fake"
for _ in $(seq 1 100); do
  curl -fsS "$fake/_control/sent?chat_id=77" | grep -q '"text"' && break
  sleep 0.1
done
curl -fsS "$fake/_control/sent?chat_id=77" | grep -q '"text"' || fail "the bot did not answer /start"

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
grep -q "telegram_bot exited with status 0" "$log" || fail "telegram_bot did not exit with 0"
grep -q "telegram_bot stopped cleanly" "$log" || fail "telegram_bot did not log a clean stop"
if grep -E ' ERROR | WARN ' "$log"; then fail "errors or warnings were logged"; fi
echo "smoke test passed: make run (API + bot) -> /readyz -> login -> slot -> /start answered -> SIGTERM -> exit 0, no errors logged"
rm -rf "$tmp"
