using System.Collections.Immutable;

namespace PromptKit;

/// <summary>One rewrite in progress: the elements of one prompt and the sequence emitted so far.</summary>
/// <remarks>Made by <see cref="PointerRewriteLayout.Begin"/>. Not thread-safe: one episode per decoding.</remarks>
public sealed class PointerRewriteEpisode
{
    private readonly PointerRewriteLayout _layout;
    private readonly float[] _context;
    private readonly float[] _encodings;
    private readonly float[] _similarity;
    private readonly float[] _lengths;
    private readonly int[] _copies;
    private readonly List<int> _emitted;
    private readonly int[] _siblings;
    private readonly int _componentCount;
    private int _distinct;

    internal PointerRewriteEpisode(PointerRewriteLayout layout, Prompt prompt, ImmutableArray<RewriteElement> elements, float[] context, float[] encodings, float[] similarity, int componentCount)
    {
        _layout = layout;
        Prompt = prompt;
        Elements = elements;
        _context = context;
        _encodings = encodings;
        _similarity = similarity;
        _componentCount = componentCount;
        _copies = new int[elements.Length];
        _emitted = new List<int>(layout.MaxLength);
        _lengths = new float[elements.Length];
        _siblings = new int[Math.Max(componentCount, 1)];
        for (int i = 0; i < elements.Length; i++)
        {
            _lengths[i] = Math.Min(1f, PointerRewriteLayout.CountWords(elements[i].Text) / 40f);
            _siblings[elements[i].ComponentOrdinal]++;
        }
    }

    /// <summary>Gets the layout the episode belongs to.</summary>
    public PointerRewriteLayout Layout => _layout;

    /// <summary>Gets the prompt being rewritten.</summary>
    public Prompt Prompt { get; }

    /// <summary>Gets the elements the policy may point at.</summary>
    public ImmutableArray<RewriteElement> Elements { get; }

    /// <summary>Gets the element indices emitted so far, in order.</summary>
    public IReadOnlyList<int> Emitted => _emitted;

    /// <summary>Gets a value indicating whether the rewrite has stopped (the stop action, or the maximum length).</summary>
    public bool IsFinished { get; private set; }

    /// <summary>Writes the current observation.</summary>
    /// <param name="destination">At least <see cref="PointerRewriteLayout.ObservationSize"/> values; overwritten.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void Observe(Span<float> destination)
    {
        int size = _layout.ObservationSize;
        if (destination.Length < size)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; an observation needs {size}.", nameof(destination));
        }

        destination = destination[..size];
        destination.Clear();
        int d = _layout.ContextSize;
        _context.CopyTo(destination);
        Span<float> progress = destination.Slice(d, PointerRewriteLayout.ProgressSize);
        progress[0] = _emitted.Count / (float)_layout.MaxLength;
        progress[1] = Elements.Length == 0 ? 0f : _distinct / (float)Elements.Length;
        progress[2] = Elements.Length / (float)_layout.MaxElements;
        progress[3] = 1f;
        int last = _emitted.Count == 0 ? -1 : _emitted[^1];
        int offset = d + PointerRewriteLayout.ProgressSize;
        for (int i = 0; i < Elements.Length; i++)
        {
            Span<float> block = destination.Slice(offset + (i * _layout.ElementBlockSize), _layout.ElementBlockSize);
            if (_layout.IncludeElementText)
            {
                _encodings.AsSpan(i * d, d).CopyTo(block);
            }

            Span<float> features = block[d..];
            RewriteElement element = Elements[i];
            int siblings = _siblings[element.ComponentOrdinal];
            features[0] = 1f;
            features[1] = element.IsSentence ? 1f : 0f;
            features[2] = siblings > 1 ? element.Position / (float)(siblings - 1) : 0f;
            features[3] = _copies[i] / (float)_layout.MaxCopies;
            features[4] = i == last ? 1f : 0f;
            features[5] = _similarity[i];
            features[6] = _lengths[i];
            features[7] = _componentCount > 1 ? element.ComponentOrdinal / (float)(_componentCount - 1) : 0f;
        }
    }

    /// <summary>Writes which actions are allowed now: an element that exists and has copies left, and always stop.</summary>
    /// <param name="mask">At least <see cref="PointerRewriteLayout.ActionCount"/> flags; overwritten.</param>
    /// <exception cref="ArgumentException"><paramref name="mask"/> is too short.</exception>
    public void GetMask(Span<bool> mask)
    {
        if (mask.Length < _layout.ActionCount)
        {
            throw new ArgumentException($"The mask holds {mask.Length} flags; there are {_layout.ActionCount} actions.", nameof(mask));
        }

        mask[.._layout.ActionCount].Clear();
        for (int i = 0; i < Elements.Length; i++)
        {
            mask[i] = _copies[i] < _layout.MaxCopies;
        }

        mask[_layout.StopAction] = true;
    }

    /// <summary>Gets a value indicating whether an action is allowed now.</summary>
    /// <param name="action">The action.</param>
    /// <returns><see langword="true"/> for stop and for an element with copies left.</returns>
    public bool IsAllowed(int action) =>
        action == _layout.StopAction || ((uint)action < (uint)Elements.Length && _copies[action] < _layout.MaxCopies);

    /// <summary>Applies one action: emits an element, or stops.</summary>
    /// <param name="action">An element index, or <see cref="PointerRewriteLayout.StopAction"/>.</param>
    /// <returns><see langword="true"/> when the rewrite is now finished.</returns>
    /// <exception cref="InvalidOperationException">The rewrite has already finished.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="action"/> is not allowed now (see <see cref="GetMask"/>).</exception>
    public bool Apply(int action)
    {
        if (IsFinished)
        {
            throw new InvalidOperationException("The rewrite has finished; begin a new episode.");
        }

        if (!IsAllowed(action))
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, $"Action {action} is not allowed: use an element index below {Elements.Length} with copies left (at most {_layout.MaxCopies} each) or {_layout.StopAction} to stop.");
        }

        if (action == _layout.StopAction)
        {
            IsFinished = true;
            return true;
        }

        if (_copies[action]++ == 0)
        {
            _distinct++;
        }

        _emitted.Add(action);
        IsFinished = _emitted.Count >= _layout.MaxLength;
        return IsFinished;
    }

    /// <summary>Builds the rewritten prompt from the sequence emitted so far: each editable component gets its emitted
    /// elements in emission order (sentences joined by a space, items as a list); an editable component with none is
    /// removed; every other component is unchanged.</summary>
    /// <returns>The rewritten prompt.</returns>
    public Prompt Compose() => Compose(Prompt, Elements, _emitted);

    /// <summary>Builds the prompt a given element sequence writes (see <see cref="Compose()"/>).</summary>
    /// <param name="prompt">The original prompt.</param>
    /// <param name="elements">Its elements (from <see cref="PointerRewriteLayout.GetElements"/>).</param>
    /// <param name="sequence">Element indices in emission order.</param>
    /// <returns>The rewritten prompt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> or <paramref name="sequence"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index in <paramref name="sequence"/> is not an element.</exception>
    public static Prompt Compose(Prompt prompt, ImmutableArray<RewriteElement> elements, IReadOnlyList<int> sequence)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(sequence);
        var byComponent = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (int index in sequence)
        {
            if ((uint)index >= (uint)elements.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(sequence), index, $"Element {index} does not exist; the prompt has {elements.Length} elements.");
            }

            RewriteElement element = elements[index];
            if (!byComponent.TryGetValue(element.ComponentName, out List<string>? parts))
            {
                parts = [];
                byComponent.Add(element.ComponentName, parts);
            }

            parts.Add(element.Text);
        }

        Prompt result = prompt;
        foreach (PromptComponent component in prompt.Components)
        {
            if (!component.IsEditable)
            {
                continue;
            }

            if (!byComponent.TryGetValue(component.Name, out List<string>? parts))
            {
                result = result.Without(component.Name);
            }
            else
            {
                result = component.IsList ? result.WithItems(component.Name, parts) : result.WithText(component.Name, string.Join(' ', parts));
            }
        }

        return result;
    }
}
