using Microsoft.Extensions.AI;

namespace PromptKit.Internalization.Tests;

public sealed class ShellTaskTests
{
    [Fact]
    public void TheExpertSolvesEveryTemplateThroughTheEnvironment()
    {
        IReadOnlyList<ShellTask> tasks = ShellTasks.Generate(30, seed: 4);

        foreach (ShellTask task in tasks)
        {
            var environment = new ShellEnvironment(task);
            foreach (string reply in ShellTasks.ExpertTurns(task))
            {
                ShellEnvironment.FollowsProtocol(reply).Should().BeTrue(reply);
                _ = environment.Step(reply);
            }

            environment.Succeeded.Should().BeTrue(task.Instruction);
        }

        tasks.Select(static t => t.Instruction.Split(' ')[0]).Distinct().Should().BeEquivalentTo(["What", "How", "Which"]);
    }

    [Fact]
    public void TheExpertEpisodeInterleavesTheEnvironmentsOutputs()
    {
        var task = new ShellTask("Which file in docs contains the word river?", new Dictionary<string, string>
        {
            ["docs/plan.txt"] = "apple",
            ["docs/memo.txt"] = "river",
            ["mail/readme.txt"] = "stone",
        }, "memo.txt");

        IReadOnlyList<ChatMessage> episode = ShellTasks.ExpertEpisode(task);

        episode.Select(static m => m.Role).Should().Equal(ChatRole.User, ChatRole.Assistant, ChatRole.User, ChatRole.Assistant);
        episode[0].Text.Should().Be(task.Instruction);
        episode[1].Text.Should().Be("Think: I search the folder docs for river.\nAct: bash grep river docs");
        episode[2].Text.Should().Be("memo.txt");
        episode[3].Text.Should().EndWith("Act: answer memo.txt");
    }

    [Fact]
    public void TheEnvironmentViewSwapsEveryRoleUnderTheEnvironmentsPrompt()
    {
        ShellTask task = ShellTasks.Generate(1, seed: 7)[0];
        IReadOnlyList<ChatMessage> episode = ShellTasks.ExpertEpisode(task);

        IReadOnlyList<ChatMessage> view = RolePlaySynthesizer.EnvironmentView(ShellTasks.EnvironmentPrompt, [.. episode, new ChatMessage(ChatRole.User, "<END>")]);

        view[0].Role.Should().Be(ChatRole.System);
        view[0].Text.Should().Be(ShellTasks.EnvironmentPrompt);
        view.Skip(1).Select(static m => m.Text).Should().Equal([.. episode.Select(static m => m.Text), "<END>"]);
        view.Skip(1).Select(static m => m.Role).Should().Equal([.. episode.Select(static m => m.Role == ChatRole.User ? ChatRole.Assistant : ChatRole.User), ChatRole.Assistant]);
        FluentActions.Invoking(() => RolePlaySynthesizer.EnvironmentView("shell", [new ChatMessage(ChatRole.System, "x")]))
            .Should().Throw<ArgumentException>().WithParameterName("turns");
        FluentActions.Invoking(() => RolePlaySynthesizer.EnvironmentView(" ", episode)).Should().Throw<ArgumentException>().WithParameterName("environmentPrompt");
    }

    [Fact]
    public void TheCommandsReadOnlyTheTasksFiles()
    {
        var task = new ShellTask("How many files are in the folder docs?", new Dictionary<string, string>
        {
            ["docs/plan.txt"] = "apple",
            ["docs/memo.txt"] = "river",
            ["mail/readme.txt"] = "stone",
        }, "2");
        var environment = new ShellEnvironment(task);

        environment.Step("Think: list.\nAct: bash ls docs").Should().Be("memo.txt\nplan.txt");
        environment.Step("Think: read.\nAct: bash cat docs/plan.txt").Should().Be("apple");
        environment.Step("Think: find.\nAct: bash grep river docs").Should().Be("memo.txt");
        environment.Step("Think: read.\nAct: bash cat docs/none.txt").Should().Be("cat: docs/none.txt: No such file");
        environment.Step("Think: other.\nAct: bash rm -rf docs").Should().StartWith("bash: rm -rf docs: command not found");
        environment.IsDone.Should().BeFalse();
        environment.Step("Think: two files.\nAct: answer 2").Should().Be("Correct.");
        environment.Succeeded.Should().BeTrue();
    }

    [Fact]
    public void TheExpertRefusesTasksItDoesNotKnow()
    {
        var task = new ShellTask("Delete everything.", new Dictionary<string, string> { ["a/b.txt"] = "x" }, "done");

        FluentActions.Invoking(() => ShellTasks.ExpertTurns(task)).Should().Throw<ArgumentException>().WithParameterName("task");
    }

    [Theory]
    [InlineData("The file says apple.")]
    [InlineData("Act: answer 2")]
    [InlineData("Think: two.\nAct: answer 2\nThanks!")]
    public void AReplyOutsideTheProtocolEndsTheEpisodeAsAFailure(string reply)
    {
        var environment = new ShellEnvironment(ShellTasks.Generate(1, seed: 1)[0]);

        _ = environment.Step(reply);

        (environment.IsDone, environment.Succeeded, environment.BrokeProtocol).Should().Be((true, false, true));
    }

    [Fact]
    public async Task AnEpisodeCountsTokensAndSendsThePromptOnlyWhenGiven()
    {
        ShellTask task = ShellTasks.Generate(1, seed: 2)[0];
        IReadOnlyList<string> expert = ShellTasks.ExpertTurns(task);
        var agent = new ScriptedChatClient(messages => expert[messages.Count(static m => m.Role == ChatRole.Assistant)]);

        ShellEpisode withPrompt = await ShellEpisode.RunAsync(agent, task, ShellTasks.AgentPrompt);
        ShellEpisode without = await ShellEpisode.RunAsync(agent, task, systemPrompt: null);

        withPrompt.Succeeded.Should().BeTrue();
        withPrompt.Turns.Should().HaveCount(4);
        (withPrompt.InputTokens, withPrompt.OutputTokens).Should().Be((2 + 4, 2), "two calls: system + task, then system + three turns");
        (without.InputTokens, without.OutputTokens).Should().Be((1 + 3, 2));
        agent.Requests[0][0].Text.Should().Be(ShellTasks.AgentPrompt);
        agent.Requests[^1].Should().NotContain(m => m.Role == ChatRole.System);
        without.Succeeded.Should().BeTrue("the scripted agent follows the protocol either way");
    }
}
