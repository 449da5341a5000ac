namespace PromptKit;

/// <summary>One copyable piece of a prompt's editable content: a sentence of an editable text component or an item of
/// an editable list component. A <see cref="PointerRewriteEpisode"/> writes the new editable components as a sequence of
/// these.</summary>
/// <param name="ComponentName">The name of the component the element comes from.</param>
/// <param name="ComponentOrdinal">The position of that component among the prompt's editable components (0-based).</param>
/// <param name="Position">The element's position within its component (0-based).</param>
/// <param name="Text">The sentence or item text.</param>
/// <param name="IsSentence"><see langword="true"/> for a sentence of a text component, <see langword="false"/> for a list item.</param>
public sealed record RewriteElement(string ComponentName, int ComponentOrdinal, int Position, string Text, bool IsSentence);
