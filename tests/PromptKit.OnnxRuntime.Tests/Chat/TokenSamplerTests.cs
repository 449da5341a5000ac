namespace PromptKit.OnnxRuntime.Tests.Chat;

public sealed class TokenSamplerTests
{
    [Fact]
    public void Greedy_Ties_ReturnsFirstMaximum() => TokenSampler.Greedy([1f, 3f, 0f, 3f]).Should().Be(1);

    [Fact]
    public void Next_NoRandom_IsGreedy()
    {
        var sampler = new TokenSampler(temperature: 1f, topP: 1f, topK: 0, random: null);

        int token = sampler.Next([0.5f, -1f, 2f]);

        sampler.IsGreedy.Should().BeTrue();
        token.Should().Be(2);
    }

    [Fact]
    public void Next_Temperature1_DrawsSoftmaxFrequencies()
    {
        var sampler = new TokenSampler(temperature: 1f, topP: 1f, topK: 0, random: new Random(5));
        float[] logits = [MathF.Log(1f), MathF.Log(3f), MathF.Log(6f)];
        int[] counts = new int[3];

        for (int i = 0; i < 30_000; i++)
        {
            counts[sampler.Next(logits)]++;
        }

        // Expected 0.1 / 0.3 / 0.6; 5 standard errors at n = 30000 is under 0.015.
        (counts[0] / 30_000.0).Should().BeApproximately(0.1, 0.015);
        (counts[1] / 30_000.0).Should().BeApproximately(0.3, 0.015);
        (counts[2] / 30_000.0).Should().BeApproximately(0.6, 0.015);
    }

    [Fact]
    public void Next_TopK2_NeverDrawsThirdToken()
    {
        var sampler = new TokenSampler(temperature: 5f, topP: 1f, topK: 2, random: new Random(1));
        float[] logits = [1f, 0.9f, 0.8f];

        int[] drawn = [.. Enumerable.Range(0, 2000).Select(_ => sampler.Next(logits))];

        drawn.Should().OnlyContain(t => t == 0 || t == 1).And.Contain(0).And.Contain(1);
    }

    [Fact]
    public void Next_TopP_KeepsSmallestSetReachingP()
    {
        // Probabilities 0.5, 0.3, 0.2: p = 0.7 keeps the first two (0.5 < 0.7 <= 0.8).
        var sampler = new TokenSampler(temperature: 1f, topP: 0.7f, topK: 0, random: new Random(9));
        float[] logits = [MathF.Log(0.5f), MathF.Log(0.3f), MathF.Log(0.2f)];
        int[] counts = new int[3];

        for (int i = 0; i < 20_000; i++)
        {
            counts[sampler.Next(logits)]++;
        }

        counts[2].Should().Be(0);
        (counts[0] / 20_000.0).Should().BeApproximately(0.625, 0.02);
    }

    [Fact]
    public void Next_TinyTopP_IsGreedy()
    {
        var sampler = new TokenSampler(temperature: 10f, topP: 1e-6f, topK: 0, random: new Random(2));

        int[] drawn = [.. Enumerable.Range(0, 200).Select(_ => sampler.Next([0.1f, 0.3f, 0.2f]))];

        drawn.Should().OnlyContain(t => t == 1);
    }

    [Fact]
    public void Next_SameSeed_SameDraws()
    {
        float[] logits = [.. Enumerable.Range(0, 50).Select(i => MathF.Sin(i))];
        var a = new TokenSampler(1.3f, 0.9f, 20, new Random(42));
        var b = new TokenSampler(1.3f, 0.9f, 20, new Random(42));

        int[] first = [.. Enumerable.Range(0, 100).Select(_ => a.Next(logits))];
        int[] second = [.. Enumerable.Range(0, 100).Select(_ => b.Next(logits))];

        second.Should().Equal(first);
    }
}
