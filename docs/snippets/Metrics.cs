using PromptKit;

namespace PromptKit.Snippets;

#pragma warning disable IDE0059, CS0219, CA1849

internal static class MetricsSnippets
{
    public static void FromScores(double[] scores, double[] grades, int lists, double[] allScores, double[] allGrades, int[] listOffsets, double[] recalls)
    {
        #region from-scores
        double ndcg = RankingMetrics.FromScores(RankingMetric.Ndcg, scores, grades, k: 10);
        double sk = RankingMetrics.FromScores(RankingMetric.Ndcg, scores, grades, 10, RankingTies.Average, NdcgGain.Exponential);

        // A batch: flat arrays, lists of 100 items one after another (or list offsets for ragged lists), on all cores.
        var ndcgs = new double[lists];
        RankingMetrics.FromScores(RankingMetric.Ndcg, allScores, allGrades, listLength: 100, k: 10, ndcgs, maxDegreeOfParallelism: -1);
        RankingMetrics.FromScores(RankingMetric.Recall, allScores, allGrades, listOffsets, k: 20, recalls);
        #endregion
    }

    public static void Ranking(double[] rankedRelevances, double[] judgedRelevances, double[] scores, double[] relevances)
    {
        #region ranking
        double ndcg = RankingMetrics.Ndcg(rankedRelevances, k: 10);                          // ideal from the list itself
        double trec = RankingMetrics.Ndcg(rankedRelevances, judgedRelevances, k: 10);         // ideal from all judged items (trec_eval)
        double sk = RankingMetrics.NdcgWithTies(scores, relevances, k: 10);                   // sklearn: tied scores share the mean gain
        double mrr = RankingMetrics.ReciprocalRank(rankedRelevances);
        double p = RankingMetrics.PrecisionAt(rankedRelevances, 5);                           // divides by k, as trec_eval P_k
        double ap = RankingMetrics.AveragePrecision(rankedRelevances, totalRelevant: 3);
        #endregion
    }

    public static void Rouge()
    {
        #region rouge
        var rouge = new RougeMetric(new RougeOptions { UseStemmer = true });
        RougeResult r = rouge.Score(reference: "the cats were sitting", prediction: "a cat sat");
        double f = r[RougeType.RougeL].FMeasure;
        RougeResult best = rouge.ScoreMulti(["ref one", "ref two"], "prediction");  // best F per type, first on ties
        #endregion
    }

    public static void Bleu(IReadOnlyList<string> hypotheses, IReadOnlyList<string> referenceStream1, IReadOnlyList<string> referenceStream2)
    {
        #region bleu
        var bleu = new BleuMetric(new BleuOptions { EffectiveOrder = true });     // = sacrebleu.sentence_bleu defaults
        BleuScore s = bleu.Score("The cat sat on the mat.", ["The cat is on the mat."]);
        Console.WriteLine(s);            // BLEU = … (sacrebleu's format)
        Console.WriteLine(bleu.Signature); // nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0
        BleuScore corpus = new BleuMetric().ScoreCorpus(hypotheses, [referenceStream1, referenceStream2]);
        BleuScore fast = new BleuMetric().ScoreCorpus(hypotheses, [referenceStream1], maxDegreeOfParallelism: -1); // all cores
        #endregion
    }
}
