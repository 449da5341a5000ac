using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace PromptKit.Tests.Evaluators;

public sealed class ReferenceTextContextTests
{
    [Fact]
    public void Constructor_Array_KeepsReferencesAsTextContents()
    {
        var context = new ReferenceTextContext("first reference", "", "third");

        context.Name.Should().Be("Reference texts");
        context.Name.Should().Be(ReferenceTextContext.ReferencesContextName);
        context.References.Should().Equal("first reference", "", "third");
        context.Contents.Should().HaveCount(3);
        context.Contents.OfType<TextContent>().Select(c => c.Text).Should().Equal("first reference", "", "third");
    }

    [Fact]
    public void Constructor_Enumerable_CopiesTheSequence()
    {
        var source = new List<string> { "one", "two" };

        var context = new ReferenceTextContext(source);
        source[0] = "changed";
        source.Add("three");

        context.References.Should().Equal("one", "two");
    }

    [Fact]
    public void Constructor_NullArray_ThrowsWithParamName()
    {
        Action act = () => _ = new ReferenceTextContext((string[])null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("references");
    }

    [Fact]
    public void Constructor_NullEnumerable_ThrowsWithParamName()
    {
        Action act = () => _ = new ReferenceTextContext((IEnumerable<string>)null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("references");
    }

    [Fact]
    public void Constructor_NoReferences_ThrowsArgumentExceptionWithParamName()
    {
        Action array = () => _ = new ReferenceTextContext();
        Action enumerable = () => _ = new ReferenceTextContext(Enumerable.Empty<string>());

        array.Should().Throw<ArgumentException>().WithParameterName("references").WithMessage("*at least one reference*");
        enumerable.Should().Throw<ArgumentException>().WithParameterName("references");
    }

    [Fact]
    public void Constructor_NullItem_ThrowsArgumentExceptionNamingIndex()
    {
        Action act = () => _ = new ReferenceTextContext("ok", null!);

        act.Should().Throw<ArgumentException>()
            .Where(e => e.GetType() == typeof(ArgumentException))
            .WithParameterName("references")
            .WithMessage("references[1] is null*");
    }

    [Fact]
    public async Task CompositeEvaluator_AllThreeEvaluatorsWithOneContext_ReportsEveryMetric()
    {
        var composite = new CompositeEvaluator(new BleuEvaluator(), new ChrfEvaluator(), new RougeEvaluator());
        var references = new ReferenceTextContext("The cat sat on the mat.", "A cat was sitting on the mat.");

        EvaluationResult result = await composite.EvaluateAsync(
            [new ChatMessage(ChatRole.User, "Where is the cat?")],
            new ChatResponse(new ChatMessage(ChatRole.Assistant, "The cat sat on the mat.")),
            additionalContext: [references]);

        string[] expectedNames =
        [
            BleuEvaluator.BleuMetricName, ChrfEvaluator.ChrfMetricName, RougeEvaluator.Rouge1MetricName,
            RougeEvaluator.Rouge2MetricName, RougeEvaluator.RougeLMetricName, RougeEvaluator.RougeLsumMetricName,
        ];
        composite.EvaluationMetricNames.Should().BeEquivalentTo(expectedNames);
        result.Metrics.Keys.Should().BeEquivalentTo(expectedNames);
        foreach (string name in expectedNames)
        {
            NumericMetric metric = result.Get<NumericMetric>(name);
            metric.Value.Should().Be(1.0, name);
            metric.Diagnostics.Should().BeNullOrEmpty(name);
            metric.Context![ReferenceTextContext.ReferencesContextName].Should().BeSameAs(references);
        }
    }
}
