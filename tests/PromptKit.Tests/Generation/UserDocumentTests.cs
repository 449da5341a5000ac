namespace PromptKit.Tests.Generation;

public sealed class UserDocumentTests
{
    private static readonly DateTimeOffset Time = new(2020, 1, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Constructor_ValidArguments_KeepsValues()
    {
        var document = new UserDocument("2001.1", "Title", "Text.", Time);

        document.Should().BeEquivalentTo(new { Id = "2001.1", Title = "Title", Text = "Text.", Timestamp = Time });
        document.Should().Be(new UserDocument("2001.1", "Title", "Text.", Time));
    }

    [Theory, InlineData(""), InlineData("  ")]
    public void Constructor_BlankId_ThrowsWithParamName(string id)
    {
        Action act = () => _ = new UserDocument(id, "t", "x", Time);

        act.Should().Throw<ArgumentException>().WithParameterName("Id");
    }

    [Fact]
    public void Constructor_NullArguments_ThrowWithParamName()
    {
        FluentActions.Invoking(() => new UserDocument(null!, "t", "x", Time)).Should().Throw<ArgumentNullException>().WithParameterName("Id");
        FluentActions.Invoking(() => new UserDocument("i", null!, "x", Time)).Should().Throw<ArgumentNullException>().WithParameterName("Title");
        FluentActions.Invoking(() => new UserDocument("i", "t", null!, Time)).Should().Throw<ArgumentNullException>().WithParameterName("Text");
    }

    [Fact]
    public void With_BlankId_IsValidatedToo()
    {
        var document = new UserDocument("i", string.Empty, string.Empty, Time);

        Action act = () => _ = document with { Id = " " };

        act.Should().Throw<ArgumentException>().WithParameterName("Id");
    }
}
