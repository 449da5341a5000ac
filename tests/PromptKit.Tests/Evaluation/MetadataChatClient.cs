using Microsoft.Extensions.AI;

namespace PromptKit.Tests.Evaluation;

/// <summary>A chat client of a named model: it reports <see cref="ChatClientMetadata"/> and answers "from " + the model id.</summary>
internal sealed class MetadataChatClient(string model) : IChatClient
{
    private readonly ChatClientMetadata _metadata = new("fake", new Uri("http://localhost/v1"), model);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "from " + model)));

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType == typeof(ChatClientMetadata) ? _metadata : null;

    public void Dispose()
    {
    }
}
