using Microsoft.Extensions.AI;

namespace PromptKit.Internalization.Tests;

public sealed class GenPiDataBuilderTests
{
    private static readonly RolePlayConversation Conversation = new(0, "Always act with 'Act:' lines.",
        [new(ChatRole.User, "list"), new(ChatRole.Assistant, "Act: bash ls"), new(ChatRole.User, "notes.txt <END>")], RolePlayStatus.Finished);

    [Fact]
    public async Task ImitationAndPromptGenerationExamplesCarryTheirWeights()
    {
        ModelTokenizer tokenizer = ModelTokenizer.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        var student = new ScriptedChatClient(_ => "ls please");
        var commentator = new ScriptedChatClient(_ => "the prompt asks for Act: lines");
        var builder = new GenPiDataBuilder(student, commentator, tokenizer, new GenPiOptions { ImitationWeight = 0.3 });

        GenPiData data = await builder.BuildAsync([Conversation]);

        data.Imitation.Should().ContainSingle().Which.Weight.Should().Be(0.3);
        LanguageModelingExample pg = data.PromptGeneration.Should().ContainSingle().Subject;
        pg.Weight.Should().BeApproximately(0.7, 1e-12);
        string target = tokenizer.Decode(pg.Tokens.Where((_, i) => pg.Targets[i]));
        target.Should().Be("Based on the prompt Always act with 'Act:' lines.\nThe reason for the change is the prompt asks for Act: lines<|im_end|>\n");
        string question = tokenizer.Decode(pg.Tokens.Where((_, i) => !pg.Targets[i]));
        question.Should().Contain("Why should the output be changed as shown below?\n### Input\nuser: list\n### AS-IS\nls please\n### TO-BE\nAct: bash ls");
        student.Requests.Should().ContainSingle().Which.Should().NotContain(m => m.Role == ChatRole.System, "the student answers without the prompt");
        commentator.Requests[0][0].Text.Should().Contain("Always act with 'Act:' lines.", "the commentator sees the prompt");
        tokenizer.Decode(data.Imitation[0].Tokens).Should().NotContain("Always act", "imitation examples leave the prompt out");
    }

    [Fact]
    public async Task SftOnlyMakesNoPromptGenerationExamplesAndCallsNobody()
    {
        ModelTokenizer tokenizer = ModelTokenizer.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        var student = new ScriptedChatClient(_ => "x");

        GenPiData data = await new GenPiDataBuilder(student, student, tokenizer, new GenPiOptions { ImitationWeight = 1 }).BuildAsync([Conversation]);

        data.PromptGeneration.Should().BeEmpty();
        data.Calls.Should().Be(0);
        student.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task ReweightingForAnotherRKeepsTheExamplesAndCallsNoModel()
    {
        ModelTokenizer tokenizer = ModelTokenizer.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        var student = new ScriptedChatClient(_ => "ls please");
        var commentator = new ScriptedChatClient(_ => "the prompt asks for Act: lines");
        GenPiData data = await new GenPiDataBuilder(student, commentator, tokenizer, new GenPiOptions { ImitationWeight = 0.7 }).BuildAsync([Conversation]);

        GenPiData low = data.WithImitationWeight(0.3);
        GenPiData sft = data.WithImitationWeight(1);

        (student.Requests.Count, commentator.Requests.Count).Should().Be((1, 1), "reweighting calls no model");
        low.ImitationWeight.Should().Be(0.3);
        low.Imitation.Should().ContainSingle().Which.Weight.Should().Be(0.3);
        low.PromptGeneration.Should().ContainSingle().Which.Weight.Should().BeApproximately(0.7, 1e-12);
        low.PromptGeneration[0].Tokens.Should().Equal(data.PromptGeneration[0].Tokens);
        low.PromptGeneration[0].Targets.Should().Equal(data.PromptGeneration[0].Targets);
        sft.PromptGeneration.Should().BeEmpty();
        sft.Imitation.Should().ContainSingle().Which.Weight.Should().Be(1);
        (low.Calls, low.Unchanged, low.NoReason).Should().Be((data.Calls, data.Unchanged, data.NoReason));
        data.Invoking(d => d.WithImitationWeight(1.5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("imitationWeight");
        data.Invoking(d => d.WithImitationWeight(double.NaN)).Should().Throw<ArgumentOutOfRangeException>();
        sft.Invoking(d => d.WithImitationWeight(0.7)).Should().Throw<InvalidOperationException>().WithMessage("*r = 1*");
        data.WithImitationWeight(0).Invoking(d => d.WithImitationWeight(0.5)).Should().Throw<InvalidOperationException>().WithMessage("*no imitation examples*");
    }

    [Fact]
    public async Task TurnsTheStudentAlreadyGetsRightAndMissingReasonsAreCounted()
    {
        ModelTokenizer tokenizer = ModelTokenizer.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        var right = new ScriptedChatClient(_ => "Act: bash ls");
        var wrong = new ScriptedChatClient(_ => "ls");
        var refusing = new ScriptedChatClient(_ => "I'm sorry, I cannot help with that.");

        GenPiData same = await new GenPiDataBuilder(right, refusing, tokenizer).BuildAsync([Conversation]);
        GenPiData refused = await new GenPiDataBuilder(wrong, refusing, tokenizer).BuildAsync([Conversation]);

        (same.Unchanged, same.PromptGeneration.Count).Should().Be((1, 0));
        (refused.NoReason, refused.PromptGeneration.Count).Should().Be((1, 0));
    }

    [Fact]
    public async Task TheCommentatorIsAskedExactlyTheRequestThatTeachesAModelToComment()
    {
        ModelTokenizer tokenizer = ModelTokenizer.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        var commentator = new ScriptedChatClient(_ => "a reason");

        _ = await new GenPiDataBuilder(new ScriptedChatClient(_ => "ls please"), commentator, tokenizer).BuildAsync([Conversation]);
        IReadOnlyList<ChatMessage> request = GenPiDataBuilder.CommentaryRequest(GenPiOptions.DefaultCommentatorPrompt, Conversation.SystemPrompt, [Conversation.Turns[0]], "ls please", "Act: bash ls");

        commentator.Requests.Should().ContainSingle().Which.Select(static m => (m.Role, m.Text)).Should().Equal(request.Select(static m => (m.Role, m.Text)));
        request[1].Text.Should().Be(GenPiDataBuilder.FormatQuestion("user: list", "ls please", "Act: bash ls"));
        FluentActions.Invoking(() => GenPiDataBuilder.CommentaryRequest(" ", "p", [], "a", "b")).Should().Throw<ArgumentException>().WithParameterName("commentatorPrompt");
        FluentActions.Invoking(() => GenPiDataBuilder.CommentaryRequest("c", "p", null!, "a", "b")).Should().Throw<ArgumentNullException>().WithParameterName("context");
    }
}
