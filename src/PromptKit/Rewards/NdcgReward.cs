using System.Buffers;
using System.Globalization;

namespace PromptKit;

/// <summary>Rewards a model's ranking answer with NDCG@k: the answer is parsed into a ranking of the target's candidates (<see cref="RankingParser"/>), then scored with the candidates' relevance grades.</summary>
/// <remarks>
/// <para>NDCG is <see cref="RankingMetrics.Ndcg(ReadOnlySpan{double}, int, NdcgGain)"/> (trec_eval's definition; linear
/// gain by default). Candidates the answer leaves out are ranked after the ones it names, in the parser's documented
/// order. An answer that names no candidate at all is a parse failure: <see cref="Compute"/> returns 0 (not the score of
/// the input order), <see cref="TryCompute"/> rejects it (so <see cref="PromptScorer{TTarget}"/> records it as malformed, not
/// as a success), and <see cref="Evaluate"/> reports the parse details.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class NdcgReward : IRejectingReward<RankingTarget>
{
    private const int StackLimit = 128; // doubles: 1 KB of stack at most
    private readonly RankingParser _parser;

    /// <summary>Initializes a new instance of the <see cref="NdcgReward"/> class.</summary>
    /// <param name="k">The cutoff.</param>
    /// <param name="gain">The gain function.</param>
    /// <param name="parser">The parser, or <see langword="null"/> for one with default options.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive, or <paramref name="gain"/> is not a defined value.</exception>
    public NdcgReward(int k = 10, NdcgGain gain = NdcgGain.Linear, RankingParser? parser = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (gain is not (NdcgGain.Linear or NdcgGain.Exponential))
        {
            throw new ArgumentOutOfRangeException(nameof(gain), gain, $"Gain {(int)gain} is not a defined {nameof(NdcgGain)} value.");
        }

        K = k;
        Gain = gain;
        _parser = parser ?? new RankingParser();
        Name = string.Create(CultureInfo.InvariantCulture, $"ndcg@{k}");
    }

    /// <summary>Gets the cutoff.</summary>
    public int K { get; }

    /// <summary>Gets the gain function.</summary>
    public NdcgGain Gain { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public double Compute(string output, RankingTarget target) => Evaluate(output, target).Reward;

    /// <summary>Computes the reward, rejecting an answer that names no candidate (a parse failure).</summary>
    /// <param name="output">The model's answer.</param>
    /// <param name="target">The candidates and their grades.</param>
    /// <param name="reward">When this method returns <see langword="true"/>, NDCG@k of the parsed ranking.</param>
    /// <returns><see langword="false"/> when the answer names no candidate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> or <paramref name="target"/> is <see langword="null"/>.</exception>
    public bool TryCompute(string output, RankingTarget target, out double reward)
    {
        RankingRewardResult result = Evaluate(output, target);
        reward = result.Reward;
        return !result.Parse.IsParseFailure;
    }

    /// <summary>Parses the answer and computes the reward.</summary>
    /// <param name="output">The model's answer.</param>
    /// <param name="target">The candidates and their grades.</param>
    /// <returns>The reward and the parse details.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> or <paramref name="target"/> is <see langword="null"/>.</exception>
    public RankingRewardResult Evaluate(string output, RankingTarget target)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        RankingParseResult parse = _parser.Parse(output, target.Candidates);
        if (parse.IsParseFailure)
        {
            return new RankingRewardResult(0.0, parse);
        }

        int n = parse.Ranking.Length;
        double[]? rented = null;
        Span<double> ranked = n <= StackLimit ? stackalloc double[n] : (rented = ArrayPool<double>.Shared.Rent(n)).AsSpan(0, n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                ranked[i] = target.Relevances[parse.Ranking[i]];
            }

            return new RankingRewardResult(RankingMetrics.Ndcg(ranked, K, Gain), parse);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }
}
