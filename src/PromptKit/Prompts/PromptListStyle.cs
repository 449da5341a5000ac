namespace PromptKit;

/// <summary>How the items of a list component are written when a prompt is rendered.</summary>
public enum PromptListStyle
{
    /// <summary>One item a line, numbered from 1: <c>1. item</c>.</summary>
    Numbered = 0,

    /// <summary>One item a line, with a dash: <c>- item</c>.</summary>
    Bulleted,

    /// <summary>One item a line, with no marker.</summary>
    Lines,
}
