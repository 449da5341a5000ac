using System.Collections.Immutable;

namespace PromptKit;

/// <summary>
/// ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum with the same numbers as Google's rouge-score 0.1.2
/// (<c>rouge_score.rouge_scorer.RougeScorer</c> with its default tokenizer), with or without Porter stemming.
/// </summary>
/// <remarks>
/// <para>
/// Matches <c>RougeScorer(types, use_stemmer=UseStemmer).score(target=reference, prediction=prediction)</c> and
/// <c>.score_multi(references, prediction)</c> (default <c>split_summaries=False</c>). Tokenization: the text is
/// lowercased (as Python's <c>str.lower()</c>), every character outside <c>[a-z0-9]</c> becomes a separator, so
/// accented, non-Latin and other non-ASCII letters split words or vanish (<c>Straße</c> → <c>stra</c>, <c>e</c>), and
/// with <see cref="RougeOptions.UseStemmer"/> tokens longer than three characters are reduced by
/// <see cref="PorterStemmer"/> (NLTK 3.8 semantics).
/// </para>
/// <para>
/// ROUGE-N: P = overlap / max(prediction n-grams, 1), R = overlap / max(reference n-grams, 1), where the overlap is
/// the clipped multiset intersection of n-grams. ROUGE-L: P = LCS / prediction tokens, R = LCS / reference tokens.
/// ROUGE-Lsum: the texts are split into sentences at <c>'\n'</c> only; hits = the union-LCS of each reference sentence
/// with all prediction sentences, each token counted at most as often as it occurs in both texts (ROUGE 1.5.5's
/// summary-level LCS). F = 2PR / (P + R), and 0 when P + R = 0.
/// </para>
/// <para>
/// Empty input: a reference or prediction without tokens (empty, whitespace, punctuation or only non-ASCII letters)
/// gives 0 for precision, recall and F-measure of every type, as rouge-score does. A text shorter than n tokens has
/// no n-grams and scores 0 on ROUGE-N.
/// </para>
/// <para>
/// Thread safety: instances are immutable and may be shared; each thread scores with its own reused scratch buffers,
/// so scoring allocates nothing after warm-up apart from the returned <see cref="RougeResult"/> (the single-type
/// overloads allocate nothing).
/// </para>
/// </remarks>
public sealed class RougeMetric
{
    private const int TypeCount = 4;

    /// <summary>Initializes a new instance of the <see cref="RougeMetric"/> class with default options.</summary>
    public RougeMetric()
        : this(new RougeOptions())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RougeMetric"/> class.</summary>
    /// <param name="options">The options; they are copied, so later changes do not affect this instance.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <see cref="RougeOptions.Types"/> is <see langword="null"/>, empty or holds an undefined <see cref="RougeType"/>.
    /// </exception>
    public RougeMetric(RougeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<RougeType>? types = options.Types;
        if (types is null || types.Count == 0)
        {
            throw new ArgumentException(
                $"{nameof(RougeOptions)}.{nameof(RougeOptions.Types)} is {(types is null ? "null" : "empty")}. " +
                "Set it to at least one ROUGE type, e.g. [RougeType.Rouge1, RougeType.RougeL].",
                nameof(options));
        }

        var builder = ImmutableArray.CreateBuilder<RougeType>(TypeCount);
        for (int i = 0; i < types.Count; i++)
        {
            RougeType type = types[i];
            if ((uint)type > (uint)RougeType.RougeLsum)
            {
                throw new ArgumentException(
                    $"{nameof(RougeOptions)}.{nameof(RougeOptions.Types)}[{i}] is {(int)type}, which is not a defined " +
                    $"{nameof(RougeType)}. Use one of {string.Join(", ", Enum.GetNames<RougeType>())}.",
                    nameof(options));
            }

            if (!builder.Contains(type))
            {
                builder.Add(type);
            }
        }

        Types = builder.ToImmutable();
        UseStemmer = options.UseStemmer;
    }

    /// <summary>Gets a value indicating whether tokens longer than three characters are Porter-stemmed.</summary>
    public bool UseStemmer { get; }

    /// <summary>
    /// Gets the types that <see cref="Score(string, string)"/> and <see cref="ScoreMulti(IReadOnlyList{string}, string)"/>
    /// compute, in the order given in the options, without duplicates.
    /// </summary>
    public ImmutableArray<RougeType> Types { get; }

    /// <summary>Scores <paramref name="prediction"/> against one reference for every type in <see cref="Types"/>.</summary>
    /// <param name="reference">The reference (ground truth) text: rouge-score's <c>target</c>.</param>
    /// <param name="prediction">The predicted text.</param>
    /// <returns>The scores; all 0 when either text has no tokens.</returns>
    /// <exception cref="ArgumentNullException">
    /// <paramref name="reference"/> or <paramref name="prediction"/> is <see langword="null"/>.
    /// </exception>
    public RougeResult Score(string reference, string prediction)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(prediction);
        return Run(prediction, (Metric: this, Reference: reference), static (workspace, state) =>
        {
            state.Metric.Tokenize(workspace, state.Reference);
            Span<RougeScore> scores = stackalloc RougeScore[TypeCount];
            foreach (RougeType type in state.Metric.Types)
            {
                scores[(int)type] = RougeCalculator.Compute(workspace, type);
            }

            return new RougeResult(state.Metric.Types, scores);
        });
    }

    /// <summary>Scores <paramref name="prediction"/> against one reference for one type, without allocating.</summary>
    /// <param name="type">The ROUGE type; it need not be in <see cref="Types"/>.</param>
    /// <param name="reference">The reference (ground truth) text: rouge-score's <c>target</c>.</param>
    /// <param name="prediction">The predicted text.</param>
    /// <returns>The score; 0 when either text has no tokens.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined <see cref="RougeType"/>.</exception>
    /// <exception cref="ArgumentNullException">
    /// <paramref name="reference"/> or <paramref name="prediction"/> is <see langword="null"/>.
    /// </exception>
    public RougeScore Score(RougeType type, string reference, string prediction)
    {
        ThrowIfUndefined(type);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(prediction);
        return Run(prediction, (Metric: this, Reference: reference, Type: type), static (workspace, state) =>
        {
            state.Metric.Tokenize(workspace, state.Reference);
            return RougeCalculator.Compute(workspace, state.Type);
        });
    }

    /// <summary>
    /// Scores many reference/prediction pairs for every type in <see cref="Types"/>, optionally on several cores, and
    /// returns the mean precision, recall and F-measure of each type over the pairs.
    /// </summary>
    /// <param name="references">The reference texts, one per pair.</param>
    /// <param name="predictions">The predicted texts, in the same order as <paramref name="references"/>.</param>
    /// <param name="maxDegreeOfParallelism">
    /// The most threads to use: 1 (the default) runs on the calling thread, -1 uses one per processor. Each pair is
    /// scored by the same code and the means are summed in pair order, so the result is bit for bit the one-thread
    /// result whatever the number of threads.
    /// </param>
    /// <returns>
    /// For each type, the arithmetic means of <see cref="Score(string, string)"/>'s precision, recall and F-measure
    /// over the pairs (what <c>numpy.mean</c> of rouge-score's per-pair scores gives; rouge-score's own
    /// <c>BootstrapAggregator</c> reports bootstrap estimates instead).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="references"/> or <paramref name="predictions"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The lists are empty, differ in length, or hold <see langword="null"/>.</exception>
    public RougeResult ScoreCorpus(IReadOnlyList<string> references, IReadOnlyList<string> predictions, int maxDegreeOfParallelism = 1)
    {
        ValidateReferences(references);
        ArgumentNullException.ThrowIfNull(predictions);
        if (predictions.Count != references.Count)
        {
            throw new ArgumentException(
                $"The predictions count {predictions.Count} does not match the references count {references.Count}. Pass one prediction per reference.",
                nameof(predictions));
        }

        for (int i = 0; i < predictions.Count; i++)
        {
            if (predictions[i] is null)
            {
                throw new ArgumentException(
                    $"predictions[{i}] is null. Pass a string for every prediction (an empty string scores 0).",
                    nameof(predictions));
            }
        }

        int degree = MetricParallelism.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        int count = references.Count;
        int typeCount = Types.Length;
        RougeScore[] scores = System.Buffers.ArrayPool<RougeScore>.Shared.Rent(count * typeCount);
        try
        {
            int chunks = MetricParallelism.ChunkCount(count, degree, MetricParallelism.MinimumSegmentsPerChunk);
            if (chunks == 1)
            {
                ScoreRange(references, predictions, 0, count, scores);
            }
            else
            {
                ScoreInParallel(references, predictions, chunks, scores);
            }

            Span<RougeScore> means = stackalloc RougeScore[TypeCount];
            for (int t = 0; t < typeCount; t++)
            {
                double precision = 0.0;
                double recall = 0.0;
                double fMeasure = 0.0;
                for (int i = 0; i < count; i++)
                {
                    RougeScore score = scores[(i * typeCount) + t];
                    precision += score.Precision;
                    recall += score.Recall;
                    fMeasure += score.FMeasure;
                }

                means[(int)Types[t]] = new RougeScore(precision / count, recall / count, fMeasure / count);
            }

            return new RougeResult(Types, means);
        }
        finally
        {
            System.Buffers.ArrayPool<RougeScore>.Shared.Return(scores);
        }
    }

    /// <summary>
    /// Scores <paramref name="prediction"/> against one reference with ROUGE-N of any order (rouge-score's
    /// <c>rouge3</c> … <c>rouge9</c>, and beyond), without allocating.
    /// </summary>
    /// <param name="order">The n-gram order n; 1 and 2 equal <see cref="RougeType.Rouge1"/> and <see cref="RougeType.Rouge2"/>.</param>
    /// <param name="reference">The reference (ground truth) text: rouge-score's <c>target</c>.</param>
    /// <param name="prediction">The predicted text.</param>
    /// <returns>The score; 0 when either text has fewer than <paramref name="order"/> tokens.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="order"/> is zero or negative.</exception>
    /// <exception cref="ArgumentNullException">
    /// <paramref name="reference"/> or <paramref name="prediction"/> is <see langword="null"/>.
    /// </exception>
    public RougeScore ScoreNgrams(int order, string reference, string prediction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(order);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(prediction);
        return Run(prediction, (Metric: this, Reference: reference, Order: order), static (workspace, state) =>
        {
            state.Metric.Tokenize(workspace, state.Reference);
            return RougeCalculator.Ngrams(workspace, state.Order);
        });
    }

    /// <summary>
    /// Scores <paramref name="prediction"/> against several references: for each type in <see cref="Types"/>, the score
    /// of the reference with the highest F-measure (the first one on ties), as rouge-score's <c>score_multi</c>.
    /// </summary>
    /// <param name="references">The reference texts; at least one.</param>
    /// <param name="prediction">The predicted text.</param>
    /// <returns>The best score of each type; types may come from different references.</returns>
    /// <exception cref="ArgumentNullException">
    /// <paramref name="references"/> or <paramref name="prediction"/> is <see langword="null"/>.
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="references"/> is empty or contains <see langword="null"/>.</exception>
    public RougeResult ScoreMulti(IReadOnlyList<string> references, string prediction)
    {
        ValidateReferences(references);
        ArgumentNullException.ThrowIfNull(prediction);
        return Run(prediction, (Metric: this, References: references), static (workspace, state) =>
        {
            Span<RougeScore> best = stackalloc RougeScore[TypeCount];
            for (int r = 0; r < state.References.Count; r++)
            {
                state.Metric.Tokenize(workspace, state.References[r]);
                foreach (RougeType type in state.Metric.Types)
                {
                    RougeScore score = RougeCalculator.Compute(workspace, type);
                    if (r == 0 || score.FMeasure > best[(int)type].FMeasure)
                    {
                        best[(int)type] = score;
                    }
                }
            }

            return new RougeResult(state.Metric.Types, best);
        });
    }

    /// <summary>
    /// Scores <paramref name="prediction"/> against several references for one type: the score of the reference with
    /// the highest F-measure (the first one on ties), as rouge-score's <c>score_multi</c>, without allocating.
    /// </summary>
    /// <param name="type">The ROUGE type; it need not be in <see cref="Types"/>.</param>
    /// <param name="references">The reference texts; at least one.</param>
    /// <param name="prediction">The predicted text.</param>
    /// <returns>The best score.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined <see cref="RougeType"/>.</exception>
    /// <exception cref="ArgumentNullException">
    /// <paramref name="references"/> or <paramref name="prediction"/> is <see langword="null"/>.
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="references"/> is empty or contains <see langword="null"/>.</exception>
    public RougeScore ScoreMulti(RougeType type, IReadOnlyList<string> references, string prediction)
    {
        ThrowIfUndefined(type);
        ValidateReferences(references);
        ArgumentNullException.ThrowIfNull(prediction);
        return Run(prediction, (Metric: this, References: references, Type: type), static (workspace, state) =>
        {
            RougeScore best = default;
            for (int r = 0; r < state.References.Count; r++)
            {
                state.Metric.Tokenize(workspace, state.References[r]);
                RougeScore score = RougeCalculator.Compute(workspace, state.Type);
                if (r == 0 || score.FMeasure > best.FMeasure)
                {
                    best = score;
                }
            }

            return best;
        });
    }

    private void ScoreInParallel(IReadOnlyList<string> references, IReadOnlyList<string> predictions, int chunks, RougeScore[] scores) =>
        MetricParallelism.Run(references.Count, chunks, (_, start, end) => ScoreRange(references, predictions, start, end, scores));

    // Scores pairs [start, end) for every type in Types into scores[pair * Types.Length + type index], tokenizing each
    // text once.
    private void ScoreRange(IReadOnlyList<string> references, IReadOnlyList<string> predictions, int start, int end, RougeScore[] scores)
    {
        for (int i = start; i < end; i++)
        {
            Run(predictions[i], (Metric: this, Reference: references[i], Scores: scores, Offset: i * Types.Length), static (workspace, state) =>
            {
                state.Metric.Tokenize(workspace, state.Reference);
                ImmutableArray<RougeType> types = state.Metric.Types;
                for (int t = 0; t < types.Length; t++)
                {
                    state.Scores[state.Offset + t] = RougeCalculator.Compute(workspace, types[t]);
                }

                return 0;
            });
        }
    }

    /// <summary>Rents this thread's workspace, tokenizes the prediction, runs <paramref name="score"/> and returns the workspace.</summary>
    private TResult Run<TState, TResult>(string prediction, TState state, Func<RougeWorkspace, TState, TResult> score)
    {
        RougeWorkspace workspace = RougeWorkspace.Rent();
        try
        {
            workspace.Reset();
            workspace.Tokenize(prediction, UseStemmer, workspace.Prediction);
            return score(workspace, state);
        }
        finally
        {
            RougeWorkspace.Return(workspace);
        }
    }

    private void Tokenize(RougeWorkspace workspace, string reference) => workspace.Tokenize(reference, UseStemmer, workspace.Reference);

    internal static void ThrowIfUndefined(RougeType type)
    {
        if ((uint)type > (uint)RougeType.RougeLsum)
        {
            throw new ArgumentOutOfRangeException(
                nameof(type),
                type,
                $"{(int)type} is not a defined {nameof(RougeType)}. Use one of {string.Join(", ", Enum.GetNames<RougeType>())}.");
        }
    }

    private static void ValidateReferences(IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0)
        {
            throw new ArgumentException("The references list is empty. Pass at least one reference text.", nameof(references));
        }

        for (int i = 0; i < references.Count; i++)
        {
            if (references[i] is null)
            {
                throw new ArgumentException(
                    $"references[{i}] is null. Pass a string for every reference (an empty string scores 0).",
                    nameof(references));
            }
        }
    }
}
