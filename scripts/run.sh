#!/usr/bin/env bash
# The main job, through the same path as the cloud: Azurite on loopback, the timer's tick (one queue
# message per symbol), the queue worker draining the queue into the leased blob database, then the
# coverage table.
#
#   scripts/run.sh               against Blofin (https://openapi.blofin.com)
#   scripts/run.sh --simulated   against the project's Blofin simulator on loopback (no internet needed)
#   scripts/run.sh --fresh ...   start from an empty database
#
# Azurite keeps its data in ./data/azurite (./data/azurite-simulated for --simulated), so a second
# run only fetches what is missing. Settings come from the environment like the Functions app's:
# e.g. Backfill__Symbols=BTC-USDT,ETH-USDT Backfill__LookbackHours=24 scripts/run.sh --simulated
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=lib/azurite.sh
. "$root/scripts/lib/azurite.sh"

simulated=false fresh=false
for arg in "$@"; do
  case "$arg" in
    --simulated) simulated=true ;;
    --fresh) fresh=true ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "Unknown argument '$arg' (expected --simulated, --fresh)" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
sim_pid=
sim_log=$(mktemp -t blofin-simulator.XXXXXX)
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  rm -f "$sim_log"
  azurite_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_node_modules "$root"
echo "Building..." >&2
dotnet build src/Cli -c Release --nologo -v quiet >&2
cli=(dotnet "$root/src/Cli/bin/Release/net10.0/blofin-backfill.dll")

data_dir="$root/data/azurite"
if $simulated; then data_dir="$root/data/azurite-simulated"; fi
if $fresh; then rm -rf "$data_dir"; fi
mkdir -p "$data_dir"
AZURITE_LOCATION="$data_dir" azurite_start "$root"
export AzureWebJobsStorage="$AZURITE_CONNECTION_STRING"

if $simulated; then
  dotnet build tests/Simulator -c Release --nologo -v quiet >&2
  dotnet "$root/tests/Simulator/bin/Release/net10.0/Blofin.Simulator.dll" --port 0 >"$sim_log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 1 300); do
    grep -q '^Listening on ' "$sim_log" && break
    kill -0 "$sim_pid" 2>/dev/null || { cat "$sim_log" >&2; exit 1; }
    sleep 0.1
  done
  url=$(grep -m1 '^Listening on ' "$sim_log" | awk '{print $3}')
  [ -n "$url" ] || { echo "The simulator did not start; its output:" >&2; cat "$sim_log" >&2; exit 1; }
  export Blofin__BaseUrl="$url"
  echo "Blofin simulator on $url" >&2
fi

# The timer's messages are spread over Backfill:EnqueueSpread in the cloud; here nobody waits for that.
export Backfill__EnqueueSpread="${Backfill__EnqueueSpread:-00:00:00}"
"${cli[@]}" tick
"${cli[@]}" work --until-empty
"${cli[@]}" coverage --blob
