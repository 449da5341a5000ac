using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace PromptKit;

/// <summary>
/// The Porter stemmer exactly as NLTK 3.8's <c>nltk.stem.porter.PorterStemmer()</c> computes it in its default
/// <c>NLTK_EXTENSIONS</c> mode (the stemmer that rouge-score uses with <c>use_stemmer=True</c>).
/// </summary>
/// <remarks>
/// <para>
/// Matches NLTK 3.8 <c>PorterStemmer(mode=PorterStemmer.NLTK_EXTENSIONS).stem(word)</c>: the table of irregular forms
/// (<c>sky</c>/<c>skies</c> → <c>sky</c>, <c>dying</c> → <c>die</c>, <c>lying</c> → <c>lie</c>, <c>tying</c> → <c>tie</c>,
/// <c>news</c>, <c>innings</c>, <c>outings</c>, <c>cannings</c>, <c>howe</c>, <c>proceed</c>, <c>exceed</c>,
/// <c>succeed</c>), which is looked up with the word as given (before lowercasing, as NLTK does); words of one or two
/// characters returned lowercased and unstemmed; and steps 1a, 1b, 1c, 2, 3, 4, 5a and 5b with NLTK's extensions
/// (<c>ies</c>/<c>ied</c> on four-letter words, <c>y</c> → <c>i</c> only after a consonant, <c>alli</c> applied first and
/// step 2 rerun, <c>bli</c> → <c>ble</c>, <c>fulli</c> → <c>ful</c>, <c>logi</c> → <c>log</c>, and the two-letter
/// vowel-consonant <c>*o</c> condition). The other NLTK modes (<c>MARTIN_EXTENSIONS</c>, <c>ORIGINAL_ALGORITHM</c>) are
/// not offered.
/// </para>
/// <para>
/// The word is lowercased character by character with <see cref="char.ToLowerInvariant(char)"/>. For ASCII this is
/// what Python's <c>str.lower()</c> does; for the few characters whose full Unicode lowercase mapping differs from the
/// simple one (e.g. U+0130) the result can differ from NLTK's. Only <c>a e i o u</c> (and <c>y</c> after a consonant) are
/// vowels, so every other character, digits and non-ASCII letters included, counts as a consonant, as in NLTK.
/// The stem is never longer than the word.
/// </para>
/// <para>This type is stateless and thread-safe; <see cref="Stem(ReadOnlySpan{char}, Span{char})"/> allocates nothing.</para>
/// </remarks>
public sealed class PorterStemmer
{
    private const int StackallocThreshold = 256;

    private static readonly string[] IrregularForms =
    [
        "sky", "sky",
        "skies", "sky",
        "dying", "die",
        "lying", "lie",
        "tying", "tie",
        "news", "news",
        "innings", "inning",
        "inning", "inning",
        "outings", "outing",
        "outing", "outing",
        "cannings", "canning",
        "canning", "canning",
        "howe", "howe",
        "proceed", "proceed",
        "exceed", "exceed",
        "succeed", "succeed",
    ];

    // Suffix, replacement pairs, in NLTK's order; the first suffix the word ends with decides.
    private static readonly string[] Step2Rules =
    [
        "ational", "ate",
        "tional", "tion",
        "enci", "ence",
        "anci", "ance",
        "izer", "ize",
        "bli", "ble",
        "alli", "al",
        "entli", "ent",
        "eli", "e",
        "ousli", "ous",
        "ization", "ize",
        "ation", "ate",
        "ator", "ate",
        "alism", "al",
        "iveness", "ive",
        "fulness", "ful",
        "ousness", "ous",
        "aliti", "al",
        "iviti", "ive",
        "biliti", "ble",
        "fulli", "ful",
        "logi", "log",
    ];

    private static readonly string[] Step3Rules =
    [
        "icate", "ic",
        "ative", "",
        "alize", "al",
        "iciti", "ic",
        "ical", "ic",
        "ful", "",
        "ness", "",
    ];

    private static readonly string[] Step4Suffixes =
    [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti",
        "ous", "ive", "ize",
    ];

    /// <summary>Gets a shared instance. The stemmer is stateless, so one instance serves every thread.</summary>
    public static PorterStemmer Instance { get; } = new();

    /// <summary>Stems one word.</summary>
    /// <param name="word">The word to stem. It is lowercased first; see the remarks on <see cref="PorterStemmer"/>.</param>
    /// <returns>The stem; <paramref name="word"/> itself when stemming changes nothing.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is <see langword="null"/>.</exception>
    public string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);

        char[]? rented = null;
        Span<char> buffer = word.Length <= StackallocThreshold
            ? stackalloc char[StackallocThreshold]
            : (rented = ArrayPool<char>.Shared.Rent(word.Length));
        try
        {
            int length = Stem(word.AsSpan(), buffer);
            ReadOnlySpan<char> stem = buffer[..length];
            return stem.SequenceEqual(word) ? word : new string(stem);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Stems one word into <paramref name="destination"/> without allocating.</summary>
    /// <param name="word">The word to stem. It is lowercased first; see the remarks on <see cref="PorterStemmer"/>.</param>
    /// <param name="destination">
    /// Receives the stem. It must be at least as long as <paramref name="word"/> (the stem is never longer) and may be
    /// the same memory as <paramref name="word"/> for stemming in place.
    /// </param>
    /// <returns>The number of characters written to <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="word"/>.</exception>
    [SuppressMessage(
        "Performance",
        "CA1822:Mark members as static",
        Justification = "Instance API, so that stemmer modes can be added later without breaking callers.")]
    public int Stem(ReadOnlySpan<char> word, Span<char> destination)
    {
        if (destination.Length < word.Length)
        {
            throw new ArgumentException(
                $"Destination length {destination.Length} is shorter than word length {word.Length}. " +
                "Pass a destination at least as long as the word.",
                nameof(destination));
        }

        // NLTK looks the irregular forms up with the word as given, before lowercasing.
        if (TryGetIrregularForm(word, out string? irregular))
        {
            irregular.CopyTo(destination);
            return irregular.Length;
        }

        for (int i = 0; i < word.Length; i++)
        {
            destination[i] = char.ToLowerInvariant(word[i]);
        }

        return word.Length <= 2 ? word.Length : StemSteps(destination, word.Length);
    }

    /// <summary>Stems a word that is already lowercase, in place, and returns the stem's length.</summary>
    internal static int StemLowercaseInPlace(Span<char> word)
    {
        if (TryGetIrregularForm(word, out string? irregular))
        {
            irregular.CopyTo(word);
            return irregular.Length;
        }

        return word.Length <= 2 ? word.Length : StemSteps(word, word.Length);
    }

    private static bool TryGetIrregularForm(ReadOnlySpan<char> word, [NotNullWhen(true)] out string? stem)
    {
        if (word.Length is >= 3 and <= 8)
        {
            for (int i = 0; i < IrregularForms.Length; i += 2)
            {
                if (word.SequenceEqual(IrregularForms[i]))
                {
                    stem = IrregularForms[i + 1];
                    return true;
                }
            }
        }

        stem = null;
        return false;
    }

    private static int StemSteps(Span<char> w, int length)
    {
        length = Step1A(w, length);
        length = Step1B(w, length);
        length = Step1C(w, length);
        length = Step2(w, length);
        length = Step3(w, length);
        length = Step4(w, length);
        length = Step5A(w, length);
        return Step5B(w, length);
    }

    private static int Step1A(Span<char> w, int length)
    {
        // NLTK extension: 'ties' -> 'tie' but 'flies' -> 'fli'.
        if (length == 4 && EndsWith(w, length, "ies"))
        {
            return length - 1;
        }

        if (EndsWith(w, length, "sses") || EndsWith(w, length, "ies"))
        {
            return length - 2;
        }

        if (EndsWith(w, length, "ss"))
        {
            return length;
        }

        return EndsWith(w, length, "s") ? length - 1 : length;
    }

    private static int Step1B(Span<char> w, int length)
    {
        // NLTK extension: 'died' -> 'die' but 'spied' -> 'spi'; nothing else in the step runs.
        if (EndsWith(w, length, "ied"))
        {
            return length == 4 ? length - 1 : length - 2;
        }

        if (EndsWith(w, length, "eed"))
        {
            return Measure(w, length - 3) > 0 ? length - 1 : length;
        }

        int stem;
        if (EndsWith(w, length, "ed") && ContainsVowel(w, length - 2))
        {
            stem = length - 2;
        }
        else if (EndsWith(w, length, "ing") && ContainsVowel(w, length - 3))
        {
            stem = length - 3;
        }
        else
        {
            return length;
        }

        if (EndsWith(w, stem, "at") || EndsWith(w, stem, "bl") || EndsWith(w, stem, "iz"))
        {
            w[stem] = 'e';
            return stem + 1;
        }

        if (EndsDoubleConsonant(w, stem))
        {
            char last = w[stem - 1];
            return last is 'l' or 's' or 'z' ? stem : stem - 1;
        }

        if (Measure(w, stem) == 1 && EndsCvc(w, stem))
        {
            w[stem] = 'e';
            return stem + 1;
        }

        return stem;
    }

    private static int Step1C(Span<char> w, int length)
    {
        // NLTK extension: y -> i only after a consonant, and not when the stem is a single letter.
        if (EndsWith(w, length, "y") && length - 1 > 1 && IsConsonant(w, length - 2))
        {
            w[length - 1] = 'i';
        }

        return length;
    }

    private static int Step2(Span<char> w, int length)
    {
        // NLTK extension: ALLI -> AL first, then step 2 again on the result.
        if (EndsWith(w, length, "alli") && Measure(w, length - 4) > 0)
        {
            return Step2(w, length - 2);
        }

        string[] rules = Step2Rules;
        for (int r = 0; r < rules.Length; r += 2)
        {
            string suffix = rules[r];
            if (!EndsWith(w, length, suffix))
            {
                continue;
            }

            int stem = length - suffix.Length;

            // NLTK extension: for 'logi' the 'l' is counted with the stem ('geo', 'theo' stem like 'archaeo').
            bool applies = suffix == "logi" ? Measure(w, length - 3) > 0 : Measure(w, stem) > 0;
            return applies ? Replace(w, stem, rules[r + 1]) : length;
        }

        return length;
    }

    private static int Step3(Span<char> w, int length)
    {
        string[] rules = Step3Rules;
        for (int r = 0; r < rules.Length; r += 2)
        {
            string suffix = rules[r];
            if (EndsWith(w, length, suffix))
            {
                int stem = length - suffix.Length;
                return Measure(w, stem) > 0 ? Replace(w, stem, rules[r + 1]) : length;
            }
        }

        return length;
    }

    private static int Step4(Span<char> w, int length)
    {
        foreach (string suffix in Step4Suffixes)
        {
            if (EndsWith(w, length, suffix))
            {
                int stem = length - suffix.Length;
                bool applies = Measure(w, stem) > 1 && (suffix != "ion" || w[stem - 1] is 's' or 't');
                return applies ? stem : length;
            }
        }

        return length;
    }

    private static int Step5A(Span<char> w, int length)
    {
        if (EndsWith(w, length, "e"))
        {
            int stem = length - 1;
            int measure = Measure(w, stem);
            if (measure > 1 || (measure == 1 && !EndsCvc(w, stem)))
            {
                return stem;
            }
        }

        return length;
    }

    private static int Step5B(Span<char> w, int length) =>
        EndsWith(w, length, "ll") && Measure(w, length - 1) > 1 ? length - 1 : length;

    private static int Replace(Span<char> w, int stem, string replacement)
    {
        replacement.CopyTo(w[stem..]);
        return stem + replacement.Length;
    }

    private static bool EndsWith(ReadOnlySpan<char> w, int length, string suffix) =>
        length >= suffix.Length && w.Slice(length - suffix.Length, suffix.Length).SequenceEqual(suffix);

    private static bool IsVowelLetter(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    /// <summary>NLTK's <c>_is_consonant</c>: not a e i o u, and y only at the start or after a vowel.</summary>
    private static bool IsConsonant(ReadOnlySpan<char> w, int i)
    {
        char c = w[i];
        if (IsVowelLetter(c))
        {
            return false;
        }

        if (c != 'y')
        {
            return true;
        }

        // Inside a run of y's the answer alternates; the first y of the run is a consonant at the start of the
        // word or after a vowel (a e i o u), and a vowel after any other consonant.
        int start = i;
        while (start > 0 && w[start - 1] == 'y')
        {
            start--;
        }

        bool first = start == 0 || IsVowelLetter(w[start - 1]);
        return ((i - start) & 1) == 0 ? first : !first;
    }

    /// <summary>NLTK's <c>_measure</c>: the number of vowel-consonant transitions in <c>w[..length]</c>.</summary>
    private static int Measure(ReadOnlySpan<char> w, int length)
    {
        int measure = 0;
        bool previousIsConsonant = true;
        for (int i = 0; i < length; i++)
        {
            char c = w[i];
            bool isConsonant = !IsVowelLetter(c) && (c != 'y' || i == 0 || !previousIsConsonant);
            if (isConsonant && !previousIsConsonant)
            {
                measure++;
            }

            previousIsConsonant = isConsonant;
        }

        return measure;
    }

    private static bool ContainsVowel(ReadOnlySpan<char> w, int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (!IsConsonant(w, i))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsDoubleConsonant(ReadOnlySpan<char> w, int length) =>
        length >= 2 && w[length - 1] == w[length - 2] && IsConsonant(w, length - 1);

    /// <summary>NLTK's <c>_ends_cvc</c> (condition *o) with its two-letter vowel-consonant extension.</summary>
    private static bool EndsCvc(ReadOnlySpan<char> w, int length) =>
        (length >= 3
            && IsConsonant(w, length - 3)
            && !IsConsonant(w, length - 2)
            && IsConsonant(w, length - 1)
            && w[length - 1] is not ('w' or 'x' or 'y'))
        || (length == 2 && !IsConsonant(w, 0) && IsConsonant(w, 1));
}
