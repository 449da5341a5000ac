namespace PromptKit.Tests.Prompts;

public sealed class PromptComponentTests
{
    [Fact]
    public void FromText_DefaultsFollowKind()
    {
        PromptComponent component = PromptComponent.FromText(PromptComponentKind.HistoryRecords, "x");

        component.Name.Should().Be("history");
        component.IsUserContent.Should().BeTrue();
        component.Role.Should().Be(PromptRole.User);
        component.IsList.Should().BeFalse();
        component.Items.Should().BeEmpty();
    }

    [Fact]
    public void WithMethods_ReturnChangedCopies_OriginalUnchanged()
    {
        PromptComponent original = PromptComponent.FromText(PromptComponentKind.Summary, "old");

        PromptComponent changed = original.WithText("new").WithEditable(true).WithRole(PromptRole.System).WithUserContent(false).WithName("s2");
        PromptComponent list = original.WithItems(["a", "b"]);

        original.Text.Should().Be("old");
        original.Name.Should().Be("summary");
        changed.Text.Should().Be("new");
        changed.IsEditable.Should().BeTrue();
        changed.Role.Should().Be(PromptRole.System);
        changed.IsUserContent.Should().BeFalse();
        changed.Name.Should().Be("s2");
        list.IsList.Should().BeTrue();
        list.Text.Should().BeEmpty();
        list.Items.Should().Equal("a", "b");
    }

    [Fact]
    public void Equals_SameContent_IsEqualWithSameHash()
    {
        PromptComponent a = PromptComponent.FromItems(PromptComponentKind.Synthesis, ["x", "y"]);
        PromptComponent b = PromptComponent.FromItems(PromptComponentKind.Synthesis, new List<string> { "x", "y" });
        PromptComponent c = PromptComponent.FromItems(PromptComponentKind.Synthesis, ["y", "x"]);

        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.Should().NotBe(c);
        a.Equals(null).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("has space")]
    [InlineData("quote\"")]
    [InlineData("a>b")]
    public void FromText_InvalidName_ThrowsWithParameterName(string name)
    {
        Action act = () => PromptComponent.FromText(PromptComponentKind.Custom, "x", name);

        act.Should().Throw<ArgumentException>().WithParameterName("name");
    }

    [Fact]
    public void FromText_UndefinedKind_Throws()
    {
        Action act = () => PromptComponent.FromText((PromptComponentKind)999, "x");

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("kind");
    }

    [Fact]
    public void NullArguments_ThrowWithParameterName()
    {
        PromptComponent c = PromptComponent.FromText(PromptComponentKind.Custom, "x", "c");

        FluentActions.Invoking(() => PromptComponent.FromText(PromptComponentKind.Custom, null!)).Should().Throw<ArgumentNullException>().WithParameterName("text");
        FluentActions.Invoking(() => PromptComponent.FromItems(PromptComponentKind.Custom, null!)).Should().Throw<ArgumentNullException>().WithParameterName("items");
        c.Invoking(x => x.WithText(null!)).Should().Throw<ArgumentNullException>().WithParameterName("text");
        c.Invoking(x => x.WithItems(null!)).Should().Throw<ArgumentNullException>().WithParameterName("items");
        c.Invoking(x => x.WithName(null!)).Should().Throw<ArgumentNullException>().WithParameterName("name");
        c.Invoking(x => x.WithRole((PromptRole)7)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("role");
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("   ", true)]
    [InlineData("x", false)]
    public void IsEmpty_Text(string text, bool expected) =>
        PromptComponent.FromText(PromptComponentKind.Custom, text, "c").IsEmpty.Should().Be(expected);
}
