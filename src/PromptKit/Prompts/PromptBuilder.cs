using System.Collections.Immutable;

namespace PromptKit;

/// <summary>Builds an immutable <see cref="Prompt"/> component by component.</summary>
/// <remarks>
/// <para>Each <c>Add…</c> method checks its arguments at once and returns the same builder; <see cref="Build"/> checks
/// the whole composition (at least one component, unique names). Components keep the order in which they were added.</para>
/// <para>The builder is not thread-safe; the prompt it builds is.</para>
/// <code>
/// Prompt prompt = new PromptBuilder()
///     .AddRolePlaying("You are a film critic who knows every genre.")
///     .AddHistory(["The Matrix (1999), rated 5", "Alien (1979), rated 4"])
///     .AddOutputFormat("Answer with a numbered list of titles.")
///     .Build();
/// </code>
/// </remarks>
public sealed class PromptBuilder
{
    private readonly List<PromptComponent> _components = [];

    /// <summary>Initializes a new instance of the <see cref="PromptBuilder"/> class with no components.</summary>
    public PromptBuilder()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PromptBuilder"/> class with the components of an existing prompt.</summary>
    /// <param name="prompt">The prompt to start from.</param>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    public PromptBuilder(Prompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        _components.AddRange(prompt.Components);
    }

    /// <summary>Adds a component to the builder.</summary>
    /// <param name="component">The component.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="component"/> is <see langword="null"/>.</exception>
    public PromptBuilder Add(PromptComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        _components.Add(component);
        return this;
    }

    /// <summary>Adds a fixed system instruction, named <c>system</c> unless another name is given, to the builder.</summary>
    /// <param name="text">The instruction.</param>
    /// <param name="name">The component name, or <see langword="null"/> for <c>system</c>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid component name.</exception>
    public PromptBuilder AddSystem(string text, string? name = null) =>
        Add(PromptComponent.FromText(PromptComponentKind.Instruction, text, name ?? "system"));

    /// <summary>Adds a fixed user request, named <c>user</c> unless another name is given, to the builder. It is written as plain text, with no heading and no delimiters.</summary>
    /// <param name="text">The request.</param>
    /// <param name="name">The component name, or <see langword="null"/> for <c>user</c>.</param>
    /// <returns>This builder.</returns>
    /// <remarks>Use <see cref="AddQuery"/> for text typed by end users, which is delimited as user content.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid component name.</exception>
    public PromptBuilder AddUser(string text, string? name = null) =>
        Add(PromptComponent.FromText(PromptComponentKind.Query, text, name ?? "user").WithUserContent(false).WithHeading(string.Empty));

    /// <summary>Adds a role-playing sentence to the builder (system message).</summary>
    /// <param name="text">The sentence.</param>
    /// <param name="name">The component name, or <see langword="null"/> for <c>role</c>.</param>
    /// <param name="isEditable">Whether a rewriter or personalizer may change it.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid component name.</exception>
    public PromptBuilder AddRolePlaying(string text, string? name = null, bool isEditable = false) =>
        Add(PromptComponent.FromText(PromptComponentKind.RolePlaying, text, name, isEditable));

    /// <summary>Adds the instruction or task description to the builder (system message).</summary>
    /// <param name="text">The instruction.</param>
    /// <param name="name">The component name, or <see langword="null"/> for <c>instruction</c>.</param>
    /// <param name="isEditable">Whether a rewriter or personalizer may change it.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid component name.</exception>
    public PromptBuilder AddInstruction(string text, string? name = null, bool isEditable = false) =>
        Add(PromptComponent.FromText(PromptComponentKind.Instruction, text, name, isEditable));

    /// <summary>Adds the user's history records to the builder, delimited as user content.</summary>
    /// <param name="records">The records, one item each.</param>
    /// <param name="name">The component name, or <see langword="null"/> for <c>history</c>.</param>
    /// <param name="isEditable">Whether a rewriter or personalizer may change them.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="records"/> contains <see langword="null"/>, or <paramref name="name"/> is not a valid component name.</exception>
    public PromptBuilder AddHistory(IEnumerable<string> records, string? name = null, bool isEditable = false) =>
        Add(PromptComponent.FromItems(PromptComponentKind.HistoryRecords, records, name, isEditable));

    /// <summary>Adds retrieved entries to the builder, delimited as user content.</summary>
    /// <param name="entries">The entries, one item each.</param>
    /// <param name="name">The component name, or <see langword="null"/> for <c>retrieved</c>.</param>
    /// <param name="isEditable">Whether a rewriter may change them.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="entries"/> contains <see langword="null"/>, or <paramref name="name"/> is not a valid component name.</exception>
    public PromptBuilder AddRetrievedEntries(IEnumerable<string> entries, string? name = null, bool isEditable = false) =>
        Add(PromptComponent.FromItems(PromptComponentKind.RetrievedEntries, entries, name, isEditable));

    /// <summary>Adds a summary of the user's context to the builder, delimited as user content.</summary>
    /// <param name="text">The summary.</param>
    /// <param name="name">The component name, or <see langword="null"/> for <c>summary</c>.</param>
    /// <param name="isEditable">Whether a rewriter may change it (the rewriting method edits it).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid component name.</exception>
    public PromptBuilder AddSummary(string text, string? name = null, bool isEditable = true) =>
        Add(PromptComponent.FromText(PromptComponentKind.Summary, text, name, isEditable));

    /// <summary>Adds a synthesis of the user's context (keywords, topics, style) to the builder, delimited as user content.</summary>
    /// <param name="keywords">The keywords or phrases, one item each.</param>
    /// <param name="name">The component name, or <see langword="null"/> for <c>synthesis</c>.</param>
    /// <param name="isEditable">Whether a rewriter may change it (the rewriting method edits it).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keywords"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="keywords"/> contains <see langword="null"/>, or <paramref name="name"/> is not a valid component name.</exception>
    public PromptBuilder AddSynthesis(IEnumerable<string> keywords, string? name = null, bool isEditable = true) =>
        Add(PromptComponent.FromItems(PromptComponentKind.Synthesis, keywords, name, isEditable));

    /// <summary>Adds reasoning guidance to the builder.</summary>
    /// <param name="text">The guidance.</param>
    /// <param name="name">The component name, or <see langword="null"/> for <c>reasoning</c>.</param>
    /// <param name="isEditable">Whether a rewriter or personalizer may change it.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid component name.</exception>
    public PromptBuilder AddReasoningGuidance(string text, string? name = null, bool isEditable = false) =>
        Add(PromptComponent.FromText(PromptComponentKind.ReasoningGuidance, text, name, isEditable));

    /// <summary>Adds the required output format to the builder.</summary>
    /// <param name="text">The format description.</param>
    /// <param name="name">The component name, or <see langword="null"/> for <c>format</c>.</param>
    /// <param name="isEditable">Whether a rewriter or personalizer may change it.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid component name.</exception>
    public PromptBuilder AddOutputFormat(string text, string? name = null, bool isEditable = false) =>
        Add(PromptComponent.FromText(PromptComponentKind.OutputFormat, text, name, isEditable));

    /// <summary>Adds worked examples (shots) to the builder.</summary>
    /// <param name="examples">The examples, one item each.</param>
    /// <param name="name">The component name, or <see langword="null"/> for <c>examples</c>.</param>
    /// <param name="isEditable">Whether a rewriter may change them.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="examples"/> contains <see langword="null"/>, or <paramref name="name"/> is not a valid component name.</exception>
    public PromptBuilder AddExamples(IEnumerable<string> examples, string? name = null, bool isEditable = false) =>
        Add(PromptComponent.FromItems(PromptComponentKind.Examples, examples, name, isEditable));

    /// <summary>Adds the actions an agent may take to the builder.</summary>
    /// <param name="actions">The actions, one item each.</param>
    /// <param name="name">The component name, or <see langword="null"/> for <c>actions</c>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="actions"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="actions"/> contains <see langword="null"/>, or <paramref name="name"/> is not a valid component name.</exception>
    public PromptBuilder AddActionSpace(IEnumerable<string> actions, string? name = null) =>
        Add(PromptComponent.FromItems(PromptComponentKind.ActionSpace, actions, name));

    /// <summary>Adds the end user's query to the builder, delimited as user content.</summary>
    /// <param name="text">The query.</param>
    /// <param name="name">The component name, or <see langword="null"/> for <c>query</c>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid component name.</exception>
    public PromptBuilder AddQuery(string text, string? name = null) =>
        Add(PromptComponent.FromText(PromptComponentKind.Query, text, name));

    /// <summary>Adds the candidate items to the builder, delimited as user content.</summary>
    /// <param name="candidates">The candidates, one item each, in the order the model sees them.</param>
    /// <param name="name">The component name, or <see langword="null"/> for <c>candidates</c>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="candidates"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="candidates"/> contains <see langword="null"/>, or <paramref name="name"/> is not a valid component name.</exception>
    public PromptBuilder AddCandidates(IEnumerable<string> candidates, string? name = null) =>
        Add(PromptComponent.FromItems(PromptComponentKind.Candidates, candidates, name));

    /// <summary>Builds the prompt.</summary>
    /// <returns>An immutable snapshot: later changes to the builder do not affect it.</returns>
    /// <exception cref="InvalidOperationException">The builder has no components, or two components share a name.</exception>
    public Prompt Build()
    {
        if (_components.Count == 0)
        {
            throw new InvalidOperationException(
                $"{nameof(PromptBuilder)} has no components. Call {nameof(Add)} (or AddSystem, AddUser, AddInstruction, …) before {nameof(Build)}.");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _components.Count; i++)
        {
            if (seen.TryGetValue(_components[i].Name, out int first))
            {
                throw new InvalidOperationException(
                    $"The {nameof(PromptBuilder)} entries at index {first} and {i} are both named '{_components[i].Name}'. Component names must be unique: pass a distinct name to the Add method.");
            }

            seen.Add(_components[i].Name, i);
        }

        return new Prompt([.. _components]);
    }
}
