using System.Collections.Immutable;

namespace PromptKit.Training;

/// <summary>One request of the rewriting method: the original prompt (whose editable components a rewriter may edit)
/// and the text the user really wrote, which the frozen model's output is scored against.</summary>
public sealed class RewritingExample
{
    /// <summary>Initializes a new instance of the <see cref="RewritingExample"/> class.</summary>
    /// <param name="id">Identifies the example (e.g. the user and document), for logs and reports.</param>
    /// <param name="prompt">The original prompt.</param>
    /// <param name="references">The reference texts (usually one: what the user wrote).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is blank, <paramref name="references"/> is empty or
    /// holds a blank text, or <paramref name="prompt"/> has no editable component.</exception>
    public RewritingExample(string id, Prompt prompt, IEnumerable<string> references)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(references);
        ImmutableArray<string> copy = [.. references];
        if (copy.IsEmpty)
        {
            throw new ArgumentException($"Example '{id}' has no reference text; give what the user really wrote.", nameof(references));
        }

        foreach (string reference in copy)
        {
            if (string.IsNullOrWhiteSpace(reference))
            {
                throw new ArgumentException($"Example '{id}' has a blank reference text.", nameof(references));
            }
        }

        if (prompt.GetEditableComponents().IsEmpty)
        {
            throw new ArgumentException($"The prompt of example '{id}' has no editable component, so there is nothing to rewrite; mark the summary and synthesis editable.", nameof(prompt));
        }

        Id = id;
        Prompt = prompt;
        References = copy;
    }

    /// <summary>Gets the example's identifier.</summary>
    public string Id { get; }

    /// <summary>Gets the original prompt.</summary>
    public Prompt Prompt { get; }

    /// <summary>Gets the reference texts.</summary>
    public ImmutableArray<string> References { get; }
}
