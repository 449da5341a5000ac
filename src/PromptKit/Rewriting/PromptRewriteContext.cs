using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace PromptKit;

/// <summary>What a <see cref="IPromptRewriter"/> may read about the request besides the prompt: the user, and named properties.</summary>
/// <remarks>
/// <para>Instances are immutable and thread-safe: the constructor copies the properties, so later changes to the
/// caller's dictionary do not show. Property values are not copied; pass immutable values.</para>
/// <para>Property names are compared ordinally. Rewriters document the properties they read.</para>
/// </remarks>
public sealed class PromptRewriteContext
{
    /// <summary>Initializes a new instance of the <see cref="PromptRewriteContext"/> class.</summary>
    /// <param name="userId">The id of the user the prompt is for, or <see langword="null"/> when it is unknown or not personal.</param>
    /// <param name="properties">Named values a rewriter may read, or <see langword="null"/> for none. No name may be repeated.</param>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty or white space, or <paramref name="properties"/> repeats a name.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="properties"/> contains a <see langword="null"/> name.</exception>
    public PromptRewriteContext(string? userId = null, IEnumerable<KeyValuePair<string, object?>>? properties = null)
    {
        if (userId is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        }

        UserId = userId;
        if (properties is null)
        {
            Properties = FrozenDictionary<string, object?>.Empty;
            return;
        }

        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, object?> property in properties)
        {
            ArgumentNullException.ThrowIfNull(property.Key, nameof(properties));
            if (!copy.TryAdd(property.Key, property.Value))
            {
                throw new ArgumentException($"Property '{property.Key}' is given twice. Give each property name once.", nameof(properties));
            }
        }

        Properties = copy.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Gets the id of the user the prompt is for, or <see langword="null"/> when it is unknown or not personal.</summary>
    public string? UserId { get; }

    /// <summary>Gets the named values a rewriter may read; empty when there are none.</summary>
    public IReadOnlyDictionary<string, object?> Properties { get; }

    /// <summary>Gets the property with the given name when it holds a <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The expected type of the value.</typeparam>
    /// <param name="name">The property name.</param>
    /// <param name="value">When this method returns <see langword="true"/>, the value.</param>
    /// <returns><see langword="true"/> if the property exists and its value is a <typeparamref name="T"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public bool TryGetProperty<T>(string name, [MaybeNullWhen(false)] out T value)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Properties.TryGetValue(name, out object? stored) && stored is T typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return false;
    }
}
