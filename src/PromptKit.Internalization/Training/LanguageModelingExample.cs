using System.Collections.Immutable;
using Microsoft.Extensions.AI;

namespace PromptKit.Internalization;

/// <summary>One training sequence for a causal language model: the token ids, which of them are targets (only targets
/// are in the loss, each predicted from the tokens before it) and a weight.</summary>
public sealed class LanguageModelingExample
{
    /// <summary>Initializes a new instance of the <see cref="LanguageModelingExample"/> class.</summary>
    /// <param name="tokens">The token ids (at least two).</param>
    /// <param name="targets">Whether each token is a target; <see langword="null"/> makes every token after the first one a target.</param>
    /// <param name="weight">The weight of this example's tokens in the loss (e.g. GenPI's r for imitation examples and 1 − r for prompt-generation examples).</param>
    /// <exception cref="ArgumentNullException"><paramref name="tokens"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Fewer than two tokens, a negative id, a mask of another length, no target after the first token, or a weight that is negative or not finite.</exception>
    public LanguageModelingExample(IReadOnlyList<int> tokens, IReadOnlyList<bool>? targets = null, double weight = 1.0)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count < 2)
        {
            throw new ArgumentException("A training sequence needs at least two tokens.", nameof(tokens));
        }

        if (tokens.Any(static t => t < 0))
        {
            throw new ArgumentException("Token ids must not be negative.", nameof(tokens));
        }

        if (targets is not null && targets.Count != tokens.Count)
        {
            throw new ArgumentException($"The target mask has {targets.Count} entries for {tokens.Count} tokens.", nameof(targets));
        }

        if (!double.IsFinite(weight) || weight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "The weight must be finite and not negative.");
        }

        Tokens = [.. tokens];
        Targets = targets is null ? [false, .. Enumerable.Repeat(true, tokens.Count - 1)] : [.. targets];
        if (!Targets.Skip(1).Any(static t => t))
        {
            throw new ArgumentException("At least one token after the first must be a target.", nameof(targets));
        }

        Weight = weight;
    }

    /// <summary>Gets the token ids.</summary>
    public ImmutableArray<int> Tokens { get; }

    /// <summary>Gets whether each token is a target (the first token never is: nothing precedes it).</summary>
    public ImmutableArray<bool> Targets { get; }

    /// <summary>Gets the weight of this example's tokens in the loss.</summary>
    public double Weight { get; }

    /// <summary>Gets the number of target tokens.</summary>
    public int TargetCount => Targets.Skip(1).Count(static t => t);

    /// <summary>Renders a conversation with the tokenizer's chat template and marks the turns of <paramref name="targetRole"/>
    /// (their text and end-of-turn marker, not the role header) as targets: a model learns to write those turns.</summary>
    /// <param name="tokenizer">The tokenizer and chat template.</param>
    /// <param name="messages">The turns.</param>
    /// <param name="targetRole">The role whose turns are learned; <see langword="null"/> for the assistant.</param>
    /// <param name="weight">The example's weight.</param>
    /// <returns>The example.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tokenizer"/> or <paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No turn of <paramref name="targetRole"/> is in the conversation.</exception>
    public static LanguageModelingExample FromChat(ModelTokenizer tokenizer, IEnumerable<ChatMessage> messages, ChatRole? targetRole = null, double weight = 1.0)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(messages);
        ChatRole role = targetRole ?? ChatRole.Assistant;

        // Render the whole conversation once and encode it once (pieces encoded apart can tokenize differently at their
        // seams); a token is a target when it starts inside a learned turn's text or end-of-turn marker.
        var spans = new List<(int Start, int End)>();
        string text = tokenizer.ChatTemplate.Render(messages, addGenerationPrompt: false, role, spans);
        if (spans.Count == 0)
        {
            throw new ArgumentException($"The conversation has no '{role.Value}' turn to learn.", nameof(messages));
        }

        (int[] ids, int[] starts) = tokenizer.EncodeWithStarts(text);
        var tokens = new List<int>(ids.Length + 1);
        var targets = new List<bool>(ids.Length + 1);
        if (tokenizer.BeginningOfSequenceTokenId is int bos)
        {
            tokens.Add(bos);
            targets.Add(false);
        }

        for (int i = 0; i < ids.Length; i++)
        {
            tokens.Add(ids[i]);
            targets.Add(spans.Exists(s => starts[i] >= s.Start && starts[i] < s.End));
        }

        return new LanguageModelingExample(tokens, targets, weight);
    }

    /// <summary>The same tokens and targets with another weight.</summary>
    /// <param name="weight">The new weight (finite, not negative).</param>
    /// <returns>The reweighted example.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is negative or not finite.</exception>
    public LanguageModelingExample WithWeight(double weight) => new(Tokens, Targets, weight);
}
