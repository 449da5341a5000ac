using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace PromptKit;

/// <summary>Composes the RPP prompt of a <see cref="RecommendationExample"/> from a <see cref="RppSelection"/>.</summary>
/// <remarks>
/// <para>The prompt's components, in order (built with <see cref="PromptBuilder"/>; user data is always delimited):</para>
/// <list type="number">
/// <item><description><c>role</c> (system): the role-playing sentence; left out when it is empty.</description></item>
/// <item><description><c>instruction</c> (system): the task, "Rank the N candidate movies below for this user …".</description></item>
/// <item><description><c>history_description</c>: the history action's description (what the list shows).</description></item>
/// <item><description><c>history</c> (user data): <c>historyCount</c> items chosen by the action's <see cref="HistoryOrder"/>,
/// each <c>"Title (Year) [Genre, Genre], rated 4.5"</c> (without <c>", rated …"</c> when the action hides ratings; without
/// the genre list when the item has none). Left out, with its description, when no item is shown.</description></item>
/// <item><description><c>reasoning</c>: the reasoning-guidance sentence; left out when it is empty.</description></item>
/// <item><description><c>format</c>: the output-format sentence.</description></item>
/// <item><description><c>candidates</c> (user data): every candidate as <c>"[id] Title (Year)"</c>, in the example's order.</description></item>
/// </list>
/// <para>A refined text of the selection replaces the chosen sentence of its pattern. The prompt never contains the
/// target's identity beyond its place among the candidates. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class RppPromptComposer
{
    /// <summary>The name of the component that holds the history action's description.</summary>
    public const string HistoryDescriptionComponentName = "history_description";

    /// <summary>Initializes a new instance of the <see cref="RppPromptComposer"/> class.</summary>
    /// <param name="spaces">The action spaces the selections index into.</param>
    /// <param name="format">The format to render prompts with, or <see langword="null"/> for <see cref="PromptFormat.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spaces"/> is <see langword="null"/>.</exception>
    public RppPromptComposer(RppActionSpaces spaces, PromptFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(spaces);
        Spaces = spaces;
        Format = format ?? PromptFormat.Default;
    }

    /// <summary>Gets the action spaces.</summary>
    public RppActionSpaces Spaces { get; }

    /// <summary>Gets the format prompts are rendered with.</summary>
    public PromptFormat Format { get; }

    /// <summary>Composes the prompt.</summary>
    /// <param name="example">The example: history and candidates.</param>
    /// <param name="selection">The chosen actions.</param>
    /// <param name="historyCount">How many history items to show (fewer when the history is shorter); for example <see cref="RppActionSpaces.InitialHistoryCount"/>, then <see cref="NextHistoryCount"/> of the previous count.</param>
    /// <returns>The prompt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="example"/> or <paramref name="selection"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="historyCount"/> is negative or above <see cref="RppActionSpaces.MaxHistoryCount"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="selection"/> does not fit <see cref="Spaces"/>.</exception>
    public Prompt Compose(RecommendationExample example, RppSelection selection, int historyCount)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentOutOfRangeException.ThrowIfNegative(historyCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(historyCount, Spaces.MaxHistoryCount);
        selection.ThrowIfInvalid(Spaces, nameof(selection));

        HistoryRecordsAction action = Spaces.HistoryRecords[selection.HistoryRecords];
        string role = selection.RefinedRolePlaying ?? Spaces.RolePlaying[selection.RolePlaying];
        string reasoning = selection.RefinedReasoningGuidance ?? Spaces.ReasoningGuidance[selection.ReasoningGuidance];
        string format = selection.RefinedOutputFormat ?? Spaces.OutputFormat[selection.OutputFormat];
        string historyDescription = selection.RefinedHistoryRecords ?? action.Description;

        var builder = new PromptBuilder();
        if (!string.IsNullOrWhiteSpace(role))
        {
            builder.AddRolePlaying(role);
        }

        builder.AddInstruction(string.Create(
            CultureInfo.InvariantCulture,
            $"Rank the {example.Candidates.Length} candidate movies below for this user, from the movie the user is most likely to watch next to the least likely. Rank every candidate exactly once."));

        List<string> records = HistoryRecords(example, action, historyCount);
        if (records.Count > 0)
        {
            builder.Add(PromptComponent.FromText(PromptComponentKind.Instruction, historyDescription, HistoryDescriptionComponentName).WithRole(PromptRole.User));
            builder.AddHistory(records);
        }

        if (!string.IsNullOrWhiteSpace(reasoning))
        {
            builder.AddReasoningGuidance(reasoning);
        }

        builder.AddOutputFormat(format);
        var candidates = new string[example.Candidates.Length];
        for (int i = 0; i < candidates.Length; i++)
        {
            candidates[i] = FormatCandidate(example.Candidates[i]);
        }

        builder.AddCandidates(candidates);
        return builder.Build();
    }

    /// <summary>Composes the prompt and renders it as chat messages with <see cref="Format"/>.</summary>
    /// <param name="example">The example: history and candidates.</param>
    /// <param name="selection">The chosen actions.</param>
    /// <param name="historyCount">How many history items to show.</param>
    /// <returns>The messages: a system message (role, instruction, user-data notice) and a user message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="example"/> or <paramref name="selection"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="historyCount"/> is negative or above <see cref="RppActionSpaces.MaxHistoryCount"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="selection"/> does not fit <see cref="Spaces"/>.</exception>
    public IReadOnlyList<ChatMessage> ComposeMessages(RecommendationExample example, RppSelection selection, int historyCount) =>
        Compose(example, selection, historyCount).ToChatMessages(Format);

    /// <summary>Renders a prompt as one text with <see cref="Format"/>.</summary>
    /// <param name="prompt">The prompt.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    public string Render(Prompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return prompt.Render(Format);
    }

    /// <summary>Applies the history-records rule: the next count is <c>min(MaxHistoryCount, current + ItemsToAdd)</c> of the selection's action.</summary>
    /// <param name="current">The number of history items shown now.</param>
    /// <param name="selection">The chosen actions.</param>
    /// <returns>The number of history items to show next.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="selection"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="current"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="selection"/> does not fit <see cref="Spaces"/>.</exception>
    public int NextHistoryCount(int current, RppSelection selection)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(current);
        ArgumentNullException.ThrowIfNull(selection);
        selection.ThrowIfInvalid(Spaces, nameof(selection));
        return (int)Math.Min(Spaces.MaxHistoryCount, (long)current + Spaces.HistoryRecords[selection.HistoryRecords].ItemsToAdd);
    }

    /// <summary>Writes a candidate line: <c>"[id] Title (Year)"</c>.</summary>
    internal static string FormatCandidate(RecommendationItem item) => $"[{item.Id}] {item.DisplayTitle}";

    /// <summary>Writes a history line: <c>"Title (Year) [Genre, Genre], rated 4.5"</c>.</summary>
    internal static string FormatHistoryRecord(RecommendationItem item, UserInteraction interaction, bool includeRating)
    {
        var text = new StringBuilder(item.DisplayTitle);
        if (!item.Genres.IsEmpty)
        {
            text.Append(" [").AppendJoin(", ", item.Genres).Append(']');
        }

        if (includeRating)
        {
            text.Append(", rated ").Append(interaction.Rating.ToString("0.#", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>The history lines a prompt shows: <paramref name="historyCount"/> items (fewer when the history is shorter) in the action's order.</summary>
    internal static List<string> HistoryRecords(RecommendationExample example, HistoryRecordsAction action, int historyCount)
    {
        int n = Math.Min(historyCount, example.History.Length);
        var records = new List<string>(n);
        if (n == 0)
        {
            return records;
        }

        if (action.Order == HistoryOrder.MostRecent)
        {
            for (int i = example.History.Length - n; i < example.History.Length; i++)
            {
                records.Add(FormatHistoryRecord(example.HistoryItems[i], example.History[i], action.IncludeRatings));
            }

            return records;
        }

        // Highest rated first; among equal ratings the more recent first.
        int[] order = new int[example.History.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            int byRating = example.History[b].Rating.CompareTo(example.History[a].Rating);
            return byRating != 0 ? byRating : b.CompareTo(a);
        });
        for (int k = 0; k < n; k++)
        {
            int i = order[k];
            records.Add(FormatHistoryRecord(example.HistoryItems[i], example.History[i], action.IncludeRatings));
        }

        return records;
    }
}
