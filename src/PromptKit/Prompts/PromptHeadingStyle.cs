namespace PromptKit;

/// <summary>How a component's heading is written when a prompt is rendered.</summary>
public enum PromptHeadingStyle
{
    /// <summary>No headings: components are separated only by <see cref="PromptFormat.SectionSeparator"/>.</summary>
    None = 0,

    /// <summary>A label line ending in a colon, e.g. <c>History records:</c>.</summary>
    Label,

    /// <summary>A Markdown heading, e.g. <c>## History records</c>.</summary>
    Markdown,
}
