namespace PromptKit;

/// <summary>Argument checks shared by the sacrebleu-compatible metrics (BLEU, chrF).</summary>
internal static class SacreBleuArguments
{
    /// <summary>Checks one segment's reference list: not null, not empty, no null item.</summary>
    public static void ValidateReferences(IReadOnlyList<string> references, string paramName)
    {
        ArgumentNullException.ThrowIfNull(references, paramName);
        int count = references.Count;
        if (count == 0)
        {
            throw new ArgumentException(
                "The reference list is empty. Pass at least one reference (an empty string is a valid, empty reference).", paramName);
        }

        for (int i = 0; i < count; i++)
        {
            if (references[i] is null)
            {
                throw new ArgumentException(
                    $"Reference {i} of {count} is null. Pass an empty string for an empty reference, or leave the item out.", paramName);
            }
        }
    }

    /// <summary>
    /// Checks a corpus: a non-empty hypothesis list without nulls and one or more reference streams of the same
    /// length, where null pads a missing reference but every segment keeps at least one.
    /// </summary>
    public static void ValidateCorpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(referenceStreams);
        int count = hypotheses.Count;
        if (count == 0)
        {
            throw new ArgumentException("The hypothesis list is empty. Pass at least one hypothesis.", nameof(hypotheses));
        }

        for (int i = 0; i < count; i++)
        {
            if (hypotheses[i] is null)
            {
                throw new ArgumentException(
                    $"Hypothesis {i} of {count} is null. Pass an empty string for an empty hypothesis.", nameof(hypotheses));
            }
        }

        int streamCount = referenceStreams.Count;
        if (streamCount == 0)
        {
            throw new ArgumentException(
                "There are no reference streams. Pass at least one stream holding one reference per hypothesis.", nameof(referenceStreams));
        }

        for (int s = 0; s < streamCount; s++)
        {
            IReadOnlyList<string?>? stream = referenceStreams[s];
            if (stream is null)
            {
                throw new ArgumentException(
                    $"Reference stream {s} is null. Each stream must hold one reference (or null padding) per hypothesis.", nameof(referenceStreams));
            }

            if (stream.Count != count)
            {
                throw new ArgumentException(
                    $"Reference stream {s} has {stream.Count} entries but there are {count} hypotheses. Pad missing references with null.",
                    nameof(referenceStreams));
            }
        }

        for (int i = 0; i < count; i++)
        {
            bool any = false;
            for (int s = 0; s < streamCount && !any; s++)
            {
                any = referenceStreams[s][i] is not null;
            }

            if (!any)
            {
                throw new ArgumentException(
                    $"Hypothesis {i} has no reference: every stream holds null there. Give each hypothesis at least one reference.",
                    nameof(referenceStreams));
            }
        }
    }

    /// <summary>sacrebleu's signature: <c>nrefs:N</c> (or <c>nrefs:var</c>) followed by the metric's fixed tail.</summary>
    public static string Signature(int? referenceCount, string tail, string paramName)
    {
        if (referenceCount is int count)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count, paramName);
        }

        return "nrefs:" + (referenceCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "var") + tail;
    }
}
