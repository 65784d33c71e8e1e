#!/usr/bin/env bash
# Start the Microsoft 365 Agents Playground (npm @microsoft/m365agentsplayground, pinned in
# package.json) against a locally running Klussenbank, and print the URL to open.
#
#   BOT_PORT          port of `klussenbank serve` (default 3978)
#   BOT_ENDPOINT      full messaging endpoint (default http://127.0.0.1:$BOT_PORT/api/messages)
#   PLAYGROUND_PORT   port of the Playground web client (default 56150, the Playground's own)
#
# The mock tenant (users, chat ids) is .m365agentsplayground.yml in the repository root; set
# M365_AGENTS_PLAYGROUND_CONFIG_PATH to use another file. The Playground keeps its log in
# var/agentsplayground.log (M365_AGENTS_PLAYGROUND_LOGFILE overrides).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BOT_PORT="${BOT_PORT:-3978}"
BOT_ENDPOINT="${BOT_ENDPOINT:-http://127.0.0.1:${BOT_PORT}/api/messages}"
PLAYGROUND_PORT="${PLAYGROUND_PORT:-56150}"
PLAYGROUND="$ROOT/node_modules/.bin/agentsplayground"

if [[ ! -x "$PLAYGROUND" ]]; then
  echo "The Agents Playground is not installed: run 'npm ci' (or 'make playground') first." >&2
  exit 1
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The Playground silently moves to a random port when its port is taken; fail clearly instead,
# so the URL printed below is the right one.
if port_in_use "$PLAYGROUND_PORT"; then
  echo "Port $PLAYGROUND_PORT is already in use (another Playground?). Stop it, or pick another:" >&2
  echo "  PLAYGROUND_PORT=56151 $0" >&2
  exit 1
fi

bot_hostport="${BOT_ENDPOINT#*://}"
bot_hostport="${bot_hostport%%/*}"
bot_host="${bot_hostport%:*}"
bot_port="${bot_hostport##*:}"
if [[ "$bot_host" == "127.0.0.1" || "$bot_host" == "localhost" ]] && ! port_in_use "$bot_port"; then
  echo "Note: nothing answers on $BOT_ENDPOINT yet. Start the bot in another terminal: make run" >&2
fi

mkdir -p "$ROOT/var"
export TEAMSAPPTESTER_BROWSER=none # never try to open a browser from here
export M365_AGENTS_PLAYGROUND_LOGFILE="${M365_AGENTS_PLAYGROUND_LOGFILE:-$ROOT/var/agentsplayground.log}"

echo "Agents Playground for $BOT_ENDPOINT"
echo "Open http://127.0.0.1:${PLAYGROUND_PORT}/ in your browser (Ctrl+C here to stop)."
exec "$PLAYGROUND" --app-endpoint "$BOT_ENDPOINT" --channel-id msteams --port "$PLAYGROUND_PORT" \
  --disable-telemetry
