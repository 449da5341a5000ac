using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.AI;
using OpenAI;

namespace PromptKit.Samples;

/// <summary>Creates the <see cref="IChatClient"/> of an OpenAI-compatible endpoint the way PromptKit's counters need it:
/// the SDK's own retries off (PromptKit's pipeline is the one retry layer), and every HTTP failure surfaced as an
/// <see cref="HttpRequestException"/> that carries the status code.</summary>
public static class OpenAIModelClient
{
    /// <summary>Creates the client.</summary>
    /// <param name="endpoint">The base address, e.g. <c>http://localhost:8000/v1</c>.</param>
    /// <param name="apiKey">The API key, or <see langword="null"/> for servers that need none.</param>
    /// <param name="model">The model name.</param>
    /// <param name="networkTimeout">The SDK's limit per network operation; keep it above <see cref="PromptEvaluatorOptions.Timeout"/>, so that PromptKit's timeout fires first and is counted.</param>
    /// <returns>The client; dispose it at the end of the run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> or <paramref name="model"/> is <see langword="null"/>.</exception>
    public static IChatClient Create(Uri endpoint, string? apiKey, string model, TimeSpan? networkTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,

            // The SDK retries 429 and 5xx three times by default, below PromptKit's pipeline, where no counter sees them.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = networkTimeout ?? TimeSpan.FromMinutes(5),
        };
        IChatClient inner = new OpenAIClient(new ApiKeyCredential(apiKey ?? "unused"), options).GetChatClient(model).AsIChatClient();
        return new StatusCodeChatClient(inner);
    }

    /// <summary>Reads the <c>Retry-After</c> header (seconds or an HTTP date) of the answer behind a failed call, for
    /// <see cref="PromptEvaluatorOptions.RetryAfter"/>.</summary>
    /// <param name="exception">The exception of a failed call.</param>
    /// <returns>The delay the server asked for, or <see langword="null"/> when there is no answer or no such header.</returns>
    public static TimeSpan? RetryAfter(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is ClientResultException result && result.GetRawResponse() is { } response
                && response.Headers.TryGetValue("Retry-After", out string? value) && value is not null)
            {
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
                {
                    return TimeSpan.FromSeconds(seconds);
                }

                if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset when))
                {
                    return when - DateTimeOffset.UtcNow;
                }

                return null;
            }
        }

        return null;
    }

    /// <summary>Turns the SDK's <see cref="ClientResultException"/> into an <see cref="HttpRequestException"/> with its status
    /// (none when no answer came), the exception PromptKit's retry rules and counters read; the original is the inner exception.</summary>
    private sealed class StatusCodeChatClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
    {
        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            try
            {
                return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            }
            catch (ClientResultException ex)
            {
                throw new HttpRequestException(
                    ex.Status == 0 ? $"No answer from the model server: {ex.Message}" : $"The model server answered HTTP {ex.Status}: {ex.Message}",
                    ex,
                    ex.Status == 0 ? null : (HttpStatusCode)ex.Status);
            }
        }
    }
}
