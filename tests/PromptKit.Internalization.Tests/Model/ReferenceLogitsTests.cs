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

public sealed class DecoderCacheTests
{
    [Fact]
    public void FeedingASequenceInChunksThroughTheCacheEqualsOneFullPass()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        TinyCheckpoints.Reference reference = TinyCheckpoints.LoadReference(TinyCheckpoints.Llama);
        int[] ids = reference.InputIds;
        float[] full = model.GetLogits(ids);
        int vocabulary = model.Config.VocabularySize;

        using var noGrad = TorchSharp.torch.no_grad();
        using var cache = new DecoderCache(model.Config.LayerCount);
        var chunked = new List<float>();
        foreach ((int start, int length) in new[] { (0, 10), (10, 7), (17, 1), (18, ids.Length - 18) })
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            long[] chunk = [.. ids.Skip(start).Take(length).Select(static t => (long)t)];
            using TorchSharp.torch.Tensor input = TorchSharp.torch.tensor(chunk, [1, length]);
            chunked.AddRange(model.Network.Forward(input, cache).contiguous().data<float>().ToArray());
        }

        chunked.Should().HaveCount(full.Length);
        LoraTests.MaxDifference([.. chunked], full).Should().BeLessThan(1e-5, "several new tokens after a cache see keys up to their own position");
        _ = vocabulary;
    }
}
