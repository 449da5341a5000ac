using System.Collections.Immutable;
using Microsoft.Extensions.AI;

namespace PromptKit;

/// <content>Overloads that take <see cref="Prompt"/>s and render them with <see cref="Prompt.ToChatMessages(PromptFormat?)"/>.</content>
public sealed partial class PromptEvaluator
{
    /// <summary>Renders <paramref name="prompt"/> to chat messages and sends it to the model.</summary>
    /// <param name="prompt">The prompt.</param>
    /// <param name="format">The format, or <see langword="null"/> for <see cref="PromptFormat.Default"/>.</param>
    /// <param name="options">The chat options; <see langword="null"/> uses <see cref="PromptEvaluatorOptions.DefaultChatOptions"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The evaluation; model failures are reported through <see cref="PromptEvaluation.Status"/>, not thrown.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The prompt renders to no message (every component is empty).</exception>
    /// <exception cref="ObjectDisposedException">The evaluator was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<PromptEvaluation> EvaluateAsync(Prompt prompt, PromptFormat? format = null, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return EvaluateAsync(Render(prompt, format, nameof(prompt), -1), options, cancellationToken);
    }

    /// <summary>Renders every prompt to chat messages and sends them to the model, at most <see cref="PromptEvaluatorOptions.MaxConcurrency"/> calls at once.</summary>
    /// <param name="prompts">The prompts.</param>
    /// <param name="format">The format, or <see langword="null"/> for <see cref="PromptFormat.Default"/>.</param>
    /// <param name="options">The chat options for every request; <see langword="null"/> uses <see cref="PromptEvaluatorOptions.DefaultChatOptions"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>One evaluation per prompt, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompts"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A prompt is <see langword="null"/> or renders to no message.</exception>
    /// <exception cref="ObjectDisposedException">The evaluator was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<ImmutableArray<PromptEvaluation>> EvaluateManyAsync(IReadOnlyList<Prompt> prompts, PromptFormat? format = null, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var requests = new IReadOnlyList<ChatMessage>[prompts.Count];
        for (int i = 0; i < requests.Length; i++)
        {
            Prompt prompt = prompts[i] ?? throw new ArgumentException($"The prompt at index {i} is null.", nameof(prompts));
            requests[i] = Render(prompt, format, nameof(prompts), i);
        }

        return EvaluateManyAsync(requests, options, cancellationToken);
    }

    private static IReadOnlyList<ChatMessage> Render(Prompt prompt, PromptFormat? format, string paramName, int index)
    {
        IReadOnlyList<ChatMessage> messages = prompt.ToChatMessages(format);
        if (messages.Count == 0)
        {
            string which = index < 0 ? "The prompt" : $"The prompt at index {index}";
            throw new ArgumentException($"{which} renders to no message: every component is empty. Give at least one component some text.", paramName);
        }

        return messages;
    }
}
