using System.Collections.Immutable;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace PromptKit;

/// <summary>
/// The reference texts (one or more) that <see cref="BleuEvaluator"/>, <see cref="ChrfEvaluator"/> and
/// <see cref="RougeEvaluator"/> compare a model response with.
/// </summary>
/// <remarks>
/// <para>
/// Pass one instance in the <c>additionalContext</c> of <see cref="IEvaluator.EvaluateAsync"/>; the same instance
/// serves every PromptKit text evaluator, so a <see cref="CompositeEvaluator"/> of all three needs only one. The
/// evaluators record it in <see cref="EvaluationMetric.Context"/> of the metrics they return, under
/// <see cref="ReferencesContextName"/>, so reports show what the response was compared with.
/// </para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class ReferenceTextContext : EvaluationContext
{
    /// <summary>The <see cref="EvaluationContext.Name"/> of every <see cref="ReferenceTextContext"/>: <c>Reference texts</c>.</summary>
    public const string ReferencesContextName = "Reference texts";

    /// <summary>Initializes a new instance of the <see cref="ReferenceTextContext"/> class.</summary>
    /// <param name="references">
    /// The reference texts; at least one. Empty strings are allowed; an empty reference matches nothing.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="references"/> is empty or holds <see langword="null"/>.</exception>
    public ReferenceTextContext(params string[] references)
        : this(Validate(references))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReferenceTextContext"/> class.</summary>
    /// <param name="references">
    /// The reference texts; at least one. The sequence is copied. Empty strings are allowed; an empty reference matches
    /// nothing.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="references"/> is empty or holds <see langword="null"/>.</exception>
    public ReferenceTextContext(IEnumerable<string> references)
        : this(Validate(references))
    {
    }

    private ReferenceTextContext(ImmutableArray<string> references)
        : base(ReferencesContextName, ToContents(references))
    {
        References = references;
    }

    /// <summary>Gets the reference texts, in the order given; never empty.</summary>
    public ImmutableArray<string> References { get; }

    private static ImmutableArray<string> Validate(IEnumerable<string> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        ImmutableArray<string> copy = [.. references];
        if (copy.IsEmpty)
        {
            throw new ArgumentException(
                "The references sequence is empty. Pass at least one reference text to compare the model response with.",
                nameof(references));
        }

        for (int i = 0; i < copy.Length; i++)
        {
            if (copy[i] is null)
            {
                throw new ArgumentException(
                    $"references[{i}] is null. Pass a string for every reference (an empty string is allowed and scores 0).",
                    nameof(references));
            }
        }

        return copy;
    }

    private static AIContent[] ToContents(ImmutableArray<string> references)
    {
        var contents = new AIContent[references.Length];
        for (int i = 0; i < contents.Length; i++)
        {
            contents[i] = new TextContent(references[i]);
        }

        return contents;
    }
}
