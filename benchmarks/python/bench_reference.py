"""Times the reference metric libraries and PromptKit back to back, on the exact inputs of PromptKit.Benchmarks.

References: sacrebleu 2.6.0 (BLEU, chrF), rouge-score 0.1.2 (ROUGE-1/2/L, with and without its Porter stemmer),
scikit-learn (ndcg_score) and a vectorized NumPy NDCG@k (stable argsort). Give the folder that holds the released
sacrebleu and rouge-score sources with --refs (or PK_REFS); scikit-learn and NumPy come from the interpreter.

Export the inputs first and build the benchmarks (from the repository root):
    dotnet run -c Release --project benchmarks/PromptKit.Benchmarks -- --export-data /tmp/pk-bench-data
then run (all cases, or name some):
    /usr/bin/python3 benchmarks/python/bench_reference.py /tmp/pk-bench-data --refs ../shared/refs \
        --promptkit "dotnet benchmarks/PromptKit.Benchmarks/bin/Release/net10.0/linux-x64/PromptKit.Benchmarks.dll"

With --promptkit the script first runs that command with `--timings REPEAT` (PromptKit's Stopwatch timings of the same
cases, printed as `name best median unit checksum`), then times each Python case (one untimed warm-up, then --repeat
runs) and prints, per case, the best and median time, the checksum next to PromptKit's, the ratio of best times and
the load average (/proc/loadavg) when the case ran.
"""

import os

# One thread for NumPy's BLAS (the DCG dot products), so that every Python case, like PromptKit's one-thread cases,
# runs on one core and its thread CPU time is its whole cost.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import gc  # noqa: E402
import shlex  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402


def load_pairs(directory):
    with open(os.path.join(directory, "pairs.tsv"), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return [r[0] for r in rows], [r[1] for r in rows]


def load_ranking(directory, length=100):
    import numpy as np

    scores = np.fromfile(os.path.join(directory, "ranking_scores.f64"), dtype="<f8").reshape(-1, length)
    relevances = np.fromfile(os.path.join(directory, "ranking_relevances.f64"), dtype="<f8").reshape(-1, length)
    return scores, relevances


def load_average():
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "n/a"


def time_case(fn, repeat):
    """Best and median wall time, best thread CPU time (time.thread_time), and the result."""
    fn()  # warm-up (imports, caches)
    times = []
    cpu_times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        cpu_start = time.thread_time()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.thread_time() - cpu_start)
    return min(times), statistics.median(times), min(cpu_times), result


# ---- text metrics (hyps, refs) -> callable returning a checksum ----

def case_bleu_sentence(hyps, refs):
    import sacrebleu

    def run():  # sacrebleu.sentence_bleu makes a new BLEU (effective_order=True) per call
        return sum(sacrebleu.sentence_bleu(h, [r]).score for h, r in zip(hyps, refs))

    return run


def case_bleu_corpus(hyps, refs):
    import sacrebleu

    return lambda: sacrebleu.corpus_bleu(hyps, [refs]).score


def case_chrf_sentence(hyps, refs):
    import sacrebleu

    return lambda: sum(sacrebleu.sentence_chrf(h, [r]).score for h, r in zip(hyps, refs))


def case_chrf_corpus(hyps, refs):
    import sacrebleu

    return lambda: sacrebleu.corpus_chrf(hyps, [refs]).score


def _rouge(hyps, refs, use_stemmer):
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=use_stemmer)

    def run():
        total = 0.0
        for h, r in zip(hyps, refs):
            s = scorer.score(r, h)  # score(target, prediction)
            total += s["rouge1"].fmeasure + s["rouge2"].fmeasure + s["rougeL"].fmeasure
        return total

    return run


def case_rouge(hyps, refs):
    return _rouge(hyps, refs, False)


def case_rouge_stemmed(hyps, refs):
    return _rouge(hyps, refs, True)


# ---- ranking (scores, relevances: 2-D arrays) ----

def _sklearn(exponential):
    def factory(scores, relevances):
        import numpy as np
        from sklearn.metrics import ndcg_score

        def run():
            gains = np.exp2(relevances) - 1.0 if exponential else relevances
            return ndcg_score(gains, scores, k=10)

        return run

    return factory


def _numpy(exponential):
    def factory(scores, relevances):
        import numpy as np

        k = 10
        discounts = 1.0 / np.log2(np.arange(2, k + 2))

        def run():
            gains = np.exp2(relevances) - 1.0 if exponential else relevances
            order = np.argsort(-scores, axis=1, kind="stable")[:, :k]  # ties in item order
            dcg = np.take_along_axis(gains, order, axis=1) @ discounts
            idcg = -np.sort(-gains, axis=1)[:, :k] @ discounts
            safe = np.where(idcg > 0, idcg, 1.0)
            return float(np.where(idcg > 0, dcg / safe, 0.0).mean())

        return run

    return factory


# name: (factory, kind, [PromptKit cases to compare with])
CASES = {
    "bleu-sentence": (case_bleu_sentence, "text", ["bleu-sentence", "bleu-sentence-score", "bleu-sentence-new-metric"]),
    "bleu-corpus": (case_bleu_corpus, "text", ["bleu-corpus", "bleu-corpus-all-cores"]),
    "chrf-sentence": (case_chrf_sentence, "text", ["chrf-sentence"]),
    "chrf-corpus": (case_chrf_corpus, "text", ["chrf-corpus", "chrf-corpus-all-cores"]),
    "rouge": (case_rouge, "text", ["rouge", "rouge-corpus", "rouge-corpus-all-cores"]),
    "rouge-stemmed": (case_rouge_stemmed, "text", ["rouge-stemmed", "rouge-stemmed-corpus", "rouge-stemmed-corpus-all-cores"]),
    "ndcg10-sklearn-linear": (_sklearn(False), "ranking", ["ndcg10-ties-linear", "ndcg10-ties-linear-all-cores"]),
    "ndcg10-sklearn-exp": (_sklearn(True), "ranking", ["ndcg10-ties-exp", "ndcg10-ties-exp-all-cores"]),
    "ndcg10-numpy-linear": (_numpy(False), "ranking", ["ndcg10-item-order-linear", "ndcg10-item-order-linear-all-cores"]),
    "ndcg10-numpy-exp": (_numpy(True), "ranking", ["ndcg10-item-order-exp", "ndcg10-item-order-exp-all-cores"]),
}


def run_promptkit(command, repeat):
    argv = shlex.split(command) + ["--timings", str(repeat)]
    print(f"# PromptKit: {' '.join(argv)}  (loadavg before {load_average()})", flush=True)
    output = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    timings = {}
    for line in output.splitlines():
        if line.startswith("#"):
            print(line)
            continue
        name, best, median, unit, checksum, cpu = line.split()
        timings[name] = (float(best), float(median), unit, float(checksum), float(cpu))
    for name in ("read-ranking-inputs", "read-ranking-inputs-all-cores"):
        if name in timings:
            best = timings[name][0]
            print(f"# {name}: {best:.4f} us/list = {1600 / best / 1e3:.2f} GB/s (1,600 bytes per list)")
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", help="directory written by PromptKit.Benchmarks --export-data")
    parser.add_argument("cases", nargs="*", help="cases to run (default: all): " + ", ".join(CASES))
    parser.add_argument("--refs", default=os.environ.get("PK_REFS"),
                        help="folder holding sacrebleu-2.6.0/ and rouge_score-0.1.2/ (or set PK_REFS)")
    parser.add_argument("--promptkit", help="command that runs PromptKit.Benchmarks (its --timings mode is called)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_intermixed_args()
    if not args.refs:
        parser.error("give the reference sources' folder with --refs or PK_REFS")
    for folder in ("sacrebleu-2.6.0", "rouge_score-0.1.2"):
        path = os.path.join(os.path.abspath(args.refs), folder)
        if not os.path.isdir(path):
            parser.error(f"{path} not found")
        sys.path.insert(0, path)

    import numpy
    import sacrebleu
    import sklearn
    from rouge_score import rouge_scorer

    print(f"# python {sys.version.split()[0]}, sacrebleu {sacrebleu.__version__} ({os.path.dirname(sacrebleu.__file__)}), "
          f"rouge-score ({os.path.dirname(rouge_scorer.__file__)}), scikit-learn {sklearn.__version__}, numpy {numpy.__version__}")
    cases = args.cases or list(CASES)
    for name in cases:
        if name not in CASES:
            parser.error(f"unknown case {name!r}")

    promptkit = run_promptkit(args.promptkit, max(args.repeat, 5)) if args.promptkit else {}
    print("| case | Python best | Python median | Python CPU | Python checksum | PromptKit case | PromptKit best | PromptKit CPU "
          "| PromptKit checksum | ratio (best wall) | ratio (CPU) | loadavg |")
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|")
    data = {}
    for name in cases:
        factory, kind, compare = CASES[name]
        if kind not in data:
            data[kind] = load_pairs(args.data) if kind == "text" else load_ranking(args.data)
        inputs = data[kind]
        units = len(inputs[0]) if kind == "text" else inputs[0].shape[0]
        unit = "pair" if kind == "text" else "list"
        best, median, cpu, result = time_case(factory(*inputs), args.repeat)
        load = load_average()
        best_us, median_us, cpu_us = best * 1e6 / units, median * 1e6 / units, cpu * 1e6 / units
        head = f"| {name} | {best_us:.3f} us/{unit} | {median_us:.3f} us/{unit} | {cpu_us:.3f} us/{unit} | {result!r}"
        for pk_name in compare:
            if pk_name in promptkit:
                pk_best, _, _, pk_checksum, pk_cpu = promptkit[pk_name]
                # Thread CPU time only means something for PromptKit's one-thread cases.
                cpu_ratio = "-" if pk_name.endswith("all-cores") else f"{cpu_us / pk_cpu:.1f}x"
                pk_cpu_text = "-" if pk_name.endswith("all-cores") else f"{pk_cpu:.4f} us/{unit}"
                print(f"{head} | {pk_name} | {pk_best:.4f} us/{unit} | {pk_cpu_text} | {pk_checksum!r} | "
                      f"{best_us / pk_best:.1f}x | {cpu_ratio} | {load} |", flush=True)
        if not any(pk_name in promptkit for pk_name in compare):
            print(f"{head} | - | - | - | - | - | - | {load} |", flush=True)


if __name__ == "__main__":
    main()
