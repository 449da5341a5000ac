using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.AI;
using PromptKit;

namespace PromptKit.Snippets;

#pragma warning disable IDE0059, CS0219, CA1849

internal static class EvaluatorsSnippets
{
    public static void Interpret(EvaluationResult result)
    {
        #region interpret
        result.Interpret(metric => metric is NumericMetric { Name: BleuEvaluator.BleuMetricName, Value: double bleu }
            ? new EvaluationMetricInterpretation(
                bleu >= 0.3 ? EvaluationRating.Good : EvaluationRating.Poor,
                failed: bleu < 0.3,
                reason: "BLEU cut-off 0.3 for this task.")
            : null);
        #endregion
    }

    public static async Task EvaluateAsync()
    {
        #region evaluate
        IEvaluator evaluator = new CompositeEvaluator(
            new BleuEvaluator(),                                             // sacrebleu sentence_bleu
            new ChrfEvaluator(new ChrfOptions { WordOrder = 2 }),            // chrF++
            new RougeEvaluator(new RougeOptions { UseStemmer = true, Types = [RougeType.Rouge1, RougeType.RougeL] }));

        ChatMessage[] messages = [new(ChatRole.User, "Where is the cat?")];
        ChatResponse response = new(new ChatMessage(ChatRole.Assistant, "The cat is sitting on the mat."));
        var references = new ReferenceTextContext("The cat sat on the mat.", "A cat was sitting on the mat.");

        EvaluationResult result = await evaluator.EvaluateAsync(messages, response, additionalContext: [references]);

        foreach (EvaluationMetric metric in result.Metrics.Values)
        {
            var numeric = (NumericMetric)metric;
            Console.WriteLine($"{numeric.Name,-8} {numeric.Value:0.000} {numeric.Interpretation?.Rating} {numeric.Reason}");
        }

        double rougeL = result.Get<NumericMetric>(RougeEvaluator.GetMetricName(RougeType.RougeL)).Value ?? 0;
        #endregion
    }
}
