namespace PromptKit.Tests.Prompts;

public sealed class PromptTemplateTests
{
    private static readonly PromptFormat NoNotice = new() { IncludeUserContentNotice = false };

    [Fact]
    public void Render_ReplacesPlaceholdersWithComponents()
    {
        Prompt prompt = new PromptBuilder().AddInstruction("Write.").AddSynthesis(["space", "ships"]).Build();
        PromptTemplate template = PromptTemplate.Parse("{instruction}\nUse these: {synthesis}\nEnd {{literal}}");

        string text = prompt.Render(template, NoNotice);

        text.Should().Be("Write.\nUse these: Keywords:\n<user_data name=\"synthesis\">\n1. space\n2. ships\n</user_data>\nEnd {literal}");
        template.Placeholders.Should().Equal("instruction", "synthesis");
    }

    [Fact]
    public void Render_MissingComponent_RendersNothing()
    {
        Prompt prompt = new PromptBuilder().AddInstruction("Write.").Build();

        string text = PromptTemplate.Parse("[{summary}]{instruction}").Render(prompt);

        text.Should().Be("[]Write.");
    }

    [Fact]
    public void Render_PlaceholderInsideContent_IsNotExpanded()
    {
        Prompt prompt = new PromptBuilder().AddInstruction("secret").AddQuery("{instruction}").Build();

        string text = PromptTemplate.Parse("{query}").Render(prompt, NoNotice);

        text.Should().Be("Query:\n<user_data name=\"query\">\n{instruction}\n</user_data>");
    }

    [Fact]
    public void Render_UserContent_PrependsNotice()
    {
        Prompt prompt = new PromptBuilder().AddQuery("hi").Build();

        string text = PromptTemplate.Parse("{query}").Render(prompt);

        text.Should().StartWith(PromptFormat.Default.UserContentNotice + "\n\n");
    }

    [Theory]
    [InlineData("abc {name", 4)]
    [InlineData("abc } x", 4)]
    [InlineData("{bad name}", 0)]
    [InlineData("x{}", 1)]
    [InlineData("{1x}", 0)]
    public void Parse_Malformed_ThrowsWithPosition(string template, int position)
    {
        Action act = () => PromptTemplate.Parse(template);

        act.Should().Throw<PromptTemplateException>().Which.Position.Should().Be(position);
    }

    [Fact]
    public void NullArguments_ThrowWithParameterName()
    {
        FluentActions.Invoking(() => PromptTemplate.Parse(null!)).Should().Throw<ArgumentNullException>().WithParameterName("template");
        FluentActions.Invoking(() => PromptTemplate.Parse("x").Render(null!)).Should().Throw<ArgumentNullException>().WithParameterName("prompt");
    }
}
