#!/usr/bin/env bash
# `make run`: the whole system on one host with its embedded defaults (SQLite file, embedded
# queue unless RABBITMQ_URL is set). Builds the admin panel when it is missing or stale, starts
# api_server (which applies the migrations and serves the panel) and, when TELEGRAM_BOT_TOKEN is
# set, telegram_bot; both may migrate a fresh database at once (they take turns under its lock).
# Ctrl-C or SIGTERM stops both cleanly (exit 0). When one service dies on its own, the other is
# stopped too and the exit status is the dead one's (1 if it exited 0 unasked).
set -uo pipefail
cd "$(dirname "$0")/.."

# The binaries `cargo build` wrote: under CARGO_TARGET_DIR when it is set.
bin_dir="${CARGO_TARGET_DIR:-target}/debug"

# The environment wins over .env (the services read .env themselves, through dotenvy).
env_or_dotenv() {
  local name=$1
  if [ -n "${!name:-}" ]; then printf '%s' "${!name}"; return; fi
  [ -f .env ] && sed -n "s/^${name}=//p" .env | tail -n 1 | tr -d '"'"'"
}

if [ -f admin-panel/package.json ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is not installed: the admin panel is not built; the API still runs (see /api/docs)."
  elif [ ! -f admin-panel/dist/index.html ] || [ -n "$(find admin-panel/src admin-panel/index.html admin-panel/package.json -newer admin-panel/dist/index.html 2>/dev/null | head -n 1)" ]; then
    echo "Building the admin panel..."
    (cd admin-panel && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build) || {
      echo "The admin panel failed to build; the API still runs (see /api/docs)." >&2
    }
  fi
fi

declare -A names=()
stopping=0
stop() {
  stopping=1
  for pid in "${!names[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
}
trap stop INT TERM

"$bin_dir/api_server" &
names[$!]=api_server
if [ -n "$(env_or_dotenv TELEGRAM_BOT_TOKEN)" ]; then
  "$bin_dir/telegram_bot" &
  names[$!]=telegram_bot
else
  echo "TELEGRAM_BOT_TOKEN is not set: the Telegram bot is not started (the API and the panel run). See README, 'The bot'."
fi
if [ -z "$(env_or_dotenv ADMIN_USERNAME)" ]; then
  echo "No ADMIN_USERNAME/ADMIN_PASSWORD set: create an admin with './target/debug/api_server admin add <name>' to log in."
fi

status=0
while [ "${#names[@]}" -gt 0 ]; do
  done_pid=
  rc=0
  wait -n -p done_pid "${!names[@]}" || rc=$?
  # A trapped signal interrupts `wait` (no pid reported) while the children are still stopping.
  [ -n "${done_pid:-}" ] || continue
  name=${names[$done_pid]}
  unset "names[$done_pid]"
  echo "$name exited with status $rc"
  if [ "$stopping" -eq 0 ]; then
    # Died on its own: stop the other service, and report the failure.
    echo "$name stopped unexpectedly; stopping the other services" >&2
    [ "$rc" -eq 0 ] && rc=1
    stop
  fi
  [ "$status" -eq 0 ] && status=$rc
done
exit "$status"
