#!/usr/bin/env bash
# Fuzzes one PromptKit target with afl++ and SharpFuzz, then prints one line of statistics.
#   scripts/fuzz.sh <target> <seconds> [--add-to-corpus N]
# Targets: ranking, render, bleu13a, bleuintl, rouge, chrf (tests/PromptKit.Fuzzing/FuzzTargets.cs).
# Needs afl++ (`apt-get install afl++`) and the SharpFuzz instrumentation tool pinned in .config/dotnet-tools.json
# (`dotnet tool restore`). The work folder is $FUZZ_WORK (default /tmp/promptkit-fuzz); findings stay there:
# crashes under <work>/findings/<target>/default/crashes. With --add-to-corpus N, the N smallest new queue entries are
# copied into tests/PromptKit.Fuzzing/corpus/<target>, which PromptKit.Tests replays on every run (FuzzCorpusTests).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?target}; seconds=${2:?seconds}; add=0
if [ "${3:-}" = "--add-to-corpus" ]; then add=${4:?count}; fi
work=${FUZZ_WORK:-/tmp/promptkit-fuzz}
bin="$work/bin-$target"

command -v afl-fuzz > /dev/null || { echo "afl-fuzz is not installed (apt-get install afl++)." >&2; exit 2; }
dotnet tool restore > /dev/null
dotnet build tests/PromptKit.Fuzzing/PromptKit.Fuzzing.csproj -c Release -o "$bin" > "$work.build.log" 2>&1 || { cat "$work.build.log" >&2; exit 1; }
# Instrument only the library under test (afl coverage of PromptKit.dll's branches), in place in the copy.
dotnet sharpfuzz "$bin/PromptKit.dll" > /dev/null

rm -rf "$work/findings/$target"; mkdir -p "$work/findings"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
export DOTNET_TieredPGO=0
nice -n 10 afl-fuzz -i "tests/PromptKit.Fuzzing/corpus/$target" -o "$work/findings/$target" -V "$seconds" -t 10000 -m none \
  -- dotnet "$bin/PromptKit.Fuzzing.dll" "$target" > "$work/findings/$target.log" 2>&1 || true

stats="$work/findings/$target/default/fuzzer_stats"
[ -f "$stats" ] || { echo "afl-fuzz did not start; see $work/findings/$target.log" >&2; tail -20 "$work/findings/$target.log" >&2; exit 1; }
get() { sed -n "s/^$1 *: *//p" "$stats"; }
crashes=$(find "$work/findings/$target/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
hangs=$(find "$work/findings/$target/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
echo "target=$target seconds=$(get run_time) execs=$(get execs_done) execs_per_sec=$(get execs_per_sec) corpus=$(get corpus_count) edges=$(get edges_found) crashes=$crashes hangs=$hangs"

if [ "$add" -gt 0 ]; then
  # The smallest new inputs afl kept (orig: are the seeds already committed).
  find "$work/findings/$target/default/queue" -maxdepth 1 -type f -name 'id:*' ! -name '*orig:*' -printf '%s %p\n' | sort -n | head -n "$add" |
    while read -r _ file; do cp "$file" "tests/PromptKit.Fuzzing/corpus/$target/afl-$(basename "$file" | cut -c4-9)"; done
fi
