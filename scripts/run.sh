#!/usr/bin/env bash
# `make run`: the whole system on one host with its embedded defaults (SQLite file, embedded
# queue unless RABBITMQ_URL is set). Builds the admin panel when it is missing or stale, starts
# api_server (which applies the migrations and serves the panel) and, when TELEGRAM_BOT_TOKEN is
# set, telegram_bot. Ctrl-C or SIGTERM stops both cleanly; the exit status is the first failure.
set -uo pipefail
cd "$(dirname "$0")/.."

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

pids=()
names=()
stop() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
}
trap stop INT TERM

./target/debug/api_server &
pids+=($!)
names+=(api_server)
if [ -n "$(env_or_dotenv TELEGRAM_BOT_TOKEN)" ]; then
  ./target/debug/telegram_bot &
  pids+=($!)
  names+=(telegram_bot)
else
  echo "TELEGRAM_BOT_TOKEN is not set: the Telegram bot is not started (the API and the panel run). See README, 'The bot'."
fi
if [ -z "$(env_or_dotenv ADMIN_USERNAME)" ]; then
  echo "No ADMIN_USERNAME/ADMIN_PASSWORD set: create an admin with './target/debug/api_server admin add <name>' to log in."
fi

status=0
for i in "${!pids[@]}"; do
  pid=${pids[$i]}
  while :; do
    rc=0
    wait "$pid" || rc=$?
    # A trapped signal interrupts `wait` (status > 128) while the child is still stopping.
    if [ "$rc" -gt 128 ] && kill -0 "$pid" 2>/dev/null; then continue; fi
    break
  done
  echo "${names[$i]} exited with status $rc"
  # Once one service stops, stop the others too.
  stop
  [ "$status" -eq 0 ] && status=$rc
done
exit "$status"
