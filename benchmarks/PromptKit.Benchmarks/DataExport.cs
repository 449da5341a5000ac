using System.Globalization;
using System.Text;

namespace PromptKit.Benchmarks;

/// <summary>
/// Writes the benchmark inputs (and PromptKit's results on them) to files, so that the Python reference timings in
/// <c>benchmarks/python</c> run on exactly the same data. Invoked with <c>--export-data DIR</c>.
/// </summary>
internal static class DataExport
{
    public const string Switch = "--export-data";

    public static void Run(string directory)
    {
        Directory.CreateDirectory(directory);
        (string[] hypotheses, string[] references) = BenchmarkData.SentencePairs(BenchmarkData.PairCount, BenchmarkData.TokensPerSentence);
        var text = new StringBuilder();
        for (int i = 0; i < hypotheses.Length; i++)
        {
            text.Append(hypotheses[i]).Append('\t').Append(references[i]).Append('\n');
        }

        File.WriteAllText(Path.Combine(directory, "pairs.tsv"), text.ToString(), new UTF8Encoding(false));

        (double[] scores, double[] relevances) = BenchmarkData.RankingLists(BenchmarkData.ListCount, BenchmarkData.ListLength);
        WriteDoubles(Path.Combine(directory, "ranking_scores.f64"), scores);
        WriteDoubles(Path.Combine(directory, "ranking_relevances.f64"), relevances);

        // PromptKit's own results on the same inputs, for cross-checking the Python figures.
        var bleu = new BleuBenchmark();
        bleu.Setup();
        var chrf = new ChrfBenchmark();
        chrf.Setup();
        var rouge = new RougeBenchmark { UseStemmer = false };
        rouge.Setup();
        var rougeStemmed = new RougeBenchmark { UseStemmer = true };
        rougeStemmed.Setup();
        var ndcg = new NdcgBenchmark();
        ndcg.Setup();
        var results = new StringBuilder();
        Append(results, "bleu_sentence_sum", bleu.SentenceScoreValue());
        Append(results, "bleu_corpus", bleu.CorpusScore());
        Append(results, "chrf_sentence_sum", chrf.SentenceScoreValue());
        Append(results, "chrf_corpus", chrf.CorpusScore());
        Append(results, "rouge_1_2_L_f_sum", rouge.Rouge12L());
        Append(results, "rouge_1_2_L_f_sum_stemmed", rougeStemmed.Rouge12L());
        Append(results, "ndcg10_ranked_mean", ndcg.Ndcg() / BenchmarkData.ListCount);
        Append(results, "ndcg10_ties_mean", ndcg.NdcgWithTies() / BenchmarkData.ListCount);
        File.WriteAllText(Path.Combine(directory, "promptkit_results.txt"), results.ToString());
        Console.Write(results.ToString());
        Console.WriteLine($"Wrote {hypotheses.Length} pairs and {BenchmarkData.ListCount} lists of {BenchmarkData.ListLength} items to {Path.GetFullPath(directory)}");
    }

    private static void Append(StringBuilder builder, string name, double value) =>
        builder.Append(name).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');

    private static void WriteDoubles(string path, double[] values)
    {
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        foreach (double value in values)
        {
            writer.Write(value);
        }
    }
}
