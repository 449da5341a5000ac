using System.Collections.Immutable;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace PromptKit;

/// <summary>An immutable prompt: ordered, uniquely named <see cref="PromptComponent"/>s.</summary>
/// <remarks>
/// <para>Build prompts with <see cref="PromptBuilder"/>; change them with the <c>With…</c> and <c>Without…</c> methods,
/// which return new prompts and leave this one as it was. Instances are thread-safe.</para>
/// <para>Two prompts are equal when their components are equal, in order.</para>
/// <para>The <c>With…</c> methods change any component, fixed or editable: <see cref="PromptComponent.IsEditable"/> is
/// a contract for rewriters and personalizers, which only touch editable components.</para>
/// </remarks>
public sealed class Prompt : IEquatable<Prompt>
{
    internal Prompt(ImmutableArray<PromptComponent> components)
    {
        Components = components;
    }

    /// <summary>Gets the components, in rendering order.</summary>
    public ImmutableArray<PromptComponent> Components { get; }

    /// <summary>Gets the number of components.</summary>
    public int Count => Components.Length;

    /// <summary>Gets the component with the given name.</summary>
    /// <param name="name">The component name.</param>
    /// <returns>The component.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">No component has that name.</exception>
    public PromptComponent this[string name] =>
        TryGetComponent(name, out PromptComponent? component)
            ? component
            : throw new KeyNotFoundException($"The prompt has no component named '{name}'. Its components are: {string.Join(", ", Names())}.");

    /// <summary>Gets the component with the given name, if there is one.</summary>
    /// <param name="name">The component name.</param>
    /// <param name="component">When this method returns <see langword="true"/>, the component.</param>
    /// <returns><see langword="true"/> if a component has that name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public bool TryGetComponent(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PromptComponent? component)
    {
        int index = IndexOf(name);
        component = index >= 0 ? Components[index] : null;
        return component is not null;
    }

    /// <summary>Gets a value indicating whether a component has the given name.</summary>
    /// <param name="name">The component name.</param>
    /// <returns><see langword="true"/> if a component has that name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>Gets the components of one kind, in order.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The matching components; empty when there are none.</returns>
    public ImmutableArray<PromptComponent> GetComponents(PromptComponentKind kind)
    {
        ImmutableArray<PromptComponent>.Builder result = ImmutableArray.CreateBuilder<PromptComponent>();
        foreach (PromptComponent component in Components)
        {
            if (component.Kind == kind)
            {
                result.Add(component);
            }
        }

        return result.ToImmutable();
    }

    /// <summary>Gets the components a rewriter may edit, in order.</summary>
    /// <returns>The editable components; empty when every component is fixed.</returns>
    public ImmutableArray<PromptComponent> GetEditableComponents()
    {
        ImmutableArray<PromptComponent>.Builder result = ImmutableArray.CreateBuilder<PromptComponent>();
        foreach (PromptComponent component in Components)
        {
            if (component.IsEditable)
            {
                result.Add(component);
            }
        }

        return result.ToImmutable();
    }

    /// <summary>Returns a prompt in which the named component holds <paramref name="text"/>.</summary>
    /// <param name="name">The name of an existing component.</param>
    /// <param name="text">The new text.</param>
    /// <returns>The new prompt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">No component has that name.</exception>
    public Prompt WithText(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int index = RequireIndex(name);
        return new Prompt(Components.SetItem(index, Components[index].WithText(text)));
    }

    /// <summary>Returns a prompt in which the named component holds <paramref name="items"/>.</summary>
    /// <param name="name">The name of an existing component.</param>
    /// <param name="items">The new items.</param>
    /// <returns>The new prompt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="items"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="items"/> contains <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">No component has that name.</exception>
    public Prompt WithItems(string name, IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        int index = RequireIndex(name);
        return new Prompt(Components.SetItem(index, Components[index].WithItems(items)));
    }

    /// <summary>Returns a prompt in which <paramref name="component"/> replaces the component of the same name, or is appended when there is none.</summary>
    /// <param name="component">The component.</param>
    /// <returns>The new prompt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="component"/> is <see langword="null"/>.</exception>
    public Prompt WithComponent(PromptComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        int index = IndexOf(component.Name);
        return new Prompt(index >= 0 ? Components.SetItem(index, component) : Components.Add(component));
    }

    /// <summary>Returns a prompt with <paramref name="component"/> inserted at <paramref name="index"/>.</summary>
    /// <param name="index">The position, from 0 to <see cref="Count"/>.</param>
    /// <param name="component">The component; its name must not be used yet.</param>
    /// <returns>The new prompt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="component"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or greater than <see cref="Count"/>.</exception>
    /// <exception cref="ArgumentException">A component with the same name exists.</exception>
    public Prompt WithComponentAt(int index, PromptComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, Count);
        if (IndexOf(component.Name) >= 0)
        {
            throw new ArgumentException(
                $"The prompt already has a component named '{component.Name}'. Use {nameof(WithComponent)} to replace it, or give the new one another name.",
                nameof(component));
        }

        return new Prompt(Components.Insert(index, component));
    }

    /// <summary>Returns a prompt without the named component; the same prompt when there is no such component.</summary>
    /// <param name="name">The component name.</param>
    /// <returns>The new prompt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public Prompt Without(string name)
    {
        int index = IndexOf(name);
        return index < 0 ? this : new Prompt(Components.RemoveAt(index));
    }

    /// <summary>Returns a prompt without any component of the given kind.</summary>
    /// <param name="kind">The kind to remove.</param>
    /// <returns>The new prompt; the same prompt when no component has that kind.</returns>
    public Prompt Without(PromptComponentKind kind)
    {
        ImmutableArray<PromptComponent> kept = Components.RemoveAll(c => c.Kind == kind);
        return kept.Length == Components.Length ? this : new Prompt(kept);
    }

    /// <summary>Renders the prompt as one text, components in order, under <paramref name="format"/>.</summary>
    /// <param name="format">The format, or <see langword="null"/> for <see cref="PromptFormat.Default"/>.</param>
    /// <returns>The text. Empty components are left out.</returns>
    public string Render(PromptFormat? format = null) =>
        PromptRenderer.Render(this, format ?? PromptFormat.Default, role: null, includeNotice: true);

    /// <summary>Renders the prompt through a template whose placeholders name components.</summary>
    /// <param name="template">The template.</param>
    /// <param name="format">The format for each component, or <see langword="null"/> for <see cref="PromptFormat.Default"/>.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="template"/> is <see langword="null"/>.</exception>
    public string Render(PromptTemplate template, PromptFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template.Render(this, format);
    }

    /// <summary>Renders the prompt as chat messages: one system message with the system-role components and one user message with the others.</summary>
    /// <param name="format">The format, or <see langword="null"/> for <see cref="PromptFormat.Default"/>.</param>
    /// <returns>The messages; a message with no content is left out. The list is new on each call.</returns>
    /// <remarks>When the prompt holds user content and the format asks for it, the notice that delimited text is data ends the system message.</remarks>
    public IReadOnlyList<ChatMessage> ToChatMessages(PromptFormat? format = null)
    {
        format ??= PromptFormat.Default;
        string system = PromptRenderer.Render(this, format, PromptRole.System, includeNotice: false);
        string user = PromptRenderer.Render(this, format, PromptRole.User, includeNotice: false);
        if (format.IncludeUserContentNotice && HasUserContent())
        {
            system = system.Length == 0 ? format.UserContentNotice : system + format.SectionSeparator + format.UserContentNotice;
        }

        var messages = new List<ChatMessage>(2);
        if (system.Length > 0)
        {
            messages.Add(new ChatMessage(ChatRole.System, system));
        }

        if (user.Length > 0)
        {
            messages.Add(new ChatMessage(ChatRole.User, user));
        }

        return messages;
    }

    /// <summary>Counts the tokens of the rendered prompt with <paramref name="tokenizer"/>.</summary>
    /// <param name="tokenizer">The tokenizer of the model the prompt is for (e.g. a tiktoken or BPE tokenizer from Microsoft.ML.Tokenizers).</param>
    /// <param name="format">The format, or <see langword="null"/> for <see cref="PromptFormat.Default"/>.</param>
    /// <returns>The number of tokens of <see cref="Render(PromptFormat?)"/>'s text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tokenizer"/> is <see langword="null"/>.</exception>
    public int CountTokens(Tokenizer tokenizer, PromptFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return tokenizer.CountTokens(Render(format));
    }

    /// <inheritdoc/>
    public bool Equals(Prompt? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Count != Count)
        {
            return false;
        }

        for (int i = 0; i < Count; i++)
        {
            if (!Components[i].Equals(other.Components[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Prompt);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (PromptComponent component in Components)
        {
            hash.Add(component);
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns the prompt rendered with <see cref="PromptFormat.Default"/>.</summary>
    /// <returns>The rendered text.</returns>
    public override string ToString() => Render();

    internal bool HasUserContent()
    {
        foreach (PromptComponent component in Components)
        {
            if (component.IsUserContent && !component.IsEmpty)
            {
                return true;
            }
        }

        return false;
    }

    private int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = 0; i < Components.Length; i++)
        {
            if (string.Equals(Components[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private int RequireIndex(string name)
    {
        int index = IndexOf(name);
        if (index < 0)
        {
            throw new KeyNotFoundException(
                $"The prompt has no component named '{name}'. Its components are: {string.Join(", ", Names())}. Use {nameof(WithComponent)} to add one.");
        }

        return index;
    }

    private IEnumerable<string> Names()
    {
        foreach (PromptComponent component in Components)
        {
            yield return component.Name;
        }
    }
}
