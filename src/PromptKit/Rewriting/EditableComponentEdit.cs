using System.Collections.Immutable;

namespace PromptKit;

/// <summary>Shared parts of the rewriters that edit the editable components of chosen kinds.</summary>
internal static class EditableComponentEdit
{
    /// <summary>Checks a list of kinds: not null, not empty, every value defined. Repeated kinds are kept once, in first-seen order.</summary>
    public static ImmutableArray<PromptComponentKind> ToKinds(IEnumerable<PromptComponentKind> kinds, string paramName)
    {
        ArgumentNullException.ThrowIfNull(kinds, paramName);
        ImmutableArray<PromptComponentKind>.Builder result = ImmutableArray.CreateBuilder<PromptComponentKind>();
        foreach (PromptComponentKind kind in kinds)
        {
            PromptComponentKindInfo.ThrowIfUndefined(kind, paramName);
            if (!result.Contains(kind))
            {
                result.Add(kind);
            }
        }

        if (result.Count == 0)
        {
            throw new ArgumentException("No component kind is given. Pass at least one PromptComponentKind.", paramName);
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// Returns <paramref name="prompt"/> with <paramref name="edit"/> applied to each editable component whose kind is in
    /// <paramref name="kinds"/>; <paramref name="edit"/> returns the component to keep (the same instance for no change)
    /// or <see langword="null"/> to remove it. Fixed components are never passed to it. Returns the same prompt when
    /// nothing changed.
    /// </summary>
    public static Prompt Apply<TState>(
        Prompt prompt, ImmutableArray<PromptComponentKind> kinds, TState state, Func<PromptComponent, TState, PromptComponent?> edit)
    {
        ImmutableArray<PromptComponent> components = prompt.Components;
        ImmutableArray<PromptComponent>.Builder? result = null;
        for (int i = 0; i < components.Length; i++)
        {
            PromptComponent component = components[i];
            PromptComponent? edited = component.IsEditable && kinds.Contains(component.Kind) ? edit(component, state) : component;
            if (result is null && !ReferenceEquals(edited, component))
            {
                result = ImmutableArray.CreateBuilder<PromptComponent>(components.Length);
                for (int j = 0; j < i; j++)
                {
                    result.Add(components[j]);
                }
            }

            if (result is not null && edited is not null)
            {
                result.Add(edited);
            }
        }

        return result is null ? prompt : new Prompt(result.ToImmutable());
    }
}
