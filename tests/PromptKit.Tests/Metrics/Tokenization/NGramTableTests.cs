namespace PromptKit.Tests.Metrics.Tokenization;

public sealed class NGramTableTests
{
    [Fact]
    public void FindOrAdd_SameKey_ReturnsSameEntry()
    {
        var table = new NGramTable();
        table.Reset(4);

        table.FindOrAdd(NGramTable.Root(0), 7).Hypothesis++;
        int count = ++table.FindOrAdd(NGramTable.Root(0), 7).Hypothesis;

        count.Should().Be(2);
        table.Count.Should().Be(1);
    }

    [Fact]
    public void FindOrAdd_NGramChains_DistinguishOrderAndPrefix()
    {
        // "a b" and "b" end in the same element but have different prefixes; "a" under another root is another kind.
        var table = new NGramTable();
        table.Reset(8);

        int a = table.FindOrAdd(NGramTable.Root(0), 1).Id;
        int b = table.FindOrAdd(NGramTable.Root(0), 2).Id;
        int ab = table.FindOrAdd(a, 2).Id;
        int aOtherKind = table.FindOrAdd(NGramTable.Root(1), 1).Id;

        new[] { a, b, ab, aOtherKind }.Should().OnlyHaveUniqueItems();
        table.FindOrAdd(a, 2).Id.Should().Be(ab);
    }

    [Fact]
    public void FindOrAdd_ManyKeysInSmallTable_KeepsEveryKeyApartAcrossCollisionsAndGrowth()
    {
        var table = new NGramTable();
        table.Reset(1);
        var ids = new Dictionary<(int, int), int>();

        for (int parent = -1; parent < 60; parent++)
        {
            for (int element = 0; element < 50; element++)
            {
                ref NGramTable.Entry entry = ref table.FindOrAdd(parent, element);
                entry.Hypothesis += element + 1;
                ids[(parent, element)] = entry.Id;
            }
        }

        table.Count.Should().Be(61 * 50);
        ids.Values.Should().OnlyHaveUniqueItems();
        foreach (((int parent, int element), int id) in ids)
        {
            ref NGramTable.Entry entry = ref table.FindOrAdd(parent, element);
            entry.Id.Should().Be(id);
            entry.Hypothesis.Should().Be(element + 1);
        }
    }

    [Fact]
    public void Reset_AfterUse_ForgetsEntries()
    {
        var table = new NGramTable();
        table.Reset(4);
        table.FindOrAdd(NGramTable.Root(0), 3).Hypothesis = 5;

        table.Reset(4);
        int after = table.FindOrAdd(NGramTable.Root(0), 3).Hypothesis;

        after.Should().Be(0);
        table.Count.Should().Be(1);
    }

    [Fact]
    public void Find_AddedAndMissingKeys_ReturnsEntryOrNullReference()
    {
        var table = new NGramTable();
        table.Reset(4);
        table.FindOrAdd(NGramTable.Root(0), 7).Hypothesis = 3;

        int found = table.Find(NGramTable.Root(0), 7).Hypothesis;
        bool missing = System.Runtime.CompilerServices.Unsafe.IsNullRef(ref table.Find(NGramTable.Root(0), 8));
        bool otherRoot = System.Runtime.CompilerServices.Unsafe.IsNullRef(ref table.Find(NGramTable.Root(1), 7));

        found.Should().Be(3);
        missing.Should().BeTrue();
        otherRoot.Should().BeTrue();
        table.Count.Should().Be(1);
    }

    [Fact]
    public void Reset_FirstId_NumbersEntriesFromIt()
    {
        var table = new NGramTable();
        table.Reset(4, firstId: 10);

        int first = table.FindOrAdd(3, 1).Id;
        int second = table.FindOrAdd(3, 2).Id;
        table.Reset(4);
        int afterReset = table.FindOrAdd(3, 1).Id;

        first.Should().Be(10);
        second.Should().Be(11);
        afterReset.Should().Be(0);
    }
}
