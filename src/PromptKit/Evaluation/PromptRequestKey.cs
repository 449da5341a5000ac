using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace PromptKit;

/// <summary>Computes the cache key of a chat request: the lowercase SHA-256 hex of a canonical JSON serialization of it.</summary>
/// <remarks>
/// <para>
/// Included: for each message in order, its role, author name and the text of each <see cref="TextContent"/>; from the
/// <see cref="ChatOptions"/> (a <see langword="null"/> options object counts as empty options): model id, instructions,
/// temperature, top-p, top-k, max output tokens, frequency and presence penalties, seed, stop sequences (in order),
/// response format (text, or JSON with schema name, description and schema) and reasoning effort and output.
/// </para>
/// <para>
/// A request that carries anything the key cannot describe returns <see langword="null"/> (not cacheable), so that a
/// cached response is never returned for a different request: a message content other than <see cref="TextContent"/>
/// (images, function calls, reasoning), tools or a tool mode, a conversation id, a continuation token, background
/// responses, a raw representation factory, additional properties, or a response format of another type.
/// </para>
/// </remarks>
internal static class PromptRequestKey
{
    private const int FormatVersion = 2;

    /// <summary>Computes the key of a request.</summary>
    /// <param name="messages">The request's messages.</param>
    /// <param name="options">The request's chat options, or <see langword="null"/>.</param>
    /// <param name="partition">What identifies the model behind the client (provider, endpoint, default model), or <see langword="null"/>.</param>
    /// <param name="extra">Further values that must tell keys apart (e.g. whether the call streams), serialized with <paramref name="jsonOptions"/>; written only when there are any, so that keys without them keep their value.</param>
    /// <param name="jsonOptions">The options that serialize <paramref name="extra"/>; <see langword="null"/> uses <see cref="AIJsonUtilities.DefaultOptions"/>.</param>
    /// <returns>The 64-character lowercase hex key, or <see langword="null"/> when the request is not cacheable.</returns>
    public static string? TryCreate(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options,
        string? partition = null,
        ReadOnlySpan<object?> extra = default,
        JsonSerializerOptions? jsonOptions = null)
    {
        if (!IsCacheable(messages, options))
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", FormatVersion);
            writer.WriteString("client", partition);
            writer.WriteStartArray("messages");
            foreach (ChatMessage message in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role.Value);
                writer.WriteString("name", message.AuthorName);
                writer.WriteStartArray("text");
                IList<AIContent> contents = message.Contents;
                for (int j = 0; j < contents.Count; j++)
                {
                    writer.WriteStringValue(((TextContent)contents[j]).Text);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteOptions(writer, options);
            if (!extra.IsEmpty)
            {
                JsonTypeInfo objectInfo = (jsonOptions ?? AIJsonUtilities.DefaultOptions).GetTypeInfo(typeof(object));
                writer.WriteStartArray("extra");
                foreach (object? value in extra)
                {
                    JsonSerializer.Serialize(writer, value, objectInfo);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Tells whether the key can describe a request: only text contents, and no option outside the key.</summary>
    /// <param name="messages">The request's messages.</param>
    /// <param name="options">The request's chat options, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when <see cref="TryCreate"/> returns a key for the request.</returns>
    public static bool IsCacheable(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        foreach (ChatMessage message in messages)
        {
            IList<AIContent> contents = message.Contents;
            for (int j = 0; j < contents.Count; j++)
            {
                if (contents[j] is not TextContent)
                {
                    return false;
                }
            }
        }

        if (options is null)
        {
            return true;
        }

        return options.Tools is not { Count: > 0 }
            && options.ToolMode is null
            && options.ConversationId is null
            && options.ContinuationToken is null
            && options.AllowBackgroundResponses is not true
            && options.RawRepresentationFactory is null
            && options.AdditionalProperties is not { Count: > 0 }
            && options.ResponseFormat is null or ChatResponseFormatText or ChatResponseFormatJson;
    }

    private static void WriteOptions(Utf8JsonWriter writer, ChatOptions? options)
    {
        writer.WriteStartObject("options");
        writer.WriteString("modelId", options?.ModelId);
        writer.WriteString("instructions", options?.Instructions);
        WriteNumber(writer, "temperature", options?.Temperature);
        WriteNumber(writer, "topP", options?.TopP);
        WriteNumber(writer, "topK", options?.TopK);
        WriteNumber(writer, "maxOutputTokens", options?.MaxOutputTokens);
        WriteNumber(writer, "frequencyPenalty", options?.FrequencyPenalty);
        WriteNumber(writer, "presencePenalty", options?.PresencePenalty);
        if (options?.Seed is long seed)
        {
            writer.WriteNumber("seed", seed);
        }
        else
        {
            writer.WriteNull("seed");
        }

        writer.WriteStartArray("stop");
        if (options?.StopSequences is { } stops)
        {
            for (int i = 0; i < stops.Count; i++)
            {
                writer.WriteStringValue(stops[i]);
            }
        }

        writer.WriteEndArray();

        switch (options?.ResponseFormat)
        {
            case ChatResponseFormatJson json:
                writer.WriteStartObject("responseFormat");
                writer.WriteString("type", "json");
                writer.WriteString("schemaName", json.SchemaName);
                writer.WriteString("schemaDescription", json.SchemaDescription);
                writer.WritePropertyName("schema");
                if (json.Schema is JsonElement schema)
                {
                    schema.WriteTo(writer);
                }
                else
                {
                    writer.WriteNullValue();
                }

                writer.WriteEndObject();
                break;
            case ChatResponseFormatText:
                writer.WriteString("responseFormat", "text");
                break;
            default:
                writer.WriteNull("responseFormat");
                break;
        }

        writer.WriteString("reasoningEffort", options?.Reasoning?.Effort?.ToString());
        writer.WriteString("reasoningOutput", options?.Reasoning?.Output?.ToString());
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, float? value)
    {
        if (value is float v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is int v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
