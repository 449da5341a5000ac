namespace PromptKit.Internalization.Tests;

/// <summary>A memorization task for adapter tests: a few fixed random sequences, with targets after the first half.</summary>
internal static class ToyTask
{
    public static List<LanguageModelingExample> Examples(int vocabulary, int count = 6, int length = 14, int seed = 3)
    {
        var random = new Random(seed);
        var examples = new List<LanguageModelingExample>(count);
        for (int i = 0; i < count; i++)
        {
            int[] tokens = [.. Enumerable.Range(0, length).Select(_ => random.Next(vocabulary))];
            bool[] targets = [.. Enumerable.Range(0, length).Select(t => t >= length / 2)];
            examples.Add(new LanguageModelingExample(tokens, targets));
        }

        return examples;
    }

    public static LanguageModelTrainerOptions FastOptions(int epochs = 8) => new()
    {
        Epochs = epochs,
        BatchSize = 3,
        LearningRate = 5e-3,
        WarmupRatio = 0,
        Seed = 11,
    };

    public static Dictionary<string, float[]> Snapshot(CausalLanguageModel model) =>
        model.Network.named_parameters().ToDictionary(static p => p.name, static p => p.parameter.detach().contiguous().data<float>().ToArray());
}
