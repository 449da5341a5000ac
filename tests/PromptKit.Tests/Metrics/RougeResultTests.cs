namespace PromptKit.Tests.Metrics;

public sealed class RougeResultTests
{
    private static readonly RougeMetric OnlyRougeL = new(new RougeOptions { Types = [RougeType.RougeL] });

    [Fact]
    public void Indexer_ComputedType_ReturnsScore()
    {
        RougeResult result = new RougeMetric().Score("a b c", "a b");

        result[RougeType.Rouge1].Should().Be(result.Rouge1!.Value);
        result[RougeType.Rouge2].Should().Be(result.Rouge2!.Value);
        result[RougeType.RougeL].Should().Be(result.RougeL!.Value);
        result[RougeType.RougeLsum].Should().Be(result.RougeLsum!.Value);
        result[RougeType.Rouge1].Recall.Should().Be(2.0 / 3.0);
    }

    [Fact]
    public void Indexer_TypeNotComputed_ThrowsKeyNotFound()
    {
        RougeResult result = OnlyRougeL.Score("a", "a");

        Action act = () => _ = result[RougeType.Rouge2];

        act.Should().Throw<KeyNotFoundException>().WithMessage("*Rouge2*RougeOptions.Types*");
    }

    [Fact]
    public void Indexer_UndefinedType_ThrowsWithParamName()
    {
        RougeResult result = OnlyRougeL.Score("a", "a");

        Action act = () => _ = result[(RougeType)9];

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("type");
    }

    [Fact]
    public void Properties_TypeNotComputed_AreNull()
    {
        RougeResult result = OnlyRougeL.Score("a", "a");

        result.Rouge1.Should().BeNull();
        result.Rouge2.Should().BeNull();
        result.RougeLsum.Should().BeNull();
        result.RougeL.Should().Be(new RougeScore(1, 1, 1));
        result.Types.Should().Equal(RougeType.RougeL);
    }

    [Fact]
    public void TryGetScore_ComputedAndMissingTypes_ReportsPresence()
    {
        RougeResult result = OnlyRougeL.Score("a b", "a");

        bool found = result.TryGetScore(RougeType.RougeL, out RougeScore rougeL);
        bool missing = result.TryGetScore(RougeType.Rouge1, out RougeScore rouge1);

        found.Should().BeTrue();
        rougeL.Recall.Should().Be(0.5);
        missing.Should().BeFalse();
        rouge1.Should().Be(default(RougeScore));
    }

    [Fact]
    public void Contains_UndefinedType_ThrowsWithParamName()
    {
        RougeResult result = OnlyRougeL.Score("a", "a");

        Action act = () => result.Contains((RougeType)(-3));
        Action tryGet = () => result.TryGetScore((RougeType)7, out _);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("type");
        tryGet.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("type");
    }

    [Fact]
    public void ToString_ListsComputedTypesInOrder()
    {
        RougeResult result = new RougeMetric(new RougeOptions { Types = [RougeType.RougeLsum, RougeType.Rouge1] }).Score("a", "a");

        string text = result.ToString();

        text.Should().Be("RougeLsum: P=1.0000 R=1.0000 F=1.0000, Rouge1: P=1.0000 R=1.0000 F=1.0000");
    }
}
