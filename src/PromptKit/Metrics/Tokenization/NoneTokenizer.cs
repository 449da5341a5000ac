namespace PromptKit;

/// <summary>sacrebleu's <c>none</c> tokenizer (<c>tokenizer_none.NoneTokenizer</c>): the line is only split on whitespace.</summary>
internal sealed class NoneTokenizer : SacreBleuTokenizer
{
    /// <summary>Gets the shared instance.</summary>
    public static NoneTokenizer Instance { get; } = new();

    /// <inheritdoc/>
    public override string Signature => "none";

    /// <inheritdoc/>
    public override void Tokenize(ReadOnlySpan<char> line, TokenBuffer output)
    {
        char[] text = output.First(line.Length);
        line.CopyTo(text);
        output.SetText(text, line.Length);
    }
}
