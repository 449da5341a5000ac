using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.AI;
using PromptKit.Samples;

namespace PromptKit.Training.Tests;

public sealed class ModelCallSettingsTests
{
    [Fact]
    public void Flags_bind_every_setting()
    {
        QuickStartOptions options = QuickStartOptions.Parse(["--concurrency", "32", "--temperature", "0.7", "--top-p", "0.9", "--max-output-tokens", "64", "--max-calls", "100", "--max-tokens", "5000", "--yes", "--cache", "none"]);

        ModelCallSettings calls = options.Calls;
        calls.ResolveConcurrency(realModel: true).Should().Be(32);
        calls.Yes.Should().BeTrue();
        ChatOptions chat = calls.CreateChatOptions(realModel: false)!;
        chat.Temperature.Should().Be(0.7f);
        chat.TopP.Should().Be(0.9f);
        chat.MaxOutputTokens.Should().Be(64);
        CallBudget budget = calls.CreateBudget()!;
        budget.MaxCalls.Should().Be(100);
        budget.MaxTokens.Should().Be(5000);
        using ResponseCache cache = calls.OpenCache(Path.GetTempPath(), realModel: true);
        cache.Enabled.Should().BeFalse();
    }

    [Fact]
    public void Defaults_set_temperature_zero_only_against_an_endpoint_and_no_budget()
    {
        ModelCallSettings calls = QuickStartOptions.Parse([]).Calls;

        calls.CreateChatOptions(realModel: true)!.Temperature.Should().Be(0);
        calls.CreateChatOptions(realModel: false).Should().BeNull("a simulated run without flags keeps its former requests");
        calls.CreateBudget().Should().BeNull();
        calls.ResolveConcurrency(realModel: true).Should().Be(4);
        calls.ResolveConcurrency(realModel: false).Should().Be(8);
    }

    [Theory]
    [InlineData("--temperature", "3")]
    [InlineData("--top-p", "-0.1")]
    [InlineData("--max-tokens", "0")]
    [InlineData("--concurrency", "0")]
    public void Bad_values_name_the_flag(string flag, string value)
    {
        FluentActions.Invoking(() => QuickStartOptions.Parse([flag, value])).Should().Throw<ArgumentException>().WithMessage($"{flag}*");
    }

    [Theory]
    [InlineData(false, 1_000_000, false, null, true, null)] // simulated: never asks
    [InlineData(true, 500, false, null, false, null)] // small: starts
    [InlineData(true, 50_000, true, null, false, null)] // --yes
    [InlineData(true, 50_000, false, 20_000, false, null)] // a budget is consent
    [InlineData(true, 50_000, false, null, false, 2)] // not a terminal: never waits
    public void ConfirmStart_decides_without_reading_input_unless_it_must_ask(bool realModel, long estimate, bool yes, int? maxCalls, bool terminal, int? expected)
    {
        var settings = new ModelCallSettings { Yes = yes, MaxCalls = maxCalls };
        var output = new StringWriter();

        int? result = settings.ConfirmStart(estimate, realModel, terminal, new ThrowingReader(), output);

        result.Should().Be(expected);
        if (expected == 2)
        {
            output.ToString().Should().Contain("--yes").And.Contain("--max-calls").And.Contain("50,000");
        }
    }

    [Theory]
    [InlineData("y\n", null)]
    [InlineData("YES\n", null)]
    [InlineData("\n", 1)]
    [InlineData("", 1)]
    public void ConfirmStart_asks_at_a_terminal(string answer, int? expected)
    {
        var output = new StringWriter();

        int? result = new ModelCallSettings().ConfirmStart(50_000, realModel: true, inputIsTerminal: true, new StringReader(answer), output);

        result.Should().Be(expected);
        output.ToString().Should().Contain("about 50,000 frozen-model calls. Start? [y/N]");
    }

    [Fact]
    public void Budget_preset_sets_sizes_that_explicit_flags_override()
    {
        QuickStartOptions preset = QuickStartOptions.Parse(["--preset", "budget"]);
        QuickStartOptions overridden = QuickStartOptions.Parse(["--preset", "budget", "--iterations", "7"]);

        preset.Preset.Should().Be("budget");
        preset.TrainUsers.Should().Be(QuickStartOptions.BudgetPreset["--train-users"]);
        preset.Iterations.Should().Be(QuickStartOptions.BudgetPreset["--iterations"]);
        preset.EpisodeLength.Should().Be(QuickStartOptions.BudgetPreset["--episode"]);
        overridden.Iterations.Should().Be(7);
        overridden.TrainUsers.Should().Be(preset.TrainUsers);
        QuickStartOptions.Parse([]).Iterations.Should().Be(150);
        preset.EstimateCalls(coordinateNeighbours: 40, environments: 32).Should().BeLessThan(QuickStartOptions.Parse([]).EstimateCalls(40, 32) / 5);
    }

    [Fact]
    public async Task Sqlite_cache_answers_a_rerun_without_calling_the_model()
    {
        string folder = Path.Combine(Path.GetTempPath(), "promptkit-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            int first = await RunAsync(folder);
            int second = await RunAsync(folder);

            first.Should().Be(3);
            second.Should().Be(0, "every answer of the first run is on disk");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        static async Task<int> RunAsync(string folder)
        {
            using ResponseCache cache = new ModelCallSettings().OpenCache(folder, realModel: true);
            cache.Description.Should().Contain("SQLite");
            var model = new CountingClient();
            using var evaluator = new PromptEvaluator(model, new PromptEvaluatorOptions { CachePartition = "model-a" }, cache: cache.Storage);
            foreach (string question in new[] { "a", "b", "c", "a" })
            {
                (await evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, question)])).Text.Should().Be("answer to " + question);
            }

            return model.Calls;
        }
    }

    [SkippableFact]
    public async Task Redis_cache_is_shared_by_trainer_processes_and_partitioned_by_model()
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Samples", "redis-test-server.sh");
        Skip.If(!OnPath("redis-server"), "redis-server is not installed, so the Redis response cache is not tested here (Debian: apt-get install -y redis-server; .ci/run installs it).");
        int port = FreePort();
        Run(script, "start", port).Should().Be(0, "the tests' script starts redis-server");
        try
        {
            var settings = new ModelCallSettings { Cache = $"redis://127.0.0.1:{port}" };
            int first = await AskAsync(settings, "model-a");
            int second = await AskAsync(settings, "model-a");
            int otherModel = await AskAsync(settings, "model-b");

            first.Should().Be(3);
            second.Should().Be(0, "a second process with its own connection finds every answer in Redis");
            otherModel.Should().Be(3, "another model never gets the first model's answers");
        }
        finally
        {
            Run(script, "stop", port);
        }

        static async Task<int> AskAsync(ModelCallSettings settings, string partition)
        {
            using ResponseCache cache = settings.OpenCache(Path.GetTempPath(), realModel: true);
            cache.Description.Should().Contain("Redis");
            var model = new CountingClient();
            using var evaluator = new PromptEvaluator(model, new PromptEvaluatorOptions { CachePartition = partition }, cache: cache.Storage);
            foreach (string question in new[] { "a", "b", "c", "b" })
            {
                (await evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, question)])).Text.Should().Be("answer to " + question);
            }

            return model.Calls;
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int Run(string script, string command, int port)
    {
        using Process process = Process.Start(new ProcessStartInfo("bash", [script, command, port.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { RedirectStandardError = true })!;
        process.WaitForExit(15_000).Should().BeTrue();
        return process.ExitCode;
    }

    private sealed class CountingClient : IChatClient
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer to " + messages.Last().Text)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class ThrowingReader : TextReader
    {
        public override string? ReadLine() => throw new InvalidOperationException("ConfirmStart must not read input here.");
    }
}
