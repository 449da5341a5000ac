namespace PromptKit.Tests.Metrics.Tokenization;

public sealed class NGramTableTests
{
    [Fact]
    public void FindOrAdd_SameHashDifferentSequences_KeepsThemApart()
    {
        // Force a full 64-bit collision: equality must still be decided on the elements.
        int[] sequence = [1, 2, 3, 1, 2, 4];
        var table = new NGramTable();
        table.Reset(sequence, 4);

        table.FindOrAdd(kind: 2, offset: 0, length: 3, runningHash: 42).Hypothesis++;
        ref NGramTable.Entry other = ref table.FindOrAdd(kind: 2, offset: 3, length: 3, runningHash: 42);

        other.Hypothesis.Should().Be(0);
    }

    [Fact]
    public void FindOrAdd_EqualSequencesAtDifferentOffsets_ShareTheEntry()
    {
        int[] sequence = [7, 8, 9, 7, 8];
        var table = new NGramTable();
        table.Reset(sequence, 4);
        ulong hash = NGramTable.Combine(NGramTable.Combine(0, 7), 8);

        table.FindOrAdd(1, 0, 2, hash).Hypothesis++;
        int count = ++table.FindOrAdd(1, 3, 2, hash).Hypothesis;

        count.Should().Be(2);
    }

    [Fact]
    public void FindOrAdd_SameElementsDifferentKind_KeepsThemApart()
    {
        int[] sequence = [5];
        var table = new NGramTable();
        table.Reset(sequence, 2);

        table.FindOrAdd(0, 0, 1, 99).Hypothesis++;
        int wordKind = table.FindOrAdd(6, 0, 1, 99).Hypothesis;

        wordKind.Should().Be(0);
    }

    [Fact]
    public void Reset_AfterUse_ForgetsEntriesAndGrowsWhenUnderestimated()
    {
        int[] sequence = Enumerable.Range(0, 5000).ToArray();
        var table = new NGramTable();
        table.Reset(sequence, 1);
        for (int i = 0; i < sequence.Length; i++)
        {
            table.FindOrAdd(0, i, 1, NGramTable.Combine(0, sequence[i])).Hypothesis++;
        }

        table.Reset(sequence, 1);
        int after = table.FindOrAdd(0, 10, 1, NGramTable.Combine(0, 10)).Hypothesis;

        after.Should().Be(0);
    }
}
