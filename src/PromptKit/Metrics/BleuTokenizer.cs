namespace PromptKit;

/// <summary>Selects the sacrebleu tokenizer that <see cref="BleuMetric"/> applies to hypotheses and references.</summary>
public enum BleuTokenizer
{
    /// <summary>
    /// sacrebleu's default <c>13a</c> tokenizer, equivalent to mteval-v13a.pl (WMT): removes <c>&lt;skipped&gt;</c>,
    /// unescapes <c>&amp;quot;</c>, <c>&amp;amp;</c>, <c>&amp;lt;</c>, <c>&amp;gt;</c> and splits ASCII punctuation,
    /// keeping periods and commas inside numbers.
    /// </summary>
    Mteval13a = 0,

    /// <summary>sacrebleu's <c>none</c> tokenizer: the text is only split on whitespace (for already tokenized text).</summary>
    None = 1,

    /// <summary>
    /// sacrebleu's <c>intl</c> tokenizer (mteval-v14.pl international): splits Unicode punctuation (category P)
    /// unless it sits between numbers, and every Unicode symbol (category S).
    /// </summary>
    International = 2,
}
