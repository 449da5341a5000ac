using Microsoft.Extensions.AI;

namespace PromptKit.Internalization.Tests;

public sealed class RolePlaySynthesizerTests
{
    private static RolePlayOptions Options() => new()
    {
        AgentPrompt = "Answer with Act: lines.",
        EnvironmentPrompt = "You are the shell.",
        MaxTurns = 6,
    };

    /// <summary>One model plays both roles: as the agent (its system prompt is the agent's) it acts, as the
    /// environment it answers the last command and ends after the agent finishes.</summary>
    private static ScriptedChatClient SelfRolePlayer() => new(messages =>
    {
        bool agent = messages[0].Text == "Answer with Act: lines.";
        int agentTurns = messages.Count(m => m.Role == (agent ? ChatRole.Assistant : ChatRole.User));
        return agent
            ? (agentTurns == 0 ? "Act: bash ls" : "Act: finish")
            : (messages[^1].Text == "Act: finish" ? "<END>" : "notes.txt");
    });

    [Fact]
    public async Task TheSameModelPlaysBothRolesWithTheRolesSwapped()
    {
        ScriptedChatClient model = SelfRolePlayer();
        var synthesizer = new RolePlaySynthesizer(model, model, Options());

        RolePlayConversation conversation = await synthesizer.PlayAsync("What files are there?");

        conversation.Status.Should().Be(RolePlayStatus.Finished);
        conversation.Turns.Select(static t => $"{t.Role.Value}: {t.Text}").Should().Equal(
            "user: What files are there?", "assistant: Act: bash ls", "user: notes.txt", "assistant: Act: finish", "user: <END>");
        IReadOnlyList<ChatMessage> environmentView = model.Requests[1];
        environmentView.Select(static m => $"{m.Role.Value}: {m.Text}").Should().Equal(
            "system: You are the shell.", "assistant: What files are there?", "user: Act: bash ls");
    }

    [Fact]
    public async Task TheEnvironmentSamplesAtItsOwnTemperatureWithASeedPerTurn()
    {
        ScriptedChatClient model = SelfRolePlayer();
        RolePlayOptions options = Options();
        options.Temperature = 0;
        options.EnvironmentTemperature = 1;

        _ = await new RolePlaySynthesizer(model, model, options).PlayAsync("What files are there?");

        model.Options.Select(static o => o!.Temperature).Should().Equal(0f, 1f, 0f, 1f);
        model.Options.Select(static o => o!.Seed).Should().OnlyHaveUniqueItems("each turn draws with its own seed");
        Options().EnvironmentTemperature.Should().BeNull("the environment follows Temperature unless told otherwise");
    }

    [Fact]
    public async Task BrokenLongAndEndlessConversationsAreCountedAndNotKept()
    {
        string path = TemporaryFile();
        var agent = new ScriptedChatClient(messages => messages[^1].Text switch
        {
            "refuse" => "I'm sorry, I can't help with that.",
            "long" => new string('x', 500),
            _ => "Act: bash ls",
        });
        var environment = new ScriptedChatClient(_ => "ok");
        RolePlayOptions options = Options();
        options.MaxCharacters = 300;

        RolePlaySynthesisResult result = await new RolePlaySynthesizer(agent, environment, options).SynthesizeAsync(["refuse", "long", "loop"], path);

        (result.Finished, result.Broken, result.TooLong, result.NeverEnded).Should().Be((0, 1, 1, 1));
        File.ReadAllText(path).Should().BeEmpty();
        File.ReadAllLines(path + ".rejected.jsonl").Should().HaveCount(3);
    }

    [Fact]
    public async Task AFailingTeacherLosesNoFinishedConversationAndTheRunResumes()
    {
        string path = TemporaryFile();
        ScriptedChatClient good = SelfRolePlayer();
        int calls = 0;
        var failing = new ScriptedChatClient(messages =>
        {
            if (++calls == 7)
            {
                throw new HttpRequestException("The teacher timed out.");
            }

            return good.GetResponseAsync(messages).GetAwaiter().GetResult().Text;
        });
        string[] tasks = ["a", "b", "c"];

        Func<Task> first = () => new RolePlaySynthesizer(failing, failing, Options()).SynthesizeAsync(tasks, path);

        await first.Should().ThrowAsync<HttpRequestException>();
        RolePlayConversation.ReadJsonLines(path).Select(static c => c.TaskIndex).Should().Equal(0);
        File.AppendAllText(path, "{\"messages\":[{\"role\":\"user\",\"con"); // a torn line, as a crash mid-write leaves

        RolePlaySynthesisResult resumed = await new RolePlaySynthesizer(good, good, Options()).SynthesizeAsync(tasks, path);

        resumed.Resumed.Should().Be(1);
        resumed.Finished.Should().Be(3);
        resumed.Calls.Should().Be(8, "two tasks of four calls each remained");
        RolePlayConversation.ReadJsonLines(path).Select(static c => c.TaskIndex).Should().Equal(0, 1, 2);
    }

    [Fact]
    public void LinesUseTheChatFormatOfTrlAndAxolotl()
    {
        var conversation = new RolePlayConversation(4, "Be brief.", [new(ChatRole.User, "hi"), new(ChatRole.Assistant, "hello <END>")], RolePlayStatus.Finished);

        string line = conversation.ToJsonLine();

        line.Should().Be("{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello \\u003CEND\\u003E\"}],\"task_index\":4,\"status\":\"Finished\"}");
        RolePlayConversation back = RolePlayConversation.FromJsonLine(line);
        back.Turns.Select(static t => t.Text).Should().Equal("hi", "hello <END>");
        back.SystemPrompt.Should().Be("Be brief.");
    }

    [Fact]
    public void MissingPromptsAreNamed()
    {
        ScriptedChatClient model = SelfRolePlayer();

        Action create = () => _ = new RolePlaySynthesizer(model, model, new RolePlayOptions { MaxTurns = 0 });

        create.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*AgentPrompt*").WithMessage("*MaxTurns*");
    }

    internal static string TemporaryFile()
    {
        string folder = Path.Combine(Path.GetTempPath(), "promptkit-internalization-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "conversations.jsonl");
        File.WriteAllText(path, string.Empty);
        return path;
    }
}
