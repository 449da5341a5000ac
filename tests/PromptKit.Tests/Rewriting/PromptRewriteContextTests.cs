namespace PromptKit.Tests.Rewriting;

public sealed class PromptRewriteContextTests
{
    [Fact]
    public void Constructor_Defaults_NoUserAndNoProperties()
    {
        var context = new PromptRewriteContext();

        context.UserId.Should().BeNull();
        context.Properties.Should().BeEmpty();
    }

    [Fact]
    public void Constructor_CopiesProperties_LaterChangesDoNotShow()
    {
        var source = new Dictionary<string, object?> { ["domain"] = "reviews", ["k"] = 3 };

        var context = new PromptRewriteContext("u42", source);
        source["domain"] = "changed";
        source["extra"] = 1;

        context.UserId.Should().Be("u42");
        context.Properties.Should().HaveCount(2).And.Contain("domain", "reviews");
    }

    [Fact]
    public void TryGetProperty_MatchingType_ReturnsValue()
    {
        var context = new PromptRewriteContext(properties: [new("k", 3), new("name", null)]);

        context.TryGetProperty("k", out int k).Should().BeTrue();
        k.Should().Be(3);
        context.TryGetProperty("k", out string? _).Should().BeFalse();
        context.TryGetProperty("name", out string? _).Should().BeFalse();
        context.TryGetProperty("missing", out object? _).Should().BeFalse();
    }

    [Fact]
    public void TryGetProperty_NameIsCaseSensitive()
    {
        var context = new PromptRewriteContext(properties: [new("Domain", "x")]);

        context.TryGetProperty("domain", out string? _).Should().BeFalse();
    }

    [Fact]
    public void TryGetProperty_NullName_ThrowsWithParamName()
    {
        var context = new PromptRewriteContext();

        Action act = () => context.TryGetProperty<int>(null!, out _);

        act.Should().Throw<ArgumentNullException>().WithParameterName("name");
    }

    [Theory, InlineData(""), InlineData("  ")]
    public void Constructor_BlankUserId_ThrowsWithParamName(string userId)
    {
        Action act = () => _ = new PromptRewriteContext(userId);

        act.Should().Throw<ArgumentException>().WithParameterName("userId");
    }

    [Fact]
    public void Constructor_RepeatedName_ThrowsWithParamName()
    {
        Action act = () => _ = new PromptRewriteContext(properties: [new("a", 1), new("a", 2)]);

        act.Should().Throw<ArgumentException>().WithParameterName("properties").WithMessage("*'a'*twice*");
    }

    [Fact]
    public void Constructor_NullName_ThrowsWithParamName()
    {
        Action act = () => _ = new PromptRewriteContext(properties: [new(null!, 1)]);

        act.Should().Throw<ArgumentNullException>().WithParameterName("properties");
    }
}
