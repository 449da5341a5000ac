using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace PromptKit;

/// <summary>An immutable model response as stored by an <see cref="IPromptResponseCache"/>: the text, the model id, the finish reason and the token usage.</summary>
public sealed class PromptResponseCacheEntry
{
    /// <summary>Initializes a new instance of the <see cref="PromptResponseCacheEntry"/> class.</summary>
    /// <param name="text">The response text.</param>
    /// <param name="modelId">The id of the model that produced the response, if known.</param>
    /// <param name="finishReason">The finish reason reported with the response (e.g. <c>stop</c>, <c>length</c>), if any.</param>
    /// <param name="inputTokenCount">The input token count reported with the response, if any.</param>
    /// <param name="outputTokenCount">The output token count reported with the response, if any.</param>
    /// <param name="totalTokenCount">The total token count reported with the response, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    [JsonConstructor]
    public PromptResponseCacheEntry(
        string text,
        string? modelId = null,
        string? finishReason = null,
        long? inputTokenCount = null,
        long? outputTokenCount = null,
        long? totalTokenCount = null)
    {
        ArgumentNullException.ThrowIfNull(text);

        Text = text;
        ModelId = modelId;
        FinishReason = finishReason;
        InputTokenCount = inputTokenCount;
        OutputTokenCount = outputTokenCount;
        TotalTokenCount = totalTokenCount;
    }

    /// <summary>Gets the response text.</summary>
    public string Text { get; }

    /// <summary>Gets the id of the model that produced the response, or <see langword="null"/>.</summary>
    public string? ModelId { get; }

    /// <summary>Gets the finish reason reported with the response, or <see langword="null"/>.</summary>
    public string? FinishReason { get; }

    /// <summary>Gets the input token count reported with the response, or <see langword="null"/>.</summary>
    public long? InputTokenCount { get; }

    /// <summary>Gets the output token count reported with the response, or <see langword="null"/>.</summary>
    public long? OutputTokenCount { get; }

    /// <summary>Gets the total token count reported with the response, or <see langword="null"/>.</summary>
    public long? TotalTokenCount { get; }

    /// <summary>Creates an entry from a model response.</summary>
    /// <param name="response">The response to store.</param>
    /// <returns>An entry holding the response's text, model id, finish reason and token counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is <see langword="null"/>.</exception>
    public static PromptResponseCacheEntry FromResponse(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);

        UsageDetails? usage = response.Usage;
        return new PromptResponseCacheEntry(
            response.Text,
            response.ModelId,
            response.FinishReason?.Value,
            usage?.InputTokenCount,
            usage?.OutputTokenCount,
            usage?.TotalTokenCount);
    }

    /// <summary>Creates a new <see cref="ChatResponse"/> with one assistant message holding <see cref="Text"/>.</summary>
    /// <returns>A new response; each call returns a new instance, so callers cannot change each other's results.</returns>
    public ChatResponse ToResponse()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, Text))
        {
            ModelId = ModelId,
            FinishReason = FinishReason is null ? null : new ChatFinishReason(FinishReason),
        };
        if (InputTokenCount is not null || OutputTokenCount is not null || TotalTokenCount is not null)
        {
            response.Usage = new UsageDetails
            {
                InputTokenCount = InputTokenCount,
                OutputTokenCount = OutputTokenCount,
                TotalTokenCount = TotalTokenCount,
            };
        }

        return response;
    }
}
