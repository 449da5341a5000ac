namespace PromptKit.Samples.QuickStart;

/// <summary>
/// Builds the personalized-generation prompt of the rewriting method (instruction, retrieved entries, summary,
/// synthesis keywords, query) for one author, and the fixed variants the quick start compares.
/// </summary>
internal sealed class PersonalizedPrompts(TextFeatures features)
{
    public const string Instruction =
        "You write the abstract of a new paper for the author whose earlier work is shown. Match the author's vocabulary and style.";

    public static readonly IReadOnlyList<string> VariantNames = ["full", "no-summary", "no-keywords", "title-only"];

    public Prompt Build(AuthorTask task, int retrieved = 3, int keywords = 10)
    {
        Dictionary<string, double> query = features.Vector(task.Target.Title);
        string[] top = [.. task.History
            .Select(d => (Doc: d, Score: TextFeatures.Cosine(query, features.Vector(d.Title + " " + d.Text))))
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Doc.DocId, StringComparer.Ordinal)
            .Take(retrieved)
            .Select(x => $"{x.Doc.Title}: {x.Doc.Text}")];

        // The summary is the opening sentence of the author's most recent papers: on-topic for the author, often
        // off-topic for the new paper (the noise the rewriting paper reports).
        string summary = string.Join(" ", task.History.TakeLast(3).Select(d => FirstSentence(d.Text)));

        return new PromptBuilder()
            .AddInstruction(Instruction)
            .AddRetrievedEntries(top)
            .AddSummary(summary)
            .AddSynthesis(features.Keywords(task.History.Select(d => d.Title + " " + d.Text), keywords))
            .AddOutputFormat("Plain text, one paragraph of about 100 words.")
            .AddQuery(task.Target.Title)
            .Build();
    }

    private static string FirstSentence(string text)
    {
        IReadOnlyList<string> sentences = TextFeatures.Sentences(text);
        return sentences.Count > 0 ? sentences[0] : string.Empty;
    }

    public static Prompt Variant(Prompt full, string name) => name switch
    {
        "full" => full,
        "no-summary" => full.Without(PromptComponentKind.Summary),
        "no-keywords" => full.Without(PromptComponentKind.Synthesis),
        "title-only" => full.Without(PromptComponentKind.Summary).Without(PromptComponentKind.Synthesis).Without(PromptComponentKind.RetrievedEntries),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown variant."),
    };
}
