using System.Collections.Immutable;

namespace PromptKit;

/// <summary>One named part of a <see cref="Prompt"/>: a text or a list of items, of a well-known kind.</summary>
/// <remarks>
/// <para>Components are immutable; the <c>With…</c> methods return changed copies. Two components are equal when
/// every property is equal (items compared in order, ordinally).</para>
/// <para><see cref="IsUserContent"/> marks text that comes from users or their data (history, retrieved documents,
/// queries). Renderers always place such content inside delimiters it cannot close or forge, so it can never be read
/// as instructions. <see cref="IsEditable"/> marks the components that a prompt rewriter or personalizer may change;
/// the others are fixed.</para>
/// </remarks>
public sealed class PromptComponent : IEquatable<PromptComponent>
{
    private PromptComponent(PromptComponentKind kind, string name, string text, ImmutableArray<string> items, bool isList, bool isEditable, bool isUserContent, PromptRole role, string? heading = null)
    {
        Heading = heading;
        Kind = kind;
        Name = name;
        Text = text;
        Items = items;
        IsList = isList;
        IsEditable = isEditable;
        IsUserContent = isUserContent;
        Role = role;
    }

    /// <summary>Gets the kind of the component.</summary>
    public PromptComponentKind Kind { get; }

    /// <summary>Gets the name of the component, unique within its prompt.</summary>
    /// <remarks>Names are 1 to 64 characters: ASCII letters, digits, <c>_</c>, <c>-</c> and <c>.</c>, starting with a letter.</remarks>
    public string Name { get; }

    /// <summary>Gets the text of a text component, or the empty string for a list component.</summary>
    public string Text { get; }

    /// <summary>Gets the items of a list component, or an empty array for a text component.</summary>
    public ImmutableArray<string> Items { get; }

    /// <summary>Gets a value indicating whether the component is a list of items rather than a text.</summary>
    public bool IsList { get; }

    /// <summary>Gets a value indicating whether a prompt rewriter or personalizer may edit the component.</summary>
    public bool IsEditable { get; }

    /// <summary>Gets a value indicating whether the content comes from users or their data and must be rendered inside delimiters.</summary>
    public bool IsUserContent { get; }

    /// <summary>Gets the chat message the component is rendered into.</summary>
    public PromptRole Role { get; }

    /// <summary>Gets the heading that replaces the format's heading for this component: <see langword="null"/> to use the format's, the empty string for none.</summary>
    public string? Heading { get; }

    /// <summary>Gets a value indicating whether the component has no content (empty or whitespace text, or no items).</summary>
    public bool IsEmpty => IsList ? Items.IsEmpty : string.IsNullOrWhiteSpace(Text);

    /// <summary>Creates a text component.</summary>
    /// <param name="kind">The kind of the component.</param>
    /// <param name="text">The text. It may be empty (an empty component renders nothing).</param>
    /// <param name="name">The name, or <see langword="null"/> for the kind's default name (e.g. <c>history</c>).</param>
    /// <param name="isEditable">Whether a rewriter may edit the component.</param>
    /// <returns>The component, with the role and user-content flag that <paramref name="kind"/> implies.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid component name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static PromptComponent FromText(PromptComponentKind kind, string text, string? name = null, bool isEditable = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        PromptComponentKindInfo.ThrowIfUndefined(kind, nameof(kind));
        name ??= PromptComponentKindInfo.DefaultName(kind);
        ValidateName(name, nameof(name));
        return new PromptComponent(kind, name, text, [], isList: false, isEditable,
            PromptComponentKindInfo.DefaultIsUserContent(kind), PromptComponentKindInfo.DefaultRole(kind));
    }

    /// <summary>Creates a list component.</summary>
    /// <param name="kind">The kind of the component.</param>
    /// <param name="items">The items, in order. The list may be empty; no item may be <see langword="null"/>.</param>
    /// <param name="name">The name, or <see langword="null"/> for the kind's default name (e.g. <c>history</c>).</param>
    /// <param name="isEditable">Whether a rewriter may edit the component.</param>
    /// <returns>The component, with the role and user-content flag that <paramref name="kind"/> implies.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="items"/> contains <see langword="null"/>, or <paramref name="name"/> is not a valid component name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static PromptComponent FromItems(PromptComponentKind kind, IEnumerable<string> items, string? name = null, bool isEditable = false)
    {
        ImmutableArray<string> list = ToItems(items, nameof(items));
        PromptComponentKindInfo.ThrowIfUndefined(kind, nameof(kind));
        name ??= PromptComponentKindInfo.DefaultName(kind);
        ValidateName(name, nameof(name));
        return new PromptComponent(kind, name, string.Empty, list, isList: true, isEditable,
            PromptComponentKindInfo.DefaultIsUserContent(kind), PromptComponentKindInfo.DefaultRole(kind));
    }

    /// <summary>Returns a copy of this component holding <paramref name="text"/> (a list component becomes a text component).</summary>
    /// <param name="text">The new text.</param>
    /// <returns>The changed copy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public PromptComponent WithText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new PromptComponent(Kind, Name, text, [], isList: false, IsEditable, IsUserContent, Role, Heading);
    }

    /// <summary>Returns a copy of this component holding <paramref name="items"/> (a text component becomes a list component).</summary>
    /// <param name="items">The new items.</param>
    /// <returns>The changed copy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="items"/> contains <see langword="null"/>.</exception>
    public PromptComponent WithItems(IEnumerable<string> items) =>
        new(Kind, Name, string.Empty, ToItems(items, nameof(items)), isList: true, IsEditable, IsUserContent, Role, Heading);

    /// <summary>Returns a copy of this component with another name.</summary>
    /// <param name="name">The new name.</param>
    /// <returns>The changed copy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid component name.</exception>
    public PromptComponent WithName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ValidateName(name, nameof(name));
        return new PromptComponent(Kind, name, Text, Items, IsList, IsEditable, IsUserContent, Role, Heading);
    }

    /// <summary>Returns a copy of this component that a rewriter may, or may not, edit.</summary>
    /// <param name="isEditable">Whether a rewriter may edit the component.</param>
    /// <returns>The changed copy.</returns>
    public PromptComponent WithEditable(bool isEditable) =>
        new(Kind, Name, Text, Items, IsList, isEditable, IsUserContent, Role, Heading);

    /// <summary>Returns a copy of this component marked as user content (always delimited) or as trusted text.</summary>
    /// <param name="isUserContent">Whether the content comes from users or their data.</param>
    /// <returns>The changed copy.</returns>
    public PromptComponent WithUserContent(bool isUserContent) =>
        new(Kind, Name, Text, Items, IsList, IsEditable, isUserContent, Role, Heading);

    /// <summary>Returns a copy of this component rendered into another chat message.</summary>
    /// <param name="role">The chat message the component goes into.</param>
    /// <returns>The changed copy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not a defined value.</exception>
    public PromptComponent WithRole(PromptRole role)
    {
        if (role is not (PromptRole.System or PromptRole.User))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, $"Role {(int)role} is not a defined {nameof(PromptRole)} value.");
        }

        return new PromptComponent(Kind, Name, Text, Items, IsList, IsEditable, IsUserContent, role, Heading);
    }

    /// <summary>Returns a copy of this component with its own heading.</summary>
    /// <param name="heading">The heading; the empty string for none; <see langword="null"/> to use the format's heading.</param>
    /// <returns>The changed copy.</returns>
    /// <exception cref="ArgumentException"><paramref name="heading"/> contains a line break, an angle bracket (or a look-alike) or an ampersand.</exception>
    public PromptComponent WithHeading(string? heading)
    {
        if (heading is not null && !PromptRenderer.IsSafeHeading(heading))
        {
            throw new ArgumentException(
                $"Heading '{heading}' is not allowed: a heading must be a single line without '<', '>', '&' or look-alike brackets, so that it can never read as a delimiter tag.",
                nameof(heading));
        }

        return new PromptComponent(Kind, Name, Text, Items, IsList, IsEditable, IsUserContent, Role, heading);
    }

    /// <inheritdoc/>
    public bool Equals(PromptComponent? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || Kind != other.Kind || IsList != other.IsList || IsEditable != other.IsEditable
            || IsUserContent != other.IsUserContent || Role != other.Role
            || !string.Equals(Name, other.Name, StringComparison.Ordinal)
            || !string.Equals(Text, other.Text, StringComparison.Ordinal)
            || !string.Equals(Heading, other.Heading, StringComparison.Ordinal)
            || Items.Length != other.Items.Length)
        {
            return false;
        }

        for (int i = 0; i < Items.Length; i++)
        {
            if (!string.Equals(Items[i], other.Items[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PromptComponent);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        hash.Add(Name, StringComparer.Ordinal);
        hash.Add(Text, StringComparer.Ordinal);
        hash.Add(IsList);
        hash.Add(IsEditable);
        hash.Add(IsUserContent);
        hash.Add(Role);
        hash.Add(Heading, StringComparer.Ordinal);
        foreach (string item in Items)
        {
            hash.Add(item, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns the component's name and content, for debugging.</summary>
    /// <returns>A short description of the component.</returns>
    public override string ToString() =>
        IsList ? $"{Name} ({Kind}, {Items.Length} items)" : $"{Name} ({Kind}): {Text}";

    internal static void ValidateName(string name, string paramName)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException(
                $"Component name '{name}' is not valid. Use 1 to 64 ASCII letters, digits, '_', '-' or '.', starting with a letter.",
                paramName);
        }
    }

    internal static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 64 || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static ImmutableArray<string> ToItems(IEnumerable<string> items, string paramName)
    {
        ArgumentNullException.ThrowIfNull(items, paramName);
        ImmutableArray<string> list = [.. items];
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"Item {i} is null. Pass an empty string for an empty item.", paramName);
            }
        }

        return list;
    }
}
