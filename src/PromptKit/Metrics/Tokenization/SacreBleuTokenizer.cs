namespace PromptKit;

/// <summary>Base of the sacrebleu tokenizers: turns one line into tokens in a <see cref="TokenBuffer"/>.</summary>
/// <remarks>Implementations are stateless singletons and thread-safe; all scratch lives in the buffer.</remarks>
internal abstract class SacreBleuTokenizer
{
    /// <summary>Gets the tokenizer's name in sacrebleu signatures (<c>tok:13a</c>).</summary>
    public abstract string Signature { get; }

    /// <summary>Returns the tokenizer for <paramref name="tokenizer"/>.</summary>
    public static SacreBleuTokenizer For(BleuTokenizer tokenizer) => tokenizer switch
    {
        BleuTokenizer.Mteval13a => Mteval13aTokenizer.Instance,
        BleuTokenizer.None => NoneTokenizer.Instance,
        BleuTokenizer.International => InternationalTokenizer.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(tokenizer), tokenizer, $"Unknown {nameof(BleuTokenizer)} value {tokenizer}."),
    };

    /// <summary>Tokenizes <paramref name="line"/> into <paramref name="output"/>, replacing its previous content.</summary>
    public abstract void Tokenize(ReadOnlySpan<char> line, TokenBuffer output);
}
