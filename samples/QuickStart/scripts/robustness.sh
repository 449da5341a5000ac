#!/usr/bin/env bash
# RPP / RPP+ under the fair default simulator and its three variants, over training seeds and user splits.
#
#   samples/QuickStart/scripts/robustness.sh [OUT_DIR]
#
# For each simulator variant (VARIANTS) it runs the quick start on split seed S1 (the first of SPLITS) with every
# training seed of SEEDS (same users, different networks and sampling), and on every other split seed with the first
# training seed (other users); 5 runs per variant with the defaults. Every run writes OUT_DIR/<variant>/split<S>-seed<T>/
# results.csv and log.txt; a finished run is not repeated. Then it writes OUT_DIR/summary.md: per variant and method the
# mean NDCG@10 and spread (max - min) over the seeds, over the splits, the unparsed rate, and RPP's and RPP+'s margin over
# the best fixed prompt with a verdict ("beats" only when every run's margin is positive and the mean margin exceeds the
# spread of the method and of the best fixed prompt).
#
# Environment: VARIANTS (default "default constants traits vocabulary"), SPLITS ("1 2 3"), SEEDS ("1 2 3"), FLAGS (the
# quick-start flags of every run; default a reduced grid that fits about 20 minutes on two cores).
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=${1:-rpp-robustness}
VARIANTS=${VARIANTS:-"default constants traits vocabulary"}
SPLITS=${SPLITS:-"1 2 3"}
SEEDS=${SEEDS:-"1 2 3"}
FLAGS=${FLAGS:-"--train-users 150 --validation-users 50 --test-users 150 --iterations 60 --episode 5 --fixed 16 --validate-every 10"}
read -r -a split_list <<< "$SPLITS"
read -r -a seed_list <<< "$SEEDS"

dotnet build samples/QuickStart -c Release -v quiet -nologo
mkdir -p "$OUT"
echo "$FLAGS" > "$OUT/flags.txt"
for variant in $VARIANTS; do
  for split in "${split_list[@]}"; do
    seeds=("${seed_list[0]}")
    if [[ "$split" == "${split_list[0]}" ]]; then seeds=("${seed_list[@]}"); fi
    for seed in "${seeds[@]}"; do
      dir="$OUT/$variant/split$split-seed$seed"
      if [[ -f "$dir/results.csv" ]]; then continue; fi
      mkdir -p "$dir"
      echo "$(date +%T) $variant split $split seed $seed"
      # shellcheck disable=SC2086
      dotnet run --project samples/QuickStart -c Release --no-build -- $FLAGS \
        --simulator "$variant" --split-seed "$split" --seed "$seed" --out "$dir" > "$dir/log.txt" 2>&1
    done
  done
done

python3 - "$OUT" "${split_list[0]}" "${seed_list[0]}" "$VARIANTS" <<'PY'
import csv, os, statistics, sys
out, s1, t1, variants = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split()
methods = ["Popularity", "Item-kNN", "Random prompt", "Best fixed prompt", "Per-user enumeration (oracle)", "RPP", "RPP+"]
def load(path):
    with open(path) as f:
        return {r["method"]: r for r in csv.DictReader(f)}
lines = ["# RPP / RPP+ robustness (SIMULATED recommender)", "", f"Quick-start flags of every run: `{open(os.path.join(out, 'flags.txt')).read().strip()}`", ""]
verdicts = []
for v in variants:
    root = os.path.join(out, v)
    runs = {d: load(os.path.join(root, d, "results.csv")) for d in sorted(os.listdir(root)) if os.path.isfile(os.path.join(root, d, "results.csv"))}
    seeds = {d: r for d, r in runs.items() if d.startswith(f"split{s1}-")}
    splits = {d: r for d, r in runs.items() if d.endswith(f"-seed{t1}")}
    lines += [f"## Simulator `{v}`", "", f"Seeds: {', '.join(seeds)}; splits: {', '.join(splits)}.", "",
              "| method | NDCG@10 mean (3 seeds) | spread | NDCG@10 mean (3 splits) | spread | unparsed |", "|---|---|---|---|---|---|"]
    def col(group, m): return [float(r[m]["ndcg10"]) for r in group.values() if m in r]
    for m in methods:
        a, b = col(seeds, m), col(splits, m)
        if not a: continue
        unparsed = statistics.mean(float(r[m]["unparsed"]) for r in runs.values() if m in r)
        lines.append(f"| {m} | {statistics.mean(a):.4f} | {max(a)-min(a):.4f} | {statistics.mean(b):.4f} | {max(b)-min(b):.4f} | {unparsed:.1%} |")
    lines.append("")
    for m in ["RPP", "RPP+"]:
        for name, group in (("seeds", seeds), ("splits", splits)):
            margins = [float(r[m]["ndcg10"]) - float(r["Best fixed prompt"]["ndcg10"]) for r in group.values() if m in r]
            if not margins: continue
            spread = max(max(col(group, m)) - min(col(group, m)), max(col(group, "Best fixed prompt")) - min(col(group, "Best fixed prompt")))
            mean = statistics.mean(margins)
            verdict = "beats the best fixed prompt" if min(margins) > 0 and mean > spread else ("below the best fixed prompt" if max(margins) < 0 and -mean > spread else "within the spread")
            lines.append(f"- {m} − best fixed prompt over the {name}: mean {mean:+.4f} (runs {', '.join(f'{x:+.4f}' for x in margins)}), spread {spread:.4f}: **{verdict}**")
            verdicts.append((v, m, name, verdict))
    lines.append("")
lines += ["## Verdicts", "", "| simulator | method | over | verdict |", "|---|---|---|---|"] + [f"| {v} | {m} | {n} | {x} |" for v, m, n, x in verdicts]
open(os.path.join(out, "summary.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
