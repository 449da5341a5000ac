using System.Collections.Immutable;
using System.Numerics.Tensors;
using System.Text;

namespace PromptKit;

/// <summary>Turns a prompt into the observations of a pointer rewriter policy and its rewrites back into a prompt.</summary>
/// <remarks>
/// <para>The editable components of a prompt (<see cref="PromptComponent.IsEditable"/>) are cut into
/// <see cref="RewriteElement"/>s: the sentences of a text component, the items of a list component. The policy rewrites
/// them as a <b>sequence of copied elements</b>: at each step it points at one element (copy it; the same element again
/// repeats it) or stops. Dropping, repeating and reordering are all expressible; nothing new is written, so a rewrite
/// can never invent content. Each emitted element returns to its own component in emission order; a component with no
/// emitted element is removed.</para>
/// <para>An observation is <c>[context (D) | progress (4) | E element blocks of (D + 8)]</c>: D is the text encoder's
/// dimension, E is <see cref="PointerRewriterOptions.MaxElements"/>. The context is the encoded text of the
/// <see cref="PointerRewriterOptions.ContextKinds"/> components. Progress is (emitted / max length, distinct emitted /
/// elements, elements / E, 1). Each element block is its encoding and 8 features: valid flag, is-sentence flag,
/// position in its component (0..1), copies so far / max copies, emitted at the previous step, cosine similarity to
/// the context, length in words / 40 (capped at 1), component ordinal (0..1). Padding blocks are all zero. There are
/// E + 1 actions; action E stops.</para>
/// <para>Instances are immutable and thread-safe; the text encoder must be too.</para>
/// </remarks>
public sealed class PointerRewriteLayout
{
    /// <summary>The number of progress features.</summary>
    public const int ProgressSize = 4;

    /// <summary>The number of features after each element's encoding.</summary>
    public const int ElementFeatureSize = 8;

    private readonly PointerRewriterOptions _options;

    /// <summary>Initializes a new instance of the <see cref="PointerRewriteLayout"/> class.</summary>
    /// <param name="textEncoder">Encodes the context and each element (e.g. <see cref="HashedTextEncoder"/>, or an ONNX sentence encoder).</param>
    /// <param name="options">The geometry; <see langword="null"/> for the defaults. The layout keeps a copy.</param>
    /// <exception cref="ArgumentNullException"><paramref name="textEncoder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message lists every problem.</exception>
    public PointerRewriteLayout(IStateEncoder<string> textEncoder, PointerRewriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(textEncoder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(textEncoder.Dimension, nameof(textEncoder));
        _options = (options ?? new PointerRewriterOptions()).Copy();
        PointerRewriterOptionsValidator.ThrowIfInvalid(_options, nameof(options));
        TextEncoder = textEncoder;
        ContextSize = textEncoder.Dimension;
        ElementBlockSize = ContextSize + ElementFeatureSize;
        ObservationSize = ContextSize + ProgressSize + (MaxElements * ElementBlockSize);
    }

    /// <summary>Gets the text encoder.</summary>
    public IStateEncoder<string> TextEncoder { get; }

    /// <summary>Gets the length of the context encoding (the text encoder's dimension).</summary>
    public int ContextSize { get; }

    /// <summary>Gets the length of one element block: encoding plus <see cref="ElementFeatureSize"/> features.</summary>
    public int ElementBlockSize { get; }

    /// <summary>Gets the most elements the policy sees.</summary>
    public int MaxElements => _options.MaxElements;

    /// <summary>Gets the most elements one rewrite emits.</summary>
    public int MaxLength => _options.MaxLength;

    /// <summary>Gets how many times one element may be emitted.</summary>
    public int MaxCopies => _options.MaxCopies;

    /// <summary>Gets a value indicating whether element blocks carry the element's text encoding (zeros otherwise).</summary>
    public bool IncludeElementText => _options.IncludeElementText;

    /// <summary>Gets the component kinds read as the request's context.</summary>
    public ImmutableArray<PromptComponentKind> ContextKinds => _options.ContextKinds;

    /// <summary>Gets the length of an observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Gets the number of actions: one per element slot, then stop.</summary>
    public int ActionCount => MaxElements + 1;

    /// <summary>Gets the stop action's index.</summary>
    public int StopAction => MaxElements;

    /// <summary>Cuts a prompt's editable components into elements, in component then position order, at most
    /// <see cref="MaxElements"/>.</summary>
    /// <param name="prompt">The prompt.</param>
    /// <returns>The elements.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    public ImmutableArray<RewriteElement> GetElements(Prompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var elements = ImmutableArray.CreateBuilder<RewriteElement>();
        int ordinal = 0;
        foreach (PromptComponent component in prompt.Components)
        {
            if (!component.IsEditable)
            {
                continue;
            }

            IReadOnlyList<string> parts = component.IsList ? component.Items : SentenceSplitter.Split(component.Text);
            for (int i = 0; i < parts.Count && elements.Count < MaxElements; i++)
            {
                if (!string.IsNullOrWhiteSpace(parts[i]))
                {
                    elements.Add(new RewriteElement(component.Name, ordinal, i, parts[i], !component.IsList));
                }
            }

            ordinal++;
        }

        return elements.ToImmutable();
    }

    /// <summary>Gets the request's context: the text of the <see cref="ContextKinds"/> components, one per line.</summary>
    /// <param name="prompt">The prompt.</param>
    /// <returns>The context; empty when the prompt has no such component.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    public string GetContext(Prompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var text = new StringBuilder();
        foreach (PromptComponent component in prompt.Components)
        {
            if (!ContextKinds.Contains(component.Kind))
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(component.IsList ? string.Join('\n', component.Items) : component.Text);
        }

        return text.ToString();
    }

    /// <summary>Starts rewriting a prompt: encodes its context and elements once.</summary>
    /// <param name="prompt">The prompt to rewrite.</param>
    /// <returns>The episode, with nothing emitted yet.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    public PointerRewriteEpisode Begin(Prompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ImmutableArray<RewriteElement> elements = GetElements(prompt);
        float[] context = new float[ContextSize];
        TextEncoder.Encode(GetContext(prompt), context);
        float[] encodings = new float[elements.Length * ContextSize];
        float[] similarity = new float[elements.Length];
        int componentCount = 0;
        for (int i = 0; i < elements.Length; i++)
        {
            Span<float> encoding = encodings.AsSpan(i * ContextSize, ContextSize);
            TextEncoder.Encode(elements[i].Text, encoding);
            float norms = TensorPrimitives.Norm(encoding) * TensorPrimitives.Norm(context);
            similarity[i] = norms > 0 ? TensorPrimitives.Dot(encoding, context) / norms : 0f;
            componentCount = Math.Max(componentCount, elements[i].ComponentOrdinal + 1);
        }

        return new PointerRewriteEpisode(this, prompt, elements, context, encodings, similarity, componentCount);
    }

    internal static int CountWords(string text)
    {
        int words = 0;
        bool inWord = false;
        foreach (char c in text)
        {
            bool letter = char.IsLetterOrDigit(c);
            if (letter && !inWord)
            {
                words++;
            }

            inWord = letter;
        }

        return words;
    }
}
