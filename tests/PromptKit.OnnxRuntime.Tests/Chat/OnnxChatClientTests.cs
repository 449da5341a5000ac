using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace PromptKit.OnnxRuntime.Tests.Chat;

public sealed class OnnxChatClientTests
{
    private const float LogitTolerance = 1e-4f;

    public static TheoryData<int, bool> CasesWithAndWithoutCache()
    {
        var data = new TheoryData<int, bool>();
        for (int i = 0; i < LmTestModel.Cases.Count; i++)
        {
            data.Add(i, true);
            data.Add(i, false);
        }

        return data;
    }

    public static TheoryData<int> Cases() => LmTestModel.CaseIndices();

    [Theory]
    [MemberData(nameof(Cases))]
    public void FormatDefaultPrompt_ReferenceMessages_EqualsScriptTemplate(int index)
    {
        ReferenceCase c = LmTestModel.Cases[index];

        string prompt = OnnxChatClient.FormatDefaultPrompt(c.Messages);

        prompt.Should().Be(c.PromptText);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tokenizer_ReferencePrompt_EncodesToScriptIds(int index)
    {
        ReferenceCase c = LmTestModel.Cases[index];
        using OnnxChatClient client = LmTestModel.Client();

        IReadOnlyList<int> ids = client.Tokenize(c.PromptText);

        ids.Should().Equal(c.PromptIds);
    }

    [Theory]
    [MemberData(nameof(CasesWithAndWithoutCache))]
    public void ComputeNextTokenLogits_ReferencePrompt_MatchesTorchWithin1e4(int index, bool withPast)
    {
        ReferenceCase c = LmTestModel.Cases[index];
        using OnnxChatClient client = LmTestModel.Client(withPast);

        float[] logits = client.ComputeNextTokenLogits(c.PromptIds);

        logits.Should().HaveCount(c.FirstStepLogits.Length);
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i].Should().BeApproximately(c.FirstStepLogits[i], LogitTolerance, "logit {0} of case {1}", i, index);
        }
    }

    [Theory]
    [MemberData(nameof(CasesWithAndWithoutCache))]
    public async Task GetResponseAsync_GreedyWithoutEos_TokensAndTextMatchTorchReference(int index, bool withPast)
    {
        ReferenceCase c = LmTestModel.Cases[index];
        using OnnxChatClient client = LmTestModel.Client(withPast, withEos: false);
        var options = new ChatOptions { MaxOutputTokens = c.GreedyIds.Length };

        IReadOnlyList<int> ids = client.GenerateTokenIds(c.Messages, options, CancellationToken.None);
        ChatResponse response = await client.GetResponseAsync(c.Messages, options);

        ids.Should().Equal(c.GreedyIds);
        response.Text.Should().Be(LmTestModel.Tokenizer.Decode(c.GreedyIds));
        response.FinishReason.Should().Be(ChatFinishReason.Length);
        response.Usage!.InputTokenCount.Should().Be(c.PromptIds.Length);
        response.Usage.OutputTokenCount.Should().Be(c.GreedyIds.Length);
        response.Usage.TotalTokenCount.Should().Be(c.PromptIds.Length + c.GreedyIds.Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.8f)]
    public void GenerateTokenIds_KeyValueCache_EqualsFullRecompute(float? temperature)
    {
        using OnnxChatClient cached = LmTestModel.Client(withPast: true, withEos: false);
        using OnnxChatClient recomputed = LmTestModel.Client(withPast: false, withEos: false);
        var options = new ChatOptions { MaxOutputTokens = 60, Temperature = temperature, Seed = 7 };

        cached.HasKeyValueCache.Should().BeTrue();
        recomputed.HasKeyValueCache.Should().BeFalse();
        foreach (ReferenceCase c in LmTestModel.Cases)
        {
            IReadOnlyList<int> withCache = cached.GenerateTokenIds(c.Messages, options, CancellationToken.None);
            IReadOnlyList<int> withoutCache = recomputed.GenerateTokenIds(c.Messages, options, CancellationToken.None);

            withCache.Should().HaveCount(60).And.Equal(withoutCache);
        }
    }

    [Fact]
    public void GenerateTokenIds_SameSeed_IsReproducible_DifferentSeeds_Differ()
    {
        using OnnxChatClient client = LmTestModel.Client(withEos: false);
        ChatMessage[] messages = LmTestModel.Cases[3].Messages;
        ChatOptions Options(long seed) => new() { Temperature = 1.5f, TopP = 0.95f, TopK = 50, MaxOutputTokens = 30, Seed = seed };

        IReadOnlyList<int> first = client.GenerateTokenIds(messages, Options(1), CancellationToken.None);
        IReadOnlyList<int> again = client.GenerateTokenIds(messages, Options(1), CancellationToken.None);
        IReadOnlyList<int> other = client.GenerateTokenIds(messages, Options(2), CancellationToken.None);
        IReadOnlyList<int> greedy = client.GenerateTokenIds(messages, new ChatOptions { MaxOutputTokens = 30 }, CancellationToken.None);

        again.Should().Equal(first);
        other.Should().NotEqual(first);
        first.Should().NotEqual(greedy);
    }

    [Fact]
    public void GenerateTokenIds_TopKOne_EqualsGreedy()
    {
        using OnnxChatClient client = LmTestModel.Client(withEos: false);
        ReferenceCase c = LmTestModel.Cases[1];

        IReadOnlyList<int> ids = client.GenerateTokenIds(
            c.Messages, new ChatOptions { Temperature = 2f, TopK = 1, Seed = 3, MaxOutputTokens = c.GreedyIds.Length }, CancellationToken.None);

        ids.Should().Equal(c.GreedyIds);
    }

    [Fact]
    public async Task GetResponseAsync_EndOfSequenceToken_StopsBeforeItAndCountsIt()
    {
        ReferenceCase c = LmTestModel.Cases[0];
        int eosAt = Array.IndexOf(c.GreedyIds, LmTestModel.EndOfText);
        using OnnxChatClient client = LmTestModel.Client();

        ChatResponse response = await client.GetResponseAsync(c.Messages);

        eosAt.Should().BePositive();
        response.Text.Should().Be("hi there!").And.Be(LmTestModel.Tokenizer.Decode(c.GreedyIds.Take(eosAt)));
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
        response.Usage!.OutputTokenCount.Should().Be(eosAt + 1);
    }

    [Theory]
    [InlineData("two", "one ")]
    [InlineData("e t", "on")]
    [InlineData("three", "one two ")]
    [InlineData("zzz", "one two three")]
    public async Task GetResponseAsync_StopSequence_CutsTextBeforeIt(string stop, string expected)
    {
        ReferenceCase c = LmTestModel.Cases[1];
        using OnnxChatClient client = LmTestModel.Client();
        var options = new ChatOptions { StopSequences = ["never", stop] };

        ChatResponse response = await client.GetResponseAsync(c.Messages, options);
        string streamed = await ConcatAsync(client.GetStreamingResponseAsync(c.Messages, options));

        response.Text.Should().Be(expected);
        streamed.Should().Be(expected);
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
    }

    [Fact]
    public async Task GetResponseAsync_MaxOutputTokens_FinishesWithLength()
    {
        ReferenceCase c = LmTestModel.Cases[1];
        using OnnxChatClient client = LmTestModel.Client();

        ChatResponse response = await client.GetResponseAsync(c.Messages, new ChatOptions { MaxOutputTokens = 3 });

        response.FinishReason.Should().Be(ChatFinishReason.Length);
        response.Usage!.OutputTokenCount.Should().Be(3);
        response.Text.Should().Be(LmTestModel.Tokenizer.Decode(c.GreedyIds.Take(3)));
    }

    [Fact]
    public async Task GetResponseAsync_ContextFull_FinishesWithLengthAtContextLimit()
    {
        ReferenceCase c = LmTestModel.Cases[3];
        OnnxChatClientOptions options = LmTestModel.Options(withEos: false);
        options.MaxContextLength = c.PromptIds.Length + 5;
        using var client = new OnnxChatClient(options);

        ChatResponse response = await client.GetResponseAsync(c.Messages, new ChatOptions { MaxOutputTokens = 100 });

        response.FinishReason.Should().Be(ChatFinishReason.Length);
        response.Usage!.OutputTokenCount.Should().Be(5);
    }

    [Fact]
    public async Task GetResponseAsync_PromptFillsContext_ThrowsArgumentExceptionForMessages()
    {
        OnnxChatClientOptions options = LmTestModel.Options();
        options.MaxContextLength = LmTestModel.Cases[0].PromptIds.Length;
        using var client = new OnnxChatClient(options);

        Func<Task> act = () => client.GetResponseAsync(LmTestModel.Cases[0].Messages);

        (await act.Should().ThrowAsync<ArgumentException>().WithParameterName("messages")).WithMessage("*tokens*MaxContextLength*");
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData(null, 1)]
    [InlineData(null, 2)]
    [InlineData(null, 3)]
    [InlineData(0.9f, 2)]
    [InlineData(1.2f, 3)]
    public async Task GetStreamingResponseAsync_Concatenation_EqualsNonStreamingText(float? temperature, int index)
    {
        ReferenceCase c = LmTestModel.Cases[index];
        using OnnxChatClient client = LmTestModel.Client();
        var options = new ChatOptions { Temperature = temperature, Seed = 11, MaxOutputTokens = 40 };

        ChatResponse response = await client.GetResponseAsync(c.Messages, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(c.Messages, options))
        {
            updates.Add(update);
        }

        string.Concat(updates.Select(u => u.Text)).Should().Be(response.Text);
        updates.Where(u => u.Text.Length > 0).Should().HaveCountGreaterThan(1);
        updates.Should().OnlyContain(u => !u.Text.Contains('\uFFFD', StringComparison.Ordinal) || response.Text.Contains('\uFFFD', StringComparison.Ordinal));
        ChatResponseUpdate last = updates[^1];
        last.FinishReason.Should().Be(response.FinishReason);
        last.Contents.OfType<UsageContent>().Single().Details.OutputTokenCount.Should().Be(response.Usage!.OutputTokenCount);
        updates.Should().OnlyContain(u => u.ModelId == "lm_past" && u.ResponseId == updates[0].ResponseId);
        updates.ToChatResponse().Text.Should().Be(response.Text);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CharacterSplitAcrossTokens_IsEmittedWhole()
    {
        ReferenceCase c = LmTestModel.Cases[2];
        using OnnxChatClient client = LmTestModel.Client();

        var deltas = new List<string>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(c.Messages))
        {
            deltas.Add(update.Text);
        }

        string text = string.Concat(deltas);
        text.Should().Be("bonjour, café?");
        LmTestModel.Tokenizer.EncodeToIds("é").Should().HaveCount(2, "é must span two byte tokens for this test to mean anything");
        deltas.Should().Contain(d => d.Contains('é', StringComparison.Ordinal)).And.NotContain(d => d.Contains('\uFFFD', StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetResponseAsync_CanceledToken_ThrowsOperationCanceledException()
    {
        using OnnxChatClient client = LmTestModel.Client();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        Func<Task> act = () => client.GetResponseAsync(LmTestModel.Cases[0].Messages, cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CanceledMidGeneration_ThrowsOnNextStep()
    {
        using OnnxChatClient client = LmTestModel.Client(withEos: false);
        using var cts = new CancellationTokenSource();
        int received = 0;

        Func<Task> act = async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(
                LmTestModel.Cases[3].Messages, new ChatOptions { MaxOutputTokens = 100 }, cts.Token))
            {
                received++;
                if (received == 2)
                {
                    await cts.CancelAsync();
                }
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        received.Should().Be(2);
    }

    [Fact]
    public async Task GetResponseAsync_ConcurrentRequests_AllMatchReference()
    {
        using OnnxChatClient client = LmTestModel.Client(withEos: false);
        ReferenceCase[] cases = [.. Enumerable.Range(0, 12).Select(i => LmTestModel.Cases[i % LmTestModel.Cases.Count])];

        ChatResponse[] responses = await Task.WhenAll(cases.Select(c => Task.Run(
            () => client.GetResponseAsync(c.Messages, new ChatOptions { MaxOutputTokens = c.GreedyIds.Length }))));

        for (int i = 0; i < cases.Length; i++)
        {
            responses[i].Text.Should().Be(LmTestModel.Tokenizer.Decode(cases[i].GreedyIds));
        }
    }

    [Fact]
    public void GenerateTokenIds_Instructions_ArePrependedAsSystemMessage()
    {
        ReferenceCase withSystem = LmTestModel.Cases[1];
        using OnnxChatClient client = LmTestModel.Client(withEos: false);
        var options = new ChatOptions { Instructions = "be brief.", MaxOutputTokens = withSystem.GreedyIds.Length };

        IReadOnlyList<int> ids = client.GenerateTokenIds([withSystem.Messages[1]], options, CancellationToken.None);

        ids.Should().Equal(withSystem.GreedyIds);
    }

    [Fact]
    public void GenerateTokenIds_CustomTemplate_IsUsed()
    {
        ReferenceCase c = LmTestModel.Cases[2];
        OnnxChatClientOptions options = LmTestModel.Options(withEos: false);
        IEnumerable<ChatMessage>? seen = null;
        options.ChatTemplate = messages =>
        {
            seen = messages.ToList();
            return c.PromptText;
        };
        using var client = new OnnxChatClient(options);

        IReadOnlyList<int> ids = client.GenerateTokenIds([new ChatMessage(ChatRole.User, "ignored")], new ChatOptions { MaxOutputTokens = 12 }, CancellationToken.None);

        ids.Should().Equal(c.GreedyIds);
        seen.Should().ContainSingle().Which.Text.Should().Be("ignored");
    }

    [Fact]
    public async Task GetResponseAsync_ModelId_DefaultsToFileNameAndCanBeSet()
    {
        using OnnxChatClient byFile = LmTestModel.Client();
        OnnxChatClientOptions options = LmTestModel.Options();
        options.ModelId = "tiny-lm";
        using var named = new OnnxChatClient(options);

        ChatResponse fromFile = await byFile.GetResponseAsync(LmTestModel.Cases[0].Messages);
        ChatResponse fromOption = await named.GetResponseAsync(LmTestModel.Cases[0].Messages);

        fromFile.ModelId.Should().Be("lm_past");
        fromOption.ModelId.Should().Be("tiny-lm");
        named.Metadata.DefaultModelId.Should().Be("tiny-lm");
    }

    [Fact]
    public void GetService_KnownTypes_ReturnsMetadataSessionAndSelf()
    {
        using OnnxChatClient client = LmTestModel.Client();

        var metadata = client.GetService<ChatClientMetadata>();

        metadata!.ProviderName.Should().Be("onnxruntime");
        metadata.DefaultModelId.Should().Be("lm_past");
        client.GetService<OnnxChatClient>().Should().BeSameAs(client);
        client.GetService<IChatClient>().Should().BeSameAs(client);
        client.ExecutionProvider.Should().Be("CPUExecutionProvider");
        client.GetService<OnnxSession>().Should().BeNull();
        client.GetService(typeof(ChatClientMetadata), serviceKey: "key").Should().BeNull();
        client.GetService(typeof(string)).Should().BeNull();
    }

    [Fact]
    public void GetService_NullType_ThrowsWithParamName()
    {
        using OnnxChatClient client = LmTestModel.Client();

        Action act = () => client.GetService(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("serviceType");
    }

    [Fact]
    public void GetResponseAsync_NullMessages_ThrowsWithParamName()
    {
        using OnnxChatClient client = LmTestModel.Client();

        Action act = () => client.GetResponseAsync(null!);
        Action stream = () => client.GetStreamingResponseAsync(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("messages");
        stream.Should().Throw<ArgumentNullException>().WithParameterName("messages");
    }

    [Fact]
    public void FormatDefaultPrompt_Null_ThrowsWithParamName()
    {
        Action act = () => OnnxChatClient.FormatDefaultPrompt(null!);
        Action nullMessage = () => OnnxChatClient.FormatDefaultPrompt([new ChatMessage(ChatRole.User, "a"), null!]);

        act.Should().Throw<ArgumentNullException>().WithParameterName("messages");
        nullMessage.Should().Throw<ArgumentException>().WithParameterName("messages").WithMessage("*index 1*");
    }

    [Fact]
    public void FormatDefaultPrompt_NoMessages_ReturnsGenerationPromptOnly() =>
        OnnxChatClient.FormatDefaultPrompt([]).Should().Be("<|assistant|>\n");

    public static TheoryData<ChatOptions> BadChatOptions() =>
    [
        new ChatOptions { Temperature = -0.1f },
        new ChatOptions { Temperature = float.NaN },
        new ChatOptions { TopP = 0f },
        new ChatOptions { TopP = 1.5f },
        new ChatOptions { TopK = -1 },
        new ChatOptions { MaxOutputTokens = 0 },
    ];

    [Theory]
    [MemberData(nameof(BadChatOptions))]
    public void GetResponseAsync_BadChatOptions_ThrowsOutOfRangeForOptions(ChatOptions options)
    {
        using OnnxChatClient client = LmTestModel.Client();

        Action act = () => client.GetResponseAsync(LmTestModel.Cases[0].Messages, options);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("options");
    }

    [Fact]
    public void Constructor_NullOptions_ThrowsWithParamName()
    {
        Action act = () => _ = new OnnxChatClient(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("options");
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryFailure()
    {
        var options = new OnnxChatClientOptions
        {
            MaxContextLength = 1,
            DefaultMaxOutputTokens = 0,
            PastKeyNameFormat = "past_key",
            InputIdsName = " ",
            Session = new OnnxSessionOptions { IntraOpThreads = -1 },
        };
        options.EndOfSequenceTokenIds.Add(-2);

        Action act = () => _ = new OnnxChatClient(options);

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().HaveCount(8)
            .And.Contain(f => f.Contains("ModelPath", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("Tokenizer", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("MaxContextLength", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("DefaultMaxOutputTokens", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("PastKeyNameFormat", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("InputIdsName", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("EndOfSequenceTokenIds[0]", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("SessionOptions", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_BadCompositeFormat_FailsValidation()
    {
        OnnxChatClientOptions options = LmTestModel.Options();
        options.PresentValueNameFormat = "present.{0}.{value";

        Action act = () => _ = new OnnxChatClient(options);

        act.Should().Throw<OptionsValidationException>().WithMessage("*PresentValueNameFormat*");
    }

    [Fact]
    public void Constructor_MissingModelFile_ThrowsModelLoadExceptionNamingFile()
    {
        OnnxChatClientOptions options = LmTestModel.Options();
        options.ModelPath = Path.Combine(LmTestModel.Directory, "missing.onnx");

        Action act = () => _ = new OnnxChatClient(options);

        act.Should().Throw<ModelLoadException>().WithMessage("*missing.onnx*")
            .Which.ModelPath.Should().Be(options.ModelPath);
    }

    [Fact]
    public void Constructor_CorruptModelFile_ThrowsModelLoadException()
    {
        string path = Path.Combine(Path.GetTempPath(), $"promptkit-corrupt-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes("this is not an onnx model"));
        try
        {
            OnnxChatClientOptions options = LmTestModel.Options();
            options.ModelPath = path;

            Action act = () => _ = new OnnxChatClient(options);

            act.Should().Throw<ModelLoadException>().WithMessage($"*{Path.GetFileName(path)}*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Constructor_WrongSignature_ThrowsModelLoadExceptionNamingExpectedTensors()
    {
        OnnxChatClientOptions options = LmTestModel.Options(withPast: false);
        options.LogitsName = "scores";
        options.AttentionMaskName = "mask";

        Action act = () => _ = new OnnxChatClient(options);

        act.Should().Throw<ModelLoadException>()
            .WithMessage("*lm_nopast.onnx*input_ids, mask*scores*Missing: [mask, scores]*");
    }

    [Fact]
    public void Constructor_PresentOutputsMissing_ThrowsModelLoadException()
    {
        OnnxChatClientOptions options = LmTestModel.Options();
        options.PresentKeyNameFormat = "present_key.{0}";

        Action act = () => _ = new OnnxChatClient(options);

        act.Should().Throw<ModelLoadException>().WithMessage("*present_key.0*present_key.1*");
    }

    [Fact]
    public void Constructor_UnfedInput_ThrowsModelLoadException()
    {
        OnnxChatClientOptions options = LmTestModel.Options();
        options.PositionIdsName = "positions";

        Action act = () => _ = new OnnxChatClient(options);

        act.Should().Throw<ModelLoadException>().WithMessage("*position_ids*cannot feed*");
    }

    [Fact]
    public async Task Dispose_ThenUse_ThrowsObjectDisposedException()
    {
        OnnxChatClient client = LmTestModel.Client();
        client.Dispose();
        client.Dispose();

        Func<Task> act = () => client.GetResponseAsync(LmTestModel.Cases[0].Messages);

        await act.Should().ThrowAsync<ObjectDisposedException>();
    }

    private static async Task<string> ConcatAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var builder = new StringBuilder();
        await foreach (ChatResponseUpdate update in updates)
        {
            builder.Append(update.Text);
        }

        return builder.ToString();
    }
}
