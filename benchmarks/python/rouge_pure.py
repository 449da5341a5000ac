"""Pure-Python ROUGE-1, ROUGE-2 and ROUGE-L, written for these timings in the style of Google's rouge-score 0.1.2.

THIS IS NOT THE REFERENCE LIBRARY. rouge-score could not be installed on the benchmark machine (no PyPI index, not
packaged in Debian 12), so this file re-implements its documented algorithm in the same plain-Python way (regex
tokenizer, NLTK PorterStemmer for tokens longer than 3 characters, collections.Counter n-gram overlap, O(n*m) LCS
table) to give a comparable pure-Python cost. Its F-measure sums are checked against PromptKit's in
bench_reference.py.
"""

import collections
import re

from nltk.stem import porter

NON_ALPHANUM_RE = re.compile(r"[^a-z0-9]+")
SPACES_RE = re.compile(r"\s+")
VALID_TOKEN_RE = re.compile(r"^[a-z0-9]+$")


def tokenize(text, stemmer=None):
    """Lowercases, replaces runs of non-[a-z0-9] characters by a space, splits, optionally stems, drops empty tokens."""
    text = text.lower()
    text = NON_ALPHANUM_RE.sub(" ", text)
    tokens = SPACES_RE.split(text)
    if stemmer is not None:
        tokens = [stemmer.stem(x) if len(x) > 3 else x for x in tokens]
    return [x for x in tokens if VALID_TOKEN_RE.match(x)]


def _ngrams(tokens, n):
    counts = collections.Counter()
    for i in range(len(tokens) - n + 1):
        counts[tuple(tokens[i:i + n])] += 1
    return counts


def _fmeasure(precision, recall):
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def _score_ngrams(target_ngrams, prediction_ngrams):
    overlap = 0
    for ngram in target_ngrams:
        overlap += min(target_ngrams[ngram], prediction_ngrams[ngram])
    target_count = sum(target_ngrams.values())
    prediction_count = sum(prediction_ngrams.values())
    precision = overlap / max(prediction_count, 1)
    recall = overlap / max(target_count, 1)
    return precision, recall, _fmeasure(precision, recall)


def _lcs_length(reference, candidate):
    rows, cols = len(reference), len(candidate)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(1, rows + 1):
        for j in range(1, cols + 1):
            if reference[i - 1] == candidate[j - 1]:
                table[i][j] = table[i - 1][j - 1] + 1
            else:
                table[i][j] = max(table[i - 1][j], table[i][j - 1])
    return table[-1][-1]


def _score_lcs(target_tokens, prediction_tokens):
    if not target_tokens or not prediction_tokens:
        return 0.0, 0.0, 0.0
    lcs = _lcs_length(target_tokens, prediction_tokens)
    precision = lcs / len(prediction_tokens)
    recall = lcs / len(target_tokens)
    return precision, recall, _fmeasure(precision, recall)


class PureRougeScorer:
    """score(target, prediction) -> {"rouge1": (p, r, f), "rouge2": ..., "rougeL": ...}, like RougeScorer.score."""

    def __init__(self, use_stemmer=False):
        self._stemmer = porter.PorterStemmer() if use_stemmer else None

    def score(self, target, prediction):
        target_tokens = tokenize(target, self._stemmer)
        prediction_tokens = tokenize(prediction, self._stemmer)
        return {
            "rouge1": _score_ngrams(_ngrams(target_tokens, 1), _ngrams(prediction_tokens, 1)),
            "rouge2": _score_ngrams(_ngrams(target_tokens, 2), _ngrams(prediction_tokens, 2)),
            "rougeL": _score_lcs(target_tokens, prediction_tokens),
        }
