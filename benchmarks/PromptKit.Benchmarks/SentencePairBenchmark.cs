using BenchmarkDotNet.Attributes;

namespace PromptKit.Benchmarks;

/// <summary>
/// The inputs the sacrebleu-style metric benchmarks share: <see cref="BenchmarkData.PairCount"/> hypothesis/reference
/// pairs, each reference also as a one-item list (sentence scoring) and as the single reference stream (corpus scoring).
/// </summary>
public abstract class SentencePairBenchmark
{
    /// <summary>The number of pairs every benchmark method scores (its <c>OperationsPerInvoke</c>).</summary>
    protected const int Pairs = BenchmarkData.PairCount;

    /// <summary>Gets the hypotheses.</summary>
    protected string[] Hypotheses { get; private set; } = [];

    /// <summary>Gets the references, one per hypothesis.</summary>
    protected string[] References { get; private set; } = [];

    /// <summary>Gets each reference as a one-item list.</summary>
    protected string[][] ReferenceLists { get; private set; } = [];

    /// <summary>Gets the references as the single reference stream of a corpus.</summary>
    protected IReadOnlyList<IReadOnlyList<string?>> ReferenceStreams { get; private set; } = [];

    /// <summary>Builds the sentence pairs and the per-pair reference lists.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (Hypotheses, References) = BenchmarkData.SentencePairs(Pairs, BenchmarkData.TokensPerSentence);
        ReferenceLists = new string[Pairs][];
        for (int i = 0; i < Pairs; i++)
        {
            ReferenceLists[i] = [References[i]];
        }

        ReferenceStreams = [References];
    }
}
