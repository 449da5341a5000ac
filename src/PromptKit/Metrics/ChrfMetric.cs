using System.Globalization;

namespace PromptKit;

/// <summary>
/// chrF (Popović, 2015) and chrF++ (Popović, 2017) with exactly the numbers of sacrebleu 2.6.0's <c>CHRF</c>
/// metric: character n-gram F-score, optionally with word n-grams (chrF++), and sacrebleu's signatures.
/// </summary>
/// <remarks>
/// <para>
/// Matches sacrebleu 2.6.0 <c>CHRF(...).sentence_score</c> and <c>.corpus_score</c>: text is optionally lower-cased;
/// character n-grams of orders 1 to <see cref="ChrfOptions.CharOrder"/> are taken over Unicode code points with
/// whitespace removed (unless <see cref="ChrfOptions.IncludeWhitespace"/>); word n-grams of orders 1 to
/// <see cref="ChrfOptions.WordOrder"/> over whitespace-split words with one leading or trailing ASCII punctuation
/// mark split off. With several references a segment keeps the statistics of the reference with the best F-score.
/// The score averages precision and recall over the orders present in both texts (effective order), then takes
/// F-β; with <see cref="ChrfOptions.EpsSmoothing"/> it averages per-order F-scores instead.
/// </para>
/// <para>
/// Empty input: an empty hypothesis or reference scores 0; a corpus score sums segment statistics
/// (<see cref="ChrfStatistics"/>) before computing the F-score.
/// </para>
/// <para>
/// Thread-safe: an instance is immutable and the working memory is per thread. After warm-up
/// <see cref="ScoreValue(string, IReadOnlyList{string})"/> allocates nothing: a character n-gram is the exact bit
/// concatenation of small per-segment code point ids in one 64-bit key (a prefix-id trie when the ids do not fit), a
/// word n-gram a (prefix n-gram id, word id) key; both live in open-addressing tables and are compared exactly.
/// </para>
/// </remarks>
public sealed class ChrfMetric
{
    private const string SacreBleuVersion = "2.6.0";

    private readonly int _charOrder;
    private readonly int _wordOrder;
    private readonly int _beta;
    private readonly bool _lowercase;
    private readonly bool _includeWhitespace;
    private readonly bool _epsSmoothing;
    private readonly string _signatureTail;

    /// <summary>Initializes a new instance of the <see cref="ChrfMetric"/> class with the default <see cref="ChrfOptions"/> (chrF2).</summary>
    public ChrfMetric()
        : this(new ChrfOptions())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChrfMetric"/> class.</summary>
    /// <param name="options">The options; their values are copied, later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> is invalid (every error is listed).</exception>
    public ChrfMetric(ChrfOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ChrfOptionsValidator.ThrowIfInvalid(options);
        _charOrder = options.CharOrder;
        _wordOrder = options.WordOrder;
        _beta = options.Beta;
        _lowercase = options.Lowercase;
        _includeWhitespace = options.IncludeWhitespace;
        _epsSmoothing = options.EpsSmoothing;
        _signatureTail = "|case:" + (_lowercase ? "lc" : "mixed")
            + "|eff:" + (_epsSmoothing ? "no" : "yes")
            + "|nc:" + _charOrder.ToString(CultureInfo.InvariantCulture)
            + "|nw:" + _wordOrder.ToString(CultureInfo.InvariantCulture)
            + "|space:" + (_includeWhitespace ? "yes" : "no")
            + "|version:" + SacreBleuVersion;
        Signature = GetSignature(1);
    }

    /// <summary>
    /// Gets sacrebleu's signature for scores against one reference per segment, e.g.
    /// <c>nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0</c>.
    /// </summary>
    public string Signature { get; }

    /// <summary>Returns sacrebleu's signature for the given number of references per segment.</summary>
    /// <param name="referenceCount">
    /// The number of references every segment had, or <see langword="null"/> when it varied (<c>nrefs:var</c>); see
    /// <see cref="ChrfStatistics.ReferenceCount"/>.
    /// </param>
    /// <returns>The signature string.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="referenceCount"/> is zero or negative.</exception>
    public string GetSignature(int? referenceCount) =>
        SacreBleuArguments.Signature(referenceCount, _signatureTail, nameof(referenceCount));

    /// <summary>Scores one hypothesis against its references (sacrebleu <c>CHRF.sentence_score</c>).</summary>
    /// <param name="hypothesis">The hypothesis; an empty one scores 0.</param>
    /// <param name="references">One or more references (the best-scoring one is used); empty strings are allowed.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hypothesis"/> or <paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="references"/> is empty or holds <see langword="null"/>.</exception>
    public ChrfScore Score(string hypothesis, IReadOnlyList<string> references) =>
        new(ScoreValue(hypothesis, references), _charOrder, _wordOrder, _beta);

    /// <summary>
    /// Returns the chrF score (0 to 100) of <see cref="Score(string, IReadOnlyList{string})"/> without allocating
    /// after warm-up (for rewards in training loops).
    /// </summary>
    /// <param name="hypothesis">The hypothesis; an empty one scores 0.</param>
    /// <param name="references">One or more references; empty strings are allowed.</param>
    /// <returns>The chrF score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hypothesis"/> or <paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="references"/> is empty or holds <see langword="null"/>.</exception>
    public double ScoreValue(string hypothesis, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        SacreBleuArguments.ValidateReferences(references, nameof(references));
        ChrfScratch scratch = ComputeSegment(hypothesis, references);
        return ScoreBest(scratch);
    }

    /// <summary>Returns the chrF score (0 to 100) of a hypothesis against a single reference, without allocating after warm-up.</summary>
    /// <param name="hypothesis">The hypothesis text; empty scores 0.</param>
    /// <param name="reference">The reference text.</param>
    /// <returns>The chrF score.</returns>
    public double ScoreValue(ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference)
    {
        ChrfScratch scratch = ChrfScratch.Current;
        scratch.Begin();
        scratch.AddSegment(hypothesis, _lowercase, _includeWhitespace, _wordOrder > 0);
        scratch.AddSegment(reference, _lowercase, _includeWhitespace, _wordOrder > 0);
        scratch.Compute(_charOrder, _wordOrder, _beta, _epsSmoothing);
        return ScoreBest(scratch);
    }

    /// <summary>Adds one segment's statistics (of its best reference) to <paramref name="statistics"/>.</summary>
    /// <param name="hypothesis">The hypothesis.</param>
    /// <param name="references">One or more references; empty strings are allowed.</param>
    /// <param name="statistics">The accumulator; its orders must equal this metric's.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="references"/> is empty or holds <see langword="null"/>, or <paramref name="statistics"/> has different orders.
    /// </exception>
    public void Accumulate(string hypothesis, IReadOnlyList<string> references, ChrfStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        SacreBleuArguments.ValidateReferences(references, nameof(references));
        ValidateStatistics(statistics);
        ChrfScratch scratch = ComputeSegment(hypothesis, references);
        AddBest(scratch, statistics);
    }

    /// <summary>Computes the score of accumulated statistics (sacrebleu <c>CHRF._compute_f_score</c>).</summary>
    /// <param name="statistics">The statistics; with no segment the score is 0.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="statistics"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="statistics"/> has different orders than this metric.</exception>
    public ChrfScore Score(ChrfStatistics statistics)
    {
        ValidateStatistics(statistics);
        double score = ComputeFScore(statistics.HypothesisCounts, statistics.ReferenceCounts, statistics.MatchCounts, _beta, _epsSmoothing);
        return new ChrfScore(score, _charOrder, _wordOrder, _beta);
    }

    /// <summary>Scores a corpus (sacrebleu <c>CHRF.corpus_score</c>): segment statistics are summed, then scored.</summary>
    /// <param name="hypotheses">The hypotheses, one per segment; at least one.</param>
    /// <param name="referenceStreams">
    /// One or more reference streams, each holding one reference per hypothesis; <see langword="null"/> pads a
    /// missing reference and is skipped. Each segment needs at least one reference.
    /// </param>
    /// <param name="maxDegreeOfParallelism">
    /// The most threads to use: 1 (the default) runs on the calling thread, -1 uses one per processor. Segments are
    /// split into contiguous chunks of at least 64; the statistics are integer counts, so the score is bit for bit the
    /// one-thread score whatever the number of threads.
    /// </param>
    /// <returns>The corpus score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hypotheses"/> or <paramref name="referenceStreams"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="hypotheses"/> is empty or holds <see langword="null"/>; <paramref name="referenceStreams"/> is
    /// empty, holds a <see langword="null"/> stream or one whose length differs from the hypotheses', or leaves a segment without a reference.
    /// </exception>
    public ChrfScore ScoreCorpus(
        IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams, int maxDegreeOfParallelism = 1)
    {
        SacreBleuArguments.ValidateCorpus(hypotheses, referenceStreams);
        // Each chunk of segments is summed into its own statistics, added in chunk order: integer counts, so the sum is
        // the one-thread sum exactly.
        return Score(MetricParallelism.SumInChunks(
            hypotheses.Count,
            maxDegreeOfParallelism,
            nameof(maxDegreeOfParallelism),
            () => new ChrfStatistics(_charOrder, _wordOrder),
            (start, end, statistics) => AccumulateRange(hypotheses, referenceStreams, start, end, statistics),
            static (total, part) => total.Add(part)));
    }

    private void AccumulateRange(
        IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams, int start, int end, ChrfStatistics statistics)
    {
        ChrfScratch scratch = ChrfScratch.Current;
        bool words = _wordOrder > 0;
        int streamCount = referenceStreams.Count;
        for (int i = start; i < end; i++)
        {
            scratch.Begin();
            scratch.AddSegment(hypotheses[i], _lowercase, _includeWhitespace, words);
            for (int s = 0; s < streamCount; s++)
            {
                string? reference = referenceStreams[s][i];
                if (reference is not null)
                {
                    scratch.AddSegment(reference, _lowercase, _includeWhitespace, words);
                }
            }

            scratch.Compute(_charOrder, _wordOrder, _beta, _epsSmoothing);
            AddBest(scratch, statistics);
        }
    }

    /// <summary>sacrebleu's <c>CHRF._compute_f_score</c> over per-order [hypothesis, reference, match] counts, in 0..100.</summary>
    internal static double ComputeFScore(ReadOnlySpan<long> hypothesis, ReadOnlySpan<long> reference, ReadOnlySpan<long> matches, int beta, bool epsSmoothing)
    {
        const double Eps = 1e-16;
        int orders = hypothesis.Length;
        double factor = (double)beta * beta;
        double score = 0.0;
        double averagePrecision = 0.0;
        double averageRecall = 0.0;
        int effectiveOrder = 0;
        for (int i = 0; i < orders; i++)
        {
            long hypothesisCount = hypothesis[i];
            long referenceCount = reference[i];
            double precision = hypothesisCount > 0 ? matches[i] / (double)hypothesisCount : Eps;
            double recall = referenceCount > 0 ? matches[i] / (double)referenceCount : Eps;
            double denominator = (factor * precision) + recall;
            score += denominator > 0 ? (1 + factor) * precision * recall / denominator : Eps;
            if (hypothesisCount > 0 && referenceCount > 0)
            {
                averagePrecision += precision;
                averageRecall += recall;
                effectiveOrder++;
            }
        }

        if (epsSmoothing)
        {
            return 100 * score / orders;
        }

        if (effectiveOrder == 0)
        {
            return 0.0;
        }

        averagePrecision /= effectiveOrder;
        averageRecall /= effectiveOrder;
        if (averagePrecision + averageRecall == 0)
        {
            return 0.0;
        }

        double f = (1 + factor) * averagePrecision * averageRecall;
        f /= (factor * averagePrecision) + averageRecall;
        return 100 * f;
    }

    private ChrfScratch ComputeSegment(string hypothesis, IReadOnlyList<string> references)
    {
        ChrfScratch scratch = ChrfScratch.Current;
        bool words = _wordOrder > 0;
        scratch.Begin();
        scratch.AddSegment(hypothesis, _lowercase, _includeWhitespace, words);
        int count = references.Count;
        for (int r = 0; r < count; r++)
        {
            scratch.AddSegment(references[r], _lowercase, _includeWhitespace, words);
        }

        scratch.Compute(_charOrder, _wordOrder, _beta, _epsSmoothing);
        return scratch;
    }

    private double ScoreBest(ChrfScratch scratch)
    {
        int orders = _charOrder + _wordOrder;
        return ComputeFScore(scratch.BestHypothesis(orders), scratch.BestReference(orders), scratch.BestMatches(orders), _beta, _epsSmoothing);
    }

    private void AddBest(ChrfScratch scratch, ChrfStatistics statistics)
    {
        int orders = _charOrder + _wordOrder;
        statistics.AddSegment(scratch.BestHypothesis(orders), scratch.BestReference(orders), scratch.BestMatches(orders), scratch.ReferenceCount);
    }

    private void ValidateStatistics(ChrfStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (statistics.CharOrder != _charOrder || statistics.WordOrder != _wordOrder)
        {
            throw new ArgumentException(
                $"The statistics have orders (char {statistics.CharOrder}, word {statistics.WordOrder}) but this metric uses (char {_charOrder}, word {_wordOrder}). Create them with new ChrfStatistics({_charOrder}, {_wordOrder}).",
                nameof(statistics));
        }
    }
}
