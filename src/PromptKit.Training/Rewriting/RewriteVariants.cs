using System.Collections.Immutable;

namespace PromptKit.Training;

/// <summary>Randomized rewrites of a prompt's elements, the candidates of the rewriting method's supervised stage (Li et
/// al., 2023: "randomizing elements in original prompts"): each editable component's elements are dropped, shuffled
/// and repeated at random.</summary>
public static class RewriteVariants
{
    /// <summary>Gets the identity rewrite: every element once, in original order (at most the layout's maximum length).</summary>
    /// <param name="elements">The prompt's elements.</param>
    /// <param name="maxLength">The most elements a rewrite emits.</param>
    /// <returns>The sequence 0, 1, …</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is not positive.</exception>
    public static ImmutableArray<int> Original(ImmutableArray<RewriteElement> elements, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        int count = Math.Min(elements.Length, maxLength);
        var sequence = ImmutableArray.CreateBuilder<int>(count);
        for (int i = 0; i < count; i++)
        {
            sequence.Add(i);
        }

        return sequence.MoveToImmutable();
    }

    /// <summary>Draws one randomized rewrite. Per variant a keep probability is drawn uniformly from
    /// [<paramref name="minKeepProbability"/>, 1]; then, component by component, each element is kept with it, the kept
    /// elements are shuffled with probability <paramref name="shuffleProbability"/>, and each kept element is repeated
    /// right after itself with probability <paramref name="repeatProbability"/> (when the layout allows a second copy).
    /// Components stay in prompt order; the sequence is cut at the layout's maximum length.</summary>
    /// <param name="elements">The prompt's elements.</param>
    /// <param name="layout">The rewriter's layout (maximum length and copies).</param>
    /// <param name="random">The generator.</param>
    /// <param name="minKeepProbability">The lowest keep probability, in [0, 1].</param>
    /// <param name="shuffleProbability">The probability of shuffling a component's kept elements, in [0, 1].</param>
    /// <param name="repeatProbability">The probability of repeating a kept element, in [0, 1].</param>
    /// <returns>The element indices in emission order (possibly empty: everything dropped).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> or <paramref name="random"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A probability is outside [0, 1].</exception>
    public static ImmutableArray<int> Sample(ImmutableArray<RewriteElement> elements, PointerRewriteLayout layout, Random random, double minKeepProbability = 0.3, double shuffleProbability = 0.5, double repeatProbability = 0.15)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(random);
        ThrowIfNotProbability(minKeepProbability, nameof(minKeepProbability));
        ThrowIfNotProbability(shuffleProbability, nameof(shuffleProbability));
        ThrowIfNotProbability(repeatProbability, nameof(repeatProbability));
        double keep = minKeepProbability + ((1 - minKeepProbability) * random.NextDouble());
        var sequence = ImmutableArray.CreateBuilder<int>();
        var kept = new List<int>();
        int start = 0;
        while (start < elements.Length)
        {
            int end = start;
            while (end < elements.Length && elements[end].ComponentOrdinal == elements[start].ComponentOrdinal)
            {
                end++;
            }

            kept.Clear();
            for (int i = start; i < end; i++)
            {
                if (random.NextDouble() < keep)
                {
                    kept.Add(i);
                }
            }

            if (kept.Count > 1 && random.NextDouble() < shuffleProbability)
            {
                for (int i = kept.Count - 1; i > 0; i--)
                {
                    int j = random.Next(i + 1);
                    (kept[i], kept[j]) = (kept[j], kept[i]);
                }
            }

            foreach (int index in kept)
            {
                sequence.Add(index);
                if (layout.MaxCopies > 1 && random.NextDouble() < repeatProbability)
                {
                    sequence.Add(index);
                }
            }

            start = end;
        }

        return sequence.Count > layout.MaxLength ? sequence.ToImmutable()[..layout.MaxLength] : sequence.ToImmutable();
    }

    /// <summary>Turns a rewrite into supervised examples for behaviour cloning: one per emitted element (the state before
    /// it, labelled with it) and a final one labelled stop, each with the action mask of its state.</summary>
    /// <param name="layout">The rewriter's layout.</param>
    /// <param name="prompt">The original prompt.</param>
    /// <param name="sequence">The rewrite's element indices.</param>
    /// <returns>The examples, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layout"/> or <paramref name="prompt"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sequence emits an element the prompt lacks, too often, or too many.</exception>
    public static ImmutableArray<SupervisedExample> ToSupervisedExamples(PointerRewriteLayout layout, Prompt prompt, IReadOnlyList<int> sequence)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(sequence);
        PointerRewriteEpisode episode = layout.Begin(prompt);
        var observation = new float[layout.ObservationSize];
        var mask = new bool[layout.ActionCount];
        var examples = ImmutableArray.CreateBuilder<SupervisedExample>(sequence.Count + 1);
        foreach (int index in sequence)
        {
            if (episode.IsFinished || index == layout.StopAction || !episode.IsAllowed(index))
            {
                throw new ArgumentOutOfRangeException(nameof(sequence), index, $"The sequence cannot emit element {index} here: the prompt has {episode.Elements.Length} elements, each allowed {layout.MaxCopies} times, and a rewrite holds at most {layout.MaxLength}.");
            }

            examples.Add(Example(episode, index, observation, mask));
            episode.Apply(index);
        }

        if (!episode.IsFinished)
        {
            examples.Add(Example(episode, layout.StopAction, observation, mask));
        }

        return examples.ToImmutable();
    }

    private static SupervisedExample Example(PointerRewriteEpisode episode, int label, float[] observation, bool[] mask)
    {
        episode.Observe(observation);
        episode.GetMask(mask);
        return new SupervisedExample([.. observation], [label], [.. mask]);
    }

    private static void ThrowIfNotProbability(double value, string paramName)
    {
        if (!(value is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(paramName, value, "A probability must be in [0, 1].");
        }
    }
}
