namespace PromptKit.Tests.Prompts;

public sealed class PromptBuilderTests
{
    [Fact]
    public void Build_SystemAndUser_KeepsOrderAndRoles()
    {
        Prompt prompt = new PromptBuilder().AddSystem("Answer with a number only.").AddUser("What is 2 + 2?").Build();

        prompt.Components.Select(c => c.Name).Should().Equal("system", "user");
        prompt["system"].Role.Should().Be(PromptRole.System);
        prompt["user"].Role.Should().Be(PromptRole.User);
        prompt["user"].IsUserContent.Should().BeFalse();
    }

    [Fact]
    public void Build_NoComponents_ThrowsWithFix()
    {
        Action act = () => new PromptBuilder().Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*no components*Add*");
    }

    [Fact]
    public void Build_DuplicateNames_ThrowsNamingBothIndices()
    {
        PromptBuilder builder = new PromptBuilder().AddInstruction("a").AddInstruction("b");

        Action act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*index 0 and 1*'instruction'*distinct name*");
    }

    [Fact]
    public void Build_ReturnsSnapshot_LaterAddsDoNotChangeIt()
    {
        var builder = new PromptBuilder().AddInstruction("a");
        Prompt first = builder.Build();

        builder.AddOutputFormat("b");
        Prompt second = builder.Build();

        first.Count.Should().Be(1);
        second.Count.Should().Be(2);
    }

    [Fact]
    public void AddMethods_SetKindsNamesAndDefaults()
    {
        Prompt prompt = new PromptBuilder()
            .AddRolePlaying("You are a critic.", isEditable: true)
            .AddInstruction("Write a review.")
            .AddHistory(["a", "b"])
            .AddRetrievedEntries(["doc"])
            .AddSummary("sum")
            .AddSynthesis(["k1", "k2"])
            .AddReasoningGuidance("Think.")
            .AddOutputFormat("JSON.")
            .AddExamples(["ex"])
            .AddActionSpace(["left", "right"])
            .AddQuery("q")
            .AddCandidates(["c1", "c2"])
            .Build();

        prompt.Components.Select(c => c.Kind).Should().Equal(
            PromptComponentKind.RolePlaying, PromptComponentKind.Instruction, PromptComponentKind.HistoryRecords,
            PromptComponentKind.RetrievedEntries, PromptComponentKind.Summary, PromptComponentKind.Synthesis,
            PromptComponentKind.ReasoningGuidance, PromptComponentKind.OutputFormat, PromptComponentKind.Examples,
            PromptComponentKind.ActionSpace, PromptComponentKind.Query, PromptComponentKind.Candidates);
        prompt.Components.Select(c => c.Name).Should().Equal(
            "role", "instruction", "history", "retrieved", "summary", "synthesis", "reasoning", "format", "examples", "actions", "query", "candidates");
        prompt.GetEditableComponents().Select(c => c.Name).Should().Equal("role", "summary", "synthesis");
        prompt.Components.Where(c => c.IsUserContent).Select(c => c.Name).Should().Equal(
            "history", "retrieved", "summary", "synthesis", "query", "candidates");
    }

    [Fact]
    public void Constructor_FromPrompt_CopiesComponents()
    {
        Prompt original = new PromptBuilder().AddInstruction("a").Build();

        Prompt copy = new PromptBuilder(original).AddOutputFormat("b").Build();

        copy.Components[0].Should().BeSameAs(original.Components[0]);
        copy.Count.Should().Be(2);
    }

    [Fact]
    public void AddMethods_NullArguments_ThrowWithParameterName()
    {
        var builder = new PromptBuilder();

        builder.Invoking(b => b.Add(null!)).Should().Throw<ArgumentNullException>().WithParameterName("component");
        builder.Invoking(b => b.AddSystem(null!)).Should().Throw<ArgumentNullException>().WithParameterName("text");
        builder.Invoking(b => b.AddHistory(null!)).Should().Throw<ArgumentNullException>().WithParameterName("items");
        builder.Invoking(b => b.AddHistory(["ok", null!])).Should().Throw<ArgumentException>().WithParameterName("items");
        builder.Invoking(b => b.AddInstruction("x", name: "bad name")).Should().Throw<ArgumentException>().WithParameterName("name");
        FluentActions.Invoking(() => new PromptBuilder(null!)).Should().Throw<ArgumentNullException>().WithParameterName("prompt");
    }
}
