#!/usr/bin/env bash
# Calls in flight against a loopback OpenAI-compatible server that answers after LATENCY_MS (default 200 ms) with the
# simulated recommender (samples/SimulatedModelServer): for each concurrency (CONCURRENCY, default "8 32 64") it runs the
# quick start (RPP only, no response cache, small sizes, max(ENVIRONMENTS, concurrency) training episodes per
# iteration so that a rollout can fill the calls in flight) and reads calls-by-phase.csv. Per phase it prints the calls
# per second, that as a fraction of concurrency / latency, and the share of the phase's wall time in which no call
# was in flight (the trainer's own work, or waiting on the slowest call of a batch).
#
#   samples/QuickStart/scripts/throughput.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=${1:-/tmp/promptkit-throughput}
LATENCY_MS=${LATENCY_MS:-200}
CONCURRENCY=${CONCURRENCY:-"8 32 64"}
PORT=${PORT:-5181}
USERS=${USERS:-"--train-users 40 --validation-users 0 --test-users 40"}
ENVIRONMENTS=${ENVIRONMENTS:-32} # training episodes per iteration: the larger of this and the concurrency
FLAGS=${FLAGS:-"--fixed 8 --coordinate-starts 1 --iterations 5 --episode 5 --no-refine"}

dotnet build samples/QuickStart -c Release -v quiet -nologo > /dev/null
dotnet build samples/SimulatedModelServer -c Release -v quiet -nologo > /dev/null
mkdir -p "$OUT"
# shellcheck disable=SC2086
dotnet run --project samples/SimulatedModelServer -c Release --no-build -- --port "$PORT" --latency-ms "$LATENCY_MS" $USERS > "$OUT/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2> /dev/null || true' EXIT
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$PORT/stats" > /dev/null && break; sleep 0.2; done

echo "load average before: $(cat /proc/loadavg)" | tee "$OUT/summary.txt"
printf '%-12s %-22s %8s %9s %10s %12s\n' concurrency phase calls "calls/s" "fraction" "no call" | tee -a "$OUT/summary.txt"
for c in $CONCURRENCY; do
  dir="$OUT/c$c"
  rm -rf "$dir"
  # shellcheck disable=SC2086
  dotnet run --project samples/QuickStart -c Release --no-build -- $USERS $FLAGS --endpoint "http://127.0.0.1:$PORT/v1" \
    --model simulated --concurrency "$c" --environments "$(( c > ENVIRONMENTS ? c : ENVIRONMENTS ))" --cache none --yes \
    --out "$dir" < /dev/null > "$OUT/c$c.log" 2>&1
  awk -F, -v c="$c" -v lat="$LATENCY_MS" 'NR > 1 && $2 > 0 {
      rate = $2 / $3; printf "%-12s %-22s %8d %9.1f %10.2f %11.1f%%\n", c, $1, $2, rate, rate / (c * 1000 / lat), 100 * (1 - $4 / $3) }' \
    "$dir/calls-by-phase.csv" | tee -a "$OUT/summary.txt"
done
echo "load average after: $(cat /proc/loadavg)" | tee -a "$OUT/summary.txt"
curl -s "http://127.0.0.1:$PORT/stats" | tee -a "$OUT/summary.txt"; echo
