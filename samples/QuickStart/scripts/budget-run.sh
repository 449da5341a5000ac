#!/usr/bin/env bash
# The quick start's budget preset against a loopback OpenAI-compatible server that answers after LATENCY_MS (default
# 200 ms) with the simulated recommender (samples/SimulatedModelServer), in three parts:
#   1. run:    --preset budget into OUT/run (response cache: OUT/run/response-cache.sqlite, the default for an endpoint)
#   2. rerun:  the same run into OUT/rerun, reading the first run's cache file (every answer should be a hit)
#   3. resume: the same run into OUT/resume stopped by --max-calls STOP_AT (default 12000), then run again there
#              without the cap: it resumes from the checkpoint, and the cache answers what the stopped run asked
# Each part's log holds the "Model calls ..., cache hits ..." and "Calls by phase" lines, and its wall time.
#
#   samples/QuickStart/scripts/budget-run.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=${1:-/tmp/promptkit-budget}
LATENCY_MS=${LATENCY_MS:-200}
CONCURRENCY=${CONCURRENCY:-32}
PORT=${PORT:-5182}
STOP_AT=${STOP_AT:-12000}
RUN="--preset budget --split-seed 1 --seed 1"

dotnet build samples/QuickStart -c Release -v quiet -nologo > /dev/null
dotnet build samples/SimulatedModelServer -c Release -v quiet -nologo > /dev/null
rm -rf "$OUT"; mkdir -p "$OUT"
# shellcheck disable=SC2086
dotnet run --project samples/SimulatedModelServer -c Release --no-build -- --port "$PORT" --latency-ms "$LATENCY_MS" $RUN > "$OUT/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2> /dev/null || true' EXIT
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$PORT/stats" > /dev/null && break; sleep 0.2; done

quick() { # name, extra flags...
  local name=$1; shift
  local start; start=$(date +%s.%N)
  local rc=0
  # shellcheck disable=SC2086
  dotnet run --project samples/QuickStart -c Release --no-build -- $RUN --endpoint "http://127.0.0.1:$PORT/v1" --model simulated \
    --concurrency "$CONCURRENCY" "$@" < /dev/null > "$OUT/$name.log" 2>&1 || rc=$?
  printf '%s: exit %d, %.1f s wall; load %s\n' "$name" "$rc" "$(echo "$(date +%s.%N) - $start" | bc)" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
  grep -h -A1 "^Model calls\|^Budget:" "$OUT/$name.log" | tr '\n' ' ' | tee -a "$OUT/summary.txt"; echo | tee -a "$OUT/summary.txt"
}

quick run --yes --out "$OUT/run"
quick rerun --yes --out "$OUT/rerun" --cache "$OUT/run/response-cache.sqlite"
quick stopped --max-calls "$STOP_AT" --out "$OUT/resume"
cat "$OUT/resume/run-status.txt" | tee -a "$OUT/summary.txt"
quick resumed --yes --out "$OUT/resume"
for part in rerun resume; do
  if cmp -s "$OUT/run/results.csv" "$OUT/$part/results.csv"; then echo "$part: results.csv identical to the run's" | tee -a "$OUT/summary.txt"
  else echo "$part: results.csv DIFFERS from the run's" | tee -a "$OUT/summary.txt"; fi
done
curl -s "http://127.0.0.1:$PORT/stats" | tee -a "$OUT/summary.txt"; echo
