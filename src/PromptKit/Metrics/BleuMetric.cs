using System.Globalization;

namespace PromptKit;

/// <summary>
/// BLEU (Papineni et al., 2002) with exactly the numbers of sacrebleu 2.6.0's <c>BLEU</c> metric: same
/// tokenizers (<c>13a</c>, <c>intl</c>, <c>none</c>), smoothing methods, effective order, brevity penalty and
/// signatures.
/// </summary>
/// <remarks>
/// <para>
/// Matches sacrebleu 2.6.0 <c>BLEU(...).sentence_score</c> and <c>.corpus_score</c>: text is optionally lower-cased
/// (Python <c>str.lower()</c>), right-stripped and tokenized; n-grams of orders 1 to
/// <see cref="BleuOptions.MaxNgramOrder"/> are counted; with several references each n-gram's reference count is
/// its maximum over the references (clipping), and the reference length is the closest one to the hypothesis
/// length (the shorter on ties). A corpus score sums the segment statistics (<see cref="BleuStatistics"/>) before
/// computing precisions, the geometric mean and the brevity penalty.
/// </para>
/// <para>
/// Empty input: an empty hypothesis scores 0 (brevity penalty 0 against a non-empty reference); an empty reference
/// is allowed (reference length 0) and scores 0 unless something matches; whenever no n-gram matches, the score is
/// 0 whatever the smoothing, as in sacrebleu.
/// </para>
/// <para>
/// Thread-safe: an instance is immutable and the working memory is per thread. After warm-up,
/// <see cref="ScoreValue(string, IReadOnlyList{string})"/> allocates nothing: tokens are never turned into strings
/// but interned from character spans into ids (hashed, confirmed by comparing characters), and each n-gram is a
/// (prefix n-gram id, token id) key in an open-addressing table, compared exactly.
/// </para>
/// </remarks>
public sealed class BleuMetric
{
    private const string SacreBleuVersion = "2.6.0";
    private const int MaxStackOrder = 32;

    // Validated option values and their signatures; bounded so that arbitrary smoothing values cannot grow it.
    private const int MaxKnownSettings = 64;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Settings, (string Tail, string Signature)> KnownSettings = new();

    private readonly SacreBleuTokenizer _tokenizer;
    private readonly BleuSmoothing _smoothing;
    private readonly double _smoothValue;
    private readonly bool _lowercase;
    private readonly bool _effectiveOrder;
    private readonly int _maxOrder;
    private readonly string _signatureTail;

    /// <summary>Initializes a new instance of the <see cref="BleuMetric"/> class with the default <see cref="BleuOptions"/>.</summary>
    public BleuMetric()
        : this(new BleuOptions())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BleuMetric"/> class.</summary>
    /// <param name="options">The options; their values are copied, later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> is invalid (every error is listed).</exception>
    public BleuMetric(BleuOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new Settings(options.Tokenizer, options.Smoothing, options.SmoothValue, options.Lowercase, options.EffectiveOrder, options.MaxNgramOrder);

        // Options seen before were valid then and give the same signature: sacrebleu's sentence_bleu style of one new
        // metric per sentence then costs a lookup instead of the validation and the signature strings.
        if (!KnownSettings.TryGetValue(settings, out (string Tail, string Signature) known))
        {
            BleuOptionsValidator.ThrowIfInvalid(options);
        }

        _tokenizer = SacreBleuTokenizer.For(options.Tokenizer);
        _smoothing = options.Smoothing;
        _lowercase = options.Lowercase;
        _effectiveOrder = options.EffectiveOrder;
        _maxOrder = options.MaxNgramOrder;
        double? defaultValue = _smoothing switch
        {
            BleuSmoothing.Floor => 0.1,
            BleuSmoothing.AddK => 1.0,
            _ => null,
        };
        _smoothValue = options.SmoothValue ?? defaultValue ?? 0.0;
        if (known.Tail is not null)
        {
            _signatureTail = known.Tail;
            Signature = known.Signature;
            return;
        }

        string smooth = _smoothing switch
        {
            BleuSmoothing.Exponential => "exp",
            BleuSmoothing.Floor => "floor",
            BleuSmoothing.AddK => "add-k",
            _ => "none",
        };
        if (defaultValue is not null)
        {
            smooth += "[" + PythonText.FormatFixed(_smoothValue, 2) + "]";
        }

        _signatureTail = "|case:" + (_lowercase ? "lc" : "mixed") + "|eff:" + (_effectiveOrder ? "yes" : "no")
            + "|tok:" + _tokenizer.Signature + "|smooth:" + smooth + "|version:" + SacreBleuVersion;
        Signature = GetSignature(1);
        if (KnownSettings.Count < MaxKnownSettings)
        {
            KnownSettings.TryAdd(settings, (_signatureTail, Signature));
        }
    }

    /// <summary>
    /// Gets sacrebleu's signature for scores against one reference per segment, e.g.
    /// <c>nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0</c>.
    /// </summary>
    public string Signature { get; }

    /// <summary>Returns sacrebleu's signature for the given number of references per segment.</summary>
    /// <param name="referenceCount">
    /// The number of references every segment had, or <see langword="null"/> when it varied (<c>nrefs:var</c>, e.g. a
    /// corpus whose reference streams are padded with <see langword="null"/>); see <see cref="BleuStatistics.ReferenceCount"/>.
    /// </param>
    /// <returns>The signature string.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="referenceCount"/> is zero or negative.</exception>
    public string GetSignature(int? referenceCount) =>
        SacreBleuArguments.Signature(referenceCount, _signatureTail, nameof(referenceCount));

    /// <summary>Scores one hypothesis against its references (sacrebleu <c>BLEU.sentence_score</c>).</summary>
    /// <param name="hypothesis">The hypothesis; an empty one scores 0.</param>
    /// <param name="references">One or more references; empty strings are allowed.</param>
    /// <returns>The score and its parts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hypothesis"/> or <paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="references"/> is empty or holds <see langword="null"/>.</exception>
    public BleuScore Score(string hypothesis, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        SacreBleuArguments.ValidateReferences(references, nameof(references));
        BleuScratch scratch = ComputeSegment(hypothesis, references);
        return CreateScore(scratch.Counts(_maxOrder), scratch.Totals(_maxOrder), scratch.HypothesisLength, scratch.ClosestReferenceLength);
    }

    /// <summary>
    /// Returns the sentence BLEU score (0 to 100) of <see cref="Score(string, IReadOnlyList{string})"/> without
    /// allocating after warm-up (for rewards in training loops).
    /// </summary>
    /// <param name="hypothesis">The hypothesis; an empty one scores 0.</param>
    /// <param name="references">One or more references; empty strings are allowed.</param>
    /// <returns>The BLEU score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hypothesis"/> or <paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="references"/> is empty or holds <see langword="null"/>.</exception>
    public double ScoreValue(string hypothesis, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        SacreBleuArguments.ValidateReferences(references, nameof(references));
        BleuScratch scratch = ComputeSegment(hypothesis, references);
        return ComputeValue(scratch);
    }

    /// <summary>Returns the sentence BLEU score (0 to 100) of a hypothesis against a single reference, without allocating after warm-up.</summary>
    /// <param name="hypothesis">The hypothesis text; empty scores 0.</param>
    /// <param name="reference">The reference text.</param>
    /// <returns>The BLEU score.</returns>
    public double ScoreValue(ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference)
    {
        BleuScratch scratch = BleuScratch.Current;
        scratch.Begin();
        scratch.AddSegment(hypothesis, _tokenizer, _lowercase);
        scratch.AddSegment(reference, _tokenizer, _lowercase);
        scratch.Compute(_maxOrder);
        return ComputeValue(scratch);
    }

    /// <summary>Adds one segment's statistics to <paramref name="statistics"/> (one step of sacrebleu's <c>corpus_score</c>).</summary>
    /// <param name="hypothesis">The hypothesis.</param>
    /// <param name="references">One or more references; empty strings are allowed.</param>
    /// <param name="statistics">The accumulator; its <see cref="BleuStatistics.MaxNgramOrder"/> must equal <see cref="BleuOptions.MaxNgramOrder"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="references"/> is empty or holds <see langword="null"/>, or <paramref name="statistics"/> has a different maximum order.
    /// </exception>
    public void Accumulate(string hypothesis, IReadOnlyList<string> references, BleuStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        SacreBleuArguments.ValidateReferences(references, nameof(references));
        ValidateStatistics(statistics);
        BleuScratch scratch = ComputeSegment(hypothesis, references);
        statistics.AddSegment(
            scratch.HypothesisLength, scratch.ClosestReferenceLength, scratch.Counts(_maxOrder), scratch.Totals(_maxOrder), scratch.ReferenceCount);
    }

    /// <summary>Computes the score of accumulated statistics (sacrebleu <c>BLEU.compute_bleu</c>), applying this metric's smoothing and effective order.</summary>
    /// <param name="statistics">The statistics; with no segment the score is 0.</param>
    /// <returns>The score and its parts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="statistics"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="statistics"/> has a different maximum order than this metric.</exception>
    public BleuScore Score(BleuStatistics statistics)
    {
        ValidateStatistics(statistics);
        return CreateScore(statistics.Counts, statistics.Totals, statistics.SystemLength, statistics.ReferenceLength);
    }

    /// <summary>Scores a corpus (sacrebleu <c>BLEU.corpus_score</c>): segment statistics are summed, then scored.</summary>
    /// <param name="hypotheses">The hypotheses, one per segment; at least one.</param>
    /// <param name="referenceStreams">
    /// One or more reference streams, each holding one reference per hypothesis. Segments with fewer references are
    /// padded with <see langword="null"/>, which is skipped (sacrebleu <c>nrefs:var</c>); each segment needs at least one reference.
    /// </param>
    /// <param name="maxDegreeOfParallelism">
    /// The most threads to use: 1 (the default) runs on the calling thread, -1 uses one per processor. Segments are
    /// split into contiguous chunks of at least 64; the statistics are integer counts, so the score is bit for bit the
    /// one-thread score whatever the number of threads.
    /// </param>
    /// <returns>The corpus score and its parts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hypotheses"/> or <paramref name="referenceStreams"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="hypotheses"/> is empty or holds <see langword="null"/>; <paramref name="referenceStreams"/> is
    /// empty, holds a <see langword="null"/> stream or one whose length differs from the hypotheses', or leaves a segment without a reference.
    /// </exception>
    public BleuScore ScoreCorpus(
        IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams, int maxDegreeOfParallelism = 1)
    {
        SacreBleuArguments.ValidateCorpus(hypotheses, referenceStreams);
        // Each chunk of segments is summed into its own statistics, added in chunk order: integer counts, so the sum is
        // the one-thread sum exactly.
        return Score(MetricParallelism.SumInChunks(
            hypotheses.Count,
            maxDegreeOfParallelism,
            nameof(maxDegreeOfParallelism),
            () => new BleuStatistics(_maxOrder),
            (start, end, statistics) => AccumulateRange(hypotheses, referenceStreams, start, end, statistics),
            static (total, part) => total.Add(part)));
    }

    private void AccumulateRange(
        IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams, int start, int end, BleuStatistics statistics)
    {
        BleuScratch scratch = BleuScratch.Current;
        int streamCount = referenceStreams.Count;
        for (int i = start; i < end; i++)
        {
            scratch.Begin();
            scratch.AddSegment(hypotheses[i], _tokenizer, _lowercase);
            for (int s = 0; s < streamCount; s++)
            {
                string? reference = referenceStreams[s][i];
                if (reference is not null)
                {
                    scratch.AddSegment(reference, _tokenizer, _lowercase);
                }
            }

            scratch.Compute(_maxOrder);
            statistics.AddSegment(
                scratch.HypothesisLength, scratch.ClosestReferenceLength, scratch.Counts(_maxOrder), scratch.Totals(_maxOrder), scratch.ReferenceCount);
        }
    }

    /// <summary>
    /// sacrebleu's <c>BLEU.compute_bleu</c>: brevity penalty, early 0 when nothing matches, add-k applied in place to
    /// orders 2 and up, smoothing of zero-match orders, effective order, and the geometric mean with log(0) floored.
    /// </summary>
    internal static double Compute(
        ReadOnlySpan<long> rawCounts,
        ReadOnlySpan<long> rawTotals,
        long systemLength,
        long referenceLength,
        BleuSmoothing smoothing,
        double smoothValue,
        bool effectiveOrder,
        Span<double> counts,
        Span<double> totals,
        Span<double> precisions,
        out double brevityPenalty)
    {
        int maxOrder = rawCounts.Length;
        brevityPenalty = systemLength < referenceLength
            ? (systemLength > 0 ? Math.Exp(1 - ((double)referenceLength / systemLength)) : 0.0)
            : 1.0;

        bool anyMatch = false;
        for (int i = 0; i < maxOrder; i++)
        {
            counts[i] = rawCounts[i];
            totals[i] = rawTotals[i];
            precisions[i] = 0.0;
            anyMatch |= rawCounts[i] != 0;
        }

        if (!anyMatch)
        {
            return 0.0;
        }

        double smoothMteval = 1.0;
        int order = maxOrder;
        for (int n = 1; n <= maxOrder; n++)
        {
            if (smoothing == BleuSmoothing.AddK && n > 1)
            {
                counts[n - 1] += smoothValue;
                totals[n - 1] += smoothValue;
            }

            if (totals[n - 1] == 0)
            {
                break;
            }

            if (effectiveOrder)
            {
                order = n;
            }

            if (counts[n - 1] == 0)
            {
                if (smoothing == BleuSmoothing.Exponential)
                {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * totals[n - 1]);
                }
                else if (smoothing == BleuSmoothing.Floor)
                {
                    precisions[n - 1] = 100.0 * smoothValue / totals[n - 1];
                }
            }
            else
            {
                precisions[n - 1] = 100.0 * counts[n - 1] / totals[n - 1];
            }
        }

        double logSum = 0.0;
        for (int i = 0; i < order; i++)
        {
            logSum += precisions[i] == 0.0 ? -9999999999.0 : Math.Log(precisions[i]);   // sacrebleu my_log
        }

        return brevityPenalty * Math.Exp(logSum / order);
    }

    private BleuScratch ComputeSegment(string hypothesis, IReadOnlyList<string> references)
    {
        BleuScratch scratch = BleuScratch.Current;
        scratch.Begin();
        scratch.AddSegment(hypothesis, _tokenizer, _lowercase);
        int count = references.Count;
        for (int r = 0; r < count; r++)
        {
            scratch.AddSegment(references[r], _tokenizer, _lowercase);
        }

        scratch.Compute(_maxOrder);
        return scratch;
    }

    private double ComputeValue(BleuScratch scratch)
    {
        Span<double> buffer = stackalloc double[3 * MaxStackOrder];
        return Compute(
            scratch.Counts(_maxOrder),
            scratch.Totals(_maxOrder),
            scratch.HypothesisLength,
            scratch.ClosestReferenceLength,
            _smoothing,
            _smoothValue,
            _effectiveOrder,
            buffer[.._maxOrder],
            buffer.Slice(MaxStackOrder, _maxOrder),
            buffer.Slice(2 * MaxStackOrder, _maxOrder),
            out _);
    }

    private BleuScore CreateScore(ReadOnlySpan<long> rawCounts, ReadOnlySpan<long> rawTotals, long systemLength, long referenceLength)
    {
        double[] counts = new double[_maxOrder];
        double[] totals = new double[_maxOrder];
        double[] precisions = new double[_maxOrder];
        double score = Compute(
            rawCounts, rawTotals, systemLength, referenceLength, _smoothing, _smoothValue, _effectiveOrder, counts, totals, precisions, out double bp);
        return new BleuScore(score, counts, totals, precisions, bp, systemLength, referenceLength);
    }

    private void ValidateStatistics(BleuStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (statistics.MaxNgramOrder != _maxOrder)
        {
            throw new ArgumentException(
                $"The statistics have max n-gram order {statistics.MaxNgramOrder} but this metric uses {_maxOrder}. Create them with new BleuStatistics({_maxOrder}).",
                nameof(statistics));
        }
    }

    private readonly record struct Settings(
        BleuTokenizer Tokenizer, BleuSmoothing Smoothing, double? SmoothValue, bool Lowercase, bool EffectiveOrder, int MaxNgramOrder);
}
