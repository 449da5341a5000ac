using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>An <see cref="IUserSummarizer"/> that asks a chat model for a short summary of the user's past documents.</summary>
/// <remarks>
/// <para>The request is a <see cref="Prompt"/>: the <see cref="ChatClientUserSummarizerOptions.Instructions"/> as the
/// instruction, then the past documents (chronological: by timestamp, ties in
/// input order), each <c>"Title. Text"</c>, as delimited history records, so text in a document is never read as an
/// instruction. It is sent with temperature 0.</para>
/// <para>The answer, trimmed, is the summary. An empty answer, an answer stopped by the content filter, or one that
/// opens like a refusal ("I'm sorry", "I cannot", "As an AI", …) throws <see cref="PromptKitException"/>: the summarizer
/// never makes a summary up. Exceptions of the chat client propagate unchanged. Instances are thread-safe when the
/// chat client is.</para>
/// </remarks>
public sealed class ChatClientUserSummarizer : IUserSummarizer
{
    private readonly IChatClient _chatClient;
    private readonly string _instructions;
    private readonly int? _maxOutputTokens;
    private readonly string? _modelId;

    /// <summary>Initializes a new instance of the <see cref="ChatClientUserSummarizer"/> class.</summary>
    /// <param name="chatClient">The chat client that writes the summaries.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults. They are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> is invalid; every failure is listed.</exception>
    public ChatClientUserSummarizer(IChatClient chatClient, ChatClientUserSummarizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        options ??= new ChatClientUserSummarizerOptions();
        ChatClientUserSummarizerOptionsValidator.ThrowIfInvalid(options);
        _chatClient = chatClient;
        _instructions = options.Instructions;
        _maxOutputTokens = options.MaxOutputTokens;
        _modelId = options.ModelId;
    }

    /// <inheritdoc />
    public async ValueTask<string> SummarizeAsync(IReadOnlyList<UserDocument> pastDocuments, CancellationToken cancellationToken = default)
    {
        UserDocuments.ThrowIfNullOrEmpty(pastDocuments, nameof(pastDocuments));
        cancellationToken.ThrowIfCancellationRequested();

        List<UserDocument> chronological = UserDocuments.Chronological(pastDocuments);
        var entries = new string[chronological.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = UserDocuments.ToEntry(chronological[i]);
        }

        Prompt prompt = new PromptBuilder().AddInstruction(_instructions).AddHistory(entries).Build();
        var chatOptions = new ChatOptions { Temperature = 0f, MaxOutputTokens = _maxOutputTokens, ModelId = _modelId };
        ChatResponse response = await _chatClient.GetResponseAsync(prompt.ToChatMessages(), chatOptions, cancellationToken)
            .ConfigureAwait(false);

        string summary = response.Text.Trim();
        if (response.FinishReason == ChatFinishReason.ContentFilter)
        {
            throw new PromptKitException(
                $"The chat model stopped the summary of {pastDocuments.Count} past documents with its content filter; no summary was produced.");
        }

        if (summary.Length == 0)
        {
            throw new PromptKitException(
                $"The chat model answered the summary request for {pastDocuments.Count} past documents with no text. Check the model and {nameof(ChatClientUserSummarizerOptions)}.{nameof(ChatClientUserSummarizerOptions.MaxOutputTokens)}.");
        }

        if (ModelAnswers.IsRefusalOrError(summary))
        {
            string shown = summary.Length <= 120 ? summary : string.Concat(summary.AsSpan(0, 120), "…");
            throw new PromptKitException(
                $"The chat model refused to summarize {pastDocuments.Count} past documents: \"{shown}\".");
        }

        return summary;
    }
}
