namespace PromptKit.Internalization.Tests;

public sealed class ReferenceLogitsTests
{
    [Theory]
    [InlineData(TinyCheckpoints.Llama)]
    [InlineData(TinyCheckpoints.Qwen2)]
    public void LogitsEqualTheIndependentReferenceImplementation(string checkpoint)
    {
        TinyCheckpoints.Reference reference = TinyCheckpoints.LoadReference(checkpoint);
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(checkpoint));

        float[] logits = model.GetLogits(reference.InputIds);

        int vocabulary = model.Config.VocabularySize;
        logits.Length.Should().Be(reference.InputIds.Length * vocabulary);
        double worst = 0;
        for (int t = 0; t < reference.InputIds.Length; t++)
        {
            for (int v = 0; v < vocabulary; v++)
            {
                worst = Math.Max(worst, Math.Abs(logits[(t * vocabulary) + v] - reference.Logits[t][v]));
            }
        }

        worst.Should().BeLessThan(1e-4, "the C# model must compute what the independent reference computes");
    }

    [Theory]
    [InlineData(TinyCheckpoints.Llama)]
    [InlineData(TinyCheckpoints.Qwen2)]
    public void GreedyGenerationWithTheCacheEqualsTheReference(string checkpoint)
    {
        TinyCheckpoints.Reference reference = TinyCheckpoints.LoadReference(checkpoint);
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(checkpoint));
        var options = new GenerationOptions { MaxNewTokens = reference.GreedyGenerated.Length };
        options.StopTokenIds.Add(-1); // never stop early: compare all tokens

        IReadOnlyList<int> generated = model.Generate(reference.GreedyPrompt, options);

        generated.Should().Equal(reference.GreedyGenerated);
    }

    [Fact]
    public void TheFixtureExercisesGroupedQueryAttentionTiedHeadsBiasAndRotaryScaling()
    {
        LlamaConfig llama = LlamaConfig.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        LlamaConfig qwen = LlamaConfig.Load(TinyCheckpoints.Folder(TinyCheckpoints.Qwen2));

        llama.HeadsPerKeyValueHead.Should().Be(2);
        llama.RopeScaling!.Type.Should().Be(RopeScaling.Llama3);
        llama.TieWordEmbeddings.Should().BeFalse();
        qwen.HeadsPerKeyValueHead.Should().Be(6);
        qwen.TieWordEmbeddings.Should().BeTrue();
        qwen.AttentionBias.Should().BeTrue();
    }
}
