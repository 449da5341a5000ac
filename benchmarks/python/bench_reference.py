"""Times Python metric libraries on the exact inputs of PromptKit.Benchmarks.

Export the inputs first (from the repository root):
    dotnet run -c Release --project benchmarks/PromptKit.Benchmarks -- --export-data /tmp/pk-bench-data
then run (one case at a time, or all):
    /usr/bin/python3 benchmarks/python/bench_reference.py /tmp/pk-bench-data [case ...]

Each case runs `--repeat` times (default 3) after one untimed warm-up run and prints the best and the median time per
pair (per list for NDCG), plus a checksum compared with PromptKit's results (promptkit_results.txt) where the two
compute the same quantity.
"""

import argparse
import gc
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def load_pairs(directory):
    with open(os.path.join(directory, "pairs.tsv"), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return [r[0] for r in rows], [r[1] for r in rows]


def load_ranking(directory, length=100):
    import numpy as np

    scores = np.fromfile(os.path.join(directory, "ranking_scores.f64"), dtype="<f8").reshape(-1, length)
    relevances = np.fromfile(os.path.join(directory, "ranking_relevances.f64"), dtype="<f8").reshape(-1, length)
    return scores, relevances


def load_promptkit(directory):
    values = {}
    with open(os.path.join(directory, "promptkit_results.txt"), encoding="utf-8") as f:
        for line in f:
            name, value = line.split()
            values[name] = float(value)
    return values


def time_case(fn, repeat):
    fn()  # warm-up (imports, caches)
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def case_bleu_sentence(hyps, refs):
    from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu

    smooth = SmoothingFunction().method3  # NIST geometric sequence smoothing = sacrebleu's 'exp'

    def run():
        total = 0.0
        for h, r in zip(hyps, refs):
            total += sentence_bleu([r.split()], h.split(), smoothing_function=smooth)
        return 100.0 * total

    return run


def case_bleu_corpus(hyps, refs):
    from nltk.translate.bleu_score import corpus_bleu

    def run():
        return 100.0 * corpus_bleu([[r.split()] for r in refs], [h.split() for h in hyps])

    return run


def case_chrf_sentence(hyps, refs):
    from nltk.translate.chrf_score import sentence_chrf

    def run():
        total = 0.0
        for h, r in zip(hyps, refs):
            total += sentence_chrf(r, h, max_len=6, beta=2.0)
        return 100.0 * total

    return run


def case_chrf_corpus(hyps, refs):
    from nltk.translate.chrf_score import corpus_chrf

    def run():
        return 100.0 * corpus_chrf(refs, hyps, max_len=6, beta=2.0)

    return run


def case_rouge_stem_tokens(hyps, refs):
    """The stemming part of rouge-score: tokenize both texts and Porter-stem every token longer than 3 characters."""
    from nltk.stem import porter

    from rouge_pure import tokenize

    stemmer = porter.PorterStemmer()

    def run():
        count = 0
        for h, r in zip(hyps, refs):
            count += len(tokenize(r, stemmer)) + len(tokenize(h, stemmer))
        return count

    return run


def _rouge(hyps, refs, use_stemmer):
    from rouge_pure import PureRougeScorer

    scorer = PureRougeScorer(use_stemmer=use_stemmer)

    def run():
        total = 0.0
        for h, r in zip(hyps, refs):
            s = scorer.score(r, h)
            total += s["rouge1"][2] + s["rouge2"][2] + s["rougeL"][2]
        return total

    return run


def case_rouge_pure(hyps, refs):
    return _rouge(hyps, refs, False)


def case_rouge_pure_stemmed(hyps, refs):
    return _rouge(hyps, refs, True)


def case_ndcg_sklearn_ties(scores, relevances):
    from sklearn.metrics import ndcg_score

    def run():
        return ndcg_score(relevances, scores, k=10)

    return run


def case_ndcg_sklearn_ignore_ties(scores, relevances):
    from sklearn.metrics import ndcg_score

    def run():
        return ndcg_score(relevances, scores, k=10, ignore_ties=True)

    return run


TEXT_CASES = {
    "bleu-sentence": (case_bleu_sentence, "bleu_sentence_sum"),
    "bleu-corpus": (case_bleu_corpus, "bleu_corpus"),
    "chrf-sentence": (case_chrf_sentence, "chrf_sentence_sum"),
    "chrf-corpus": (case_chrf_corpus, "chrf_corpus"),
    "rouge-stem-tokens": (case_rouge_stem_tokens, None),
    "rouge-pure": (case_rouge_pure, "rouge_1_2_L_f_sum"),
    "rouge-pure-stemmed": (case_rouge_pure_stemmed, "rouge_1_2_L_f_sum_stemmed"),
}

RANKING_CASES = {
    "ndcg-sklearn": (case_ndcg_sklearn_ties, "ndcg10_ties_mean"),
    "ndcg-sklearn-ignore-ties": (case_ndcg_sklearn_ignore_ties, "ndcg10_ranked_mean"),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", help="directory written by PromptKit.Benchmarks --export-data")
    parser.add_argument("cases", nargs="*", help="cases to run (default: all): " + ", ".join([*TEXT_CASES, *RANKING_CASES]))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases = args.cases or [*TEXT_CASES, *RANKING_CASES]
    promptkit = load_promptkit(args.data)
    print(f"python {sys.version.split()[0]}")
    for name in cases:
        if name in TEXT_CASES:
            factory, key = TEXT_CASES[name]
            hyps, refs = load_pairs(args.data)
            fn, units, unit = factory(hyps, refs), len(hyps), "pair"
        elif name in RANKING_CASES:
            factory, key = RANKING_CASES[name]
            scores, relevances = load_ranking(args.data)
            fn, units, unit = factory(scores, relevances), scores.shape[0], "list"
        else:
            parser.error(f"unknown case {name!r}")
        best, median, result = time_case(fn, args.repeat)
        check = f"  promptkit={promptkit[key]!r}" if key else ""
        print(f"{name:26s} best {best * 1e6 / units:10.2f} us/{unit}  median {median * 1e6 / units:10.2f} us/{unit}"
              f"  total best {best:8.3f} s  result={result!r}{check}", flush=True)


if __name__ == "__main__":
    main()
