#!/usr/bin/env bash
# Runs every test of the solution against a throw-away Azurite on loopback.
# Extra arguments go to `dotnet test` (e.g. scripts/test.sh --filter Category=Soak).
# Ends with one line summing every test project: "N passed, N failed, N skipped".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=lib/azurite.sh
. "$root/scripts/lib/azurite.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results=$(mktemp -d -t blofin-test.XXXXXX)
cleanup() { azurite_stop; rm -rf "$results"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_node_modules "$root"
bash "$root/scripts/lib/bicep.sh" # infra/: every Bicep file builds and lints with zero warnings
echo "Restoring and building..." >&2
dotnet restore Blofin.sln --nologo -v quiet
dotnet build Blofin.sln --no-restore --nologo -v quiet -c Release

azurite_start "$root"

status=0
test_args=(--no-build -c Release --nologo --blame-hang-timeout 5m --logger trx --results-directory "$results")
if [ $# -eq 0 ]; then
  # The soak (tests/Soak.Tests) drives worker processes against a deadline of its own; it runs alone, after the
  # other projects, so that on a 2-core machine it does not share the cores with them (dotnet test runs the
  # projects of a solution at the same time).
  dotnet test Blofin.sln "${test_args[@]}" --filter "Category!=Soak" || status=$?
  echo "Soak test (tests/Soak.Tests, alone)..." >&2
  dotnet test tests/Soak.Tests "${test_args[@]}" || status=$?
else
  dotnet test Blofin.sln "${test_args[@]}" "$@" || status=$?
fi

# Smoke run of the benchmark (bench/, docs/PERFORMANCE.md): every scenario shrunk (--quick, about a minute),
# against the same Azurite; it exits non-zero when a request count is wrong (8 per symbol from empty, 1 per
# symbol on a steady tick, the optimal count for gap repair) or the exchange answered 429/403. Timings are
# printed, never checked. It runs before the summary, which stays the last line.
echo "Benchmark smoke run (bench --quick)..." >&2
timeout 600 dotnet run --project bench -c Release --no-build -- --quick || { echo "The benchmark smoke run failed." >&2; status=1; }

# Every test project writes one TRX file; its <Counters> element holds the project's totals
# (a skipped test is counted in total but not in executed).
summary=$(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
  {
    for (i = 1; i <= NF; i++) {
      split($i, kv, "=")
      gsub(/[^0-9]/, "", kv[2])
      if (kv[1] == "passed") p += kv[2]
      if (kv[1] == "failed") f += kv[2]
      if (kv[1] == "error") f += kv[2]
      if (kv[1] == "timeout") f += kv[2]
      if (kv[1] == "aborted") f += kv[2]
      if (kv[1] == "total") t += kv[2]
      if (kv[1] == "executed") e += kv[2]
    }
  }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, t - e }')
echo
echo "$summary"
exit "$status"
