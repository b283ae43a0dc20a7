#!/usr/bin/env bash
# Starts api_server and, when TELEGRAM_BOT_TOKEN is set, telegram_bot, on the embedded defaults.
# Ctrl-C (or SIGTERM) stops both cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] && set -a && . ./.env && set +a

pids=()
stop() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; }
trap stop INT TERM

./target/debug/api_server &
pids+=($!)
if [ -n "${TELEGRAM_BOT_TOKEN:-}" ]; then
  ./target/debug/telegram_bot &
  pids+=($!)
else
  echo "TELEGRAM_BOT_TOKEN is not set: the Telegram bot is not started (the rest runs). See README, 'The bot'."
fi
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
exit "$status"
