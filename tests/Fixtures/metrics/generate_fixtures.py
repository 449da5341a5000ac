#!/usr/bin/python3
"""Recomputes every reference value in tests/Fixtures/metrics from the fixtures' inputs with the reference
implementations, and checks (default) or rewrites (--write) the committed values and manifest.json. Exit code 1 when a
value or the reference sources differ.

    PROMPTKIT_REFS=/path/to/refs /usr/bin/python3 tests/Fixtures/metrics/generate_fixtures.py [--write]

PROMPTKIT_REFS is a folder holding sacrebleu-2.6.0/ and rouge_score-0.1.2/ (the released sources; in this workspace
../shared/refs). Their own dependencies are Debian packages (python3-regex python3-portalocker python3-tabulate
python3-colorama python3-lxml python3-numpy python3-nltk python3-absl python3-six python3-sklearn). The script prints
the versions it ran and the SHA-256 of the reference sources (the same digest is stored in manifest.json under
"reference_sources", and --check fails when the sources differ from the ones the fixtures were made with).

The inputs (hypotheses, references, groups, ranking lists) are data: they were drawn once by a seeded generator
(seed 777001, see manifest.json) and are kept as committed; this script owns everything computed from them.
"""
import hashlib
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REFS = os.environ.get("PROMPTKIT_REFS", os.path.join(HERE, "..", "..", "..", "..", "shared", "refs"))
SOURCES = {"sacrebleu": "sacrebleu-2.6.0", "rouge_score": "rouge_score-0.1.2"}
for folder in SOURCES.values():
    sys.path.insert(0, os.path.join(REFS, folder))

import numpy as np  # noqa: E402
import sacrebleu  # noqa: E402
from rouge_score import rouge_scorer  # noqa: E402
from sacrebleu.metrics import BLEU, CHRF  # noqa: E402
from sklearn.metrics import ndcg_score  # noqa: E402

BLEU_CONFIGS = {
    "exp": dict(smooth_method="exp"),
    "floor": dict(smooth_method="floor"),
    "add-k": dict(smooth_method="add-k"),
    "none": dict(smooth_method="none"),
    "exp_lowercase": dict(smooth_method="exp", lowercase=True),
}
ROUGE_TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
KS = [1, 3, 5, 10, 20]


def source_digest(folder):
    """SHA-256 over the sorted (relative path, SHA-256 of content) of every .py file of a reference source tree."""
    root = os.path.join(REFS, folder)
    entries = []
    for directory, _, files in os.walk(root):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                with open(path, "rb") as f:
                    entries.append(f"{os.path.relpath(path, root)}\0{hashlib.sha256(f.read()).hexdigest()}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest(), len(entries)


def bleu_fields(score):
    return {"score": score.score, "counts": list(score.counts), "totals": list(score.totals), "precisions": list(score.precisions),
            "bp": score.bp, "sys_len": score.sys_len, "ref_len": score.ref_len}


def text_case(record, scorers):
    hyp, refs = record["hypothesis"], record["references"]
    out = {"sentence_bleu": {}, "sentence_chrf": {}, "rouge": {}}
    for name, cfg in BLEU_CONFIGS.items():
        out["sentence_bleu"][name] = bleu_fields(BLEU(tokenize="13a", effective_order=True, **cfg).sentence_score(hyp, refs))
    out["sentence_chrf"]["chrF2"] = {"score": CHRF().sentence_score(hyp, refs).score}
    out["sentence_chrf"]["chrF2++"] = {"score": CHRF(word_order=2).sentence_score(hyp, refs).score}
    for name, scorer in scorers.items():
        s = scorer.score(target=refs[0], prediction=hyp)
        out["rouge"][name] = {t: {"precision": s[t].precision, "recall": s[t].recall, "fmeasure": s[t].fmeasure} for t in ROUGE_TYPES}
    if len(refs) >= 2:
        out["rouge_multi"] = {}
        for name, scorer in scorers.items():
            s = scorer.score_multi(refs, hyp)
            out["rouge_multi"][name] = {t: {"precision": s[t].precision, "recall": s[t].recall, "fmeasure": s[t].fmeasure} for t in ROUGE_TYPES}
    return out


def corpus_case(group, records, computed_text):
    recs = [records[i] for i in group["record_ids"]]
    hyps = [r["hypothesis"] for r in recs]
    n = max(len(r["references"]) for r in recs)
    streams = [[r["references"][j] if j < len(r["references"]) else None for r in recs] for j in range(n)]
    out = {"corpus_bleu": {}, "corpus_chrf": {}, "mean_rouge_fmeasure": {}}
    for name, cfg in BLEU_CONFIGS.items():
        out["corpus_bleu"][name] = bleu_fields(BLEU(tokenize="13a", **cfg).corpus_score(hyps, streams))
    out["corpus_chrf"]["chrF2"] = {"score": CHRF().corpus_score(hyps, streams).score}
    out["corpus_chrf"]["chrF2++"] = {"score": CHRF(word_order=2).corpus_score(hyps, streams).score}
    for name in ("no_stemmer", "stemmer"):
        out["mean_rouge_fmeasure"][name] = {
            t: sum(computed_text[r["id"]]["rouge"][name][t]["fmeasure"] for r in recs) / len(recs) for t in ROUGE_TYPES}
    return out


def ranking_case(record):
    """The fixture's own definitions (README): trec_eval conventions, no library."""
    ranked, qrels = record["ranked_items"], record["qrels"]
    grades = [qrels.get(i, 0) for i in ranked]
    relevant_total = sum(1 for g in qrels.values() if g >= 1)

    def dcg(gs, k, exp):
        return sum(((2 ** g - 1) if exp else g) / math.log2(i + 2) for i, g in enumerate(gs[:k]))

    ideal = sorted(qrels.values(), reverse=True)
    m = {}
    for exp, label in ((False, "ndcg_linear"), (True, "ndcg_exp")):
        for k in [None] + KS:
            kk = len(ranked) if k is None else k
            best = dcg(ideal, kk if k is not None else len(ideal), exp)
            m[label + ("" if k is None else f"@{k}")] = 0.0 if best == 0 else dcg(grades, kk, exp) / best
    first = next((i for i, g in enumerate(grades) if g >= 1), None)
    m["mrr"] = 0.0 if first is None else 1.0 / (first + 1)
    for k in KS:
        top = grades[:k]
        hits = sum(1 for g in top if g >= 1)
        m[f"mrr@{k}"] = 0.0 if first is None or first >= k else 1.0 / (first + 1)
        m[f"precision@{k}"] = hits / k
        m[f"recall@{k}"] = 0.0 if relevant_total == 0 else hits / relevant_total
        m[f"hit_rate@{k}"] = 1.0 if hits > 0 else 0.0
    precisions, hits = [], 0
    for i, g in enumerate(grades):
        if g >= 1:
            hits += 1
            precisions.append(hits / (i + 1))
    m["average_precision"] = 0.0 if relevant_total == 0 else sum(precisions) / relevant_total
    m["num_relevant"] = relevant_total
    m["num_retrieved"] = len(ranked)

    sk, why = None, None
    if len(record["items"]) < 2:
        why = "fewer than 2 items (sklearn raises ValueError)"
    elif any(i not in record["items"] for i in qrels):
        why = "qrels hold items that are not in the list (sklearn's ideal comes from the listed items only)"
    else:
        truth = [qrels.get(i, 0) for i in record["items"]]
        sk = {}
        for exp, label in ((False, "ndcg_linear"), (True, "ndcg_exp")):
            y = np.asarray([[(2 ** g - 1) if exp else g for g in truth]], dtype=float)
            s = np.asarray([record["scores"]], dtype=float)
            for k in (None, 5, 10):
                sk[label + ("" if k is None else f"@{k}")] = float(ndcg_score(y, s, k=k))
    return m, sk, why


def close(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if a is None or b is None:
        return a is b
    return a == b or abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def main():
    write = "--write" in sys.argv
    digests = {name: source_digest(folder) for name, folder in SOURCES.items()}
    print(f"sacrebleu {sacrebleu.__version__}; reference sources under {os.path.abspath(REFS)}")
    for name, (digest, files) in digests.items():
        print(f"  {SOURCES[name]}: {files} .py files, sha256 {digest}")

    def load(name):
        with open(os.path.join(HERE, name), encoding="utf-8") as f:
            return [json.loads(line) for line in f]

    text, corpus, ranking = load("text_cases.jsonl"), load("corpus_cases.jsonl"), load("ranking_cases.jsonl")
    scorers = {"no_stemmer": rouge_scorer.RougeScorer(ROUGE_TYPES, use_stemmer=False),
               "stemmer": rouge_scorer.RougeScorer(ROUGE_TYPES, use_stemmer=True)}
    by_id = {r["id"]: r for r in text}
    mismatches, compared = [], 0
    computed_text = {}
    for r in text:
        values = text_case(r, scorers)
        computed_text[r["id"]] = values
        for key, value in values.items():
            compared += 1
            if not close(value, r.get(key)):
                mismatches.append(f"{r['id']}.{key}")
            r[key] = value
    for g in corpus:
        for key, value in corpus_case(g, by_id, computed_text).items():
            compared += 1
            if not close(value, g.get(key)):
                mismatches.append(f"{g['id']}.{key}")
            g[key] = value
    sk_values, sk_rows_null, sk_max_diff = 0, 0, 0.0
    for r in ranking:
        m, sk, why = ranking_case(r)
        for key, value in (("metrics", m), ("sklearn_ndcg", sk)):
            compared += 1
            if not close(value, r.get(key)):
                mismatches.append(f"{r['id']}.{key}")
            r[key] = value
        if sk is None:
            sk_rows_null += 1
            r["sklearn_ndcg_why_null"] = why
        elif not r["has_ties"] and r["metrics"]["num_relevant"] > 0:
            # Where the definitions coincide (no ties, some relevance, qrels within the list): own NDCG vs sklearn.
            for key, value in sk.items():
                sk_values += 1
                sk_max_diff = max(sk_max_diff, abs(value - m[key]))

    print(f"{compared} computed blocks compared with the committed values: {len(mismatches)} differ")
    for name in mismatches[:20]:
        print(f"  differs: {name}")
    print(f"sklearn cross-check: {sk_values} values, max |diff| {sk_max_diff:.3g}; {sk_rows_null} ranking rows without an sklearn value")

    manifest_path = os.path.join(HERE, "manifest.json")
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    stored = manifest.get("reference_sources", {})
    sources = {SOURCES[n]: {"python_files": files, "sha256": digest} for n, (digest, files) in digests.items()}
    if write:
        # Data files are rewritten only when a value changed (their byte layout is the original generator's).
        for name, rows in [] if not mismatches else (("text_cases.jsonl", text), ("corpus_cases.jsonl", corpus), ("ranking_cases.jsonl", ranking)):
            with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
                for row in rows:
                    f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            with open(os.path.join(HERE, name), "rb") as f:
                manifest["sha256"][name] = hashlib.sha256(f.read()).hexdigest()
        manifest["reference_sources"] = sources
        manifest["sklearn_crosscheck"] = {"compared_values": sk_values, "max_abs_diff": sk_max_diff, "rows_without_sklearn_value": sk_rows_null}
        with open(manifest_path, "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=2, sort_keys=True)
            f.write("\n")
        print("written")
        return 0
    if stored and stored != sources:
        print("the reference sources differ from the ones recorded in manifest.json")
        return 1
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
