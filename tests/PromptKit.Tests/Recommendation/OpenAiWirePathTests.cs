using System.ClientModel;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI;
using PromptKit.Tests.Personalization;

namespace PromptKit.Tests.Recommendation;

/// <summary>An RPP prompt travels through the OpenAI client exactly as the QuickStart builds it, to a loopback fake of the chat-completions API.</summary>
public sealed class OpenAiWirePathTests
{
    [Fact]
    public async Task RppPrompt_ThroughOpenAiClient_ReachesServer_AndAnswerParses()
    {
        const string model = "test-model";
        RecommendationExample example = RppTestData.Example(targetIndex: 2);
        var composer = new RppPromptComposer(RppActionSpaces.Default);
        Prompt prompt = composer.Compose(example, new RppSelection(1, 0, 0, 1), 3);
        await using var server = FakeChatCompletionsServer.Start(answer: "m12, m11, m13, m10");

        IChatClient client = new OpenAIClient(new ApiKeyCredential("k"), new OpenAIClientOptions { Endpoint = new Uri($"http://127.0.0.1:{server.Port}/v1") })
            .GetChatClient(model).AsIChatClient();
        using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions { Timeout = TimeSpan.FromSeconds(20) });
        PromptEvaluation evaluation = await evaluator.EvaluateAsync(prompt, composer.Format);

        evaluation.IsSuccess.Should().BeTrue(evaluation.Error?.ToString());
        server.Requests.Should().ContainSingle();
        (string path, JsonNode body) = server.Requests[0];
        path.Should().Be("/v1/chat/completions");
        body["model"]!.GetValue<string>().Should().Be(model);
        JsonArray messages = body["messages"]!.AsArray();
        messages.Select(m => m!["role"]!.GetValue<string>()).Should().Equal("system", "user");
        IReadOnlyList<ChatMessage> expected = prompt.ToChatMessages(composer.Format);
        Content(messages[0]!).Should().Be(expected[0].Text).And.Contain(RppActionSpaces.Default.RolePlaying[1]);
        Content(messages[1]!).Should().Be(expected[1].Text).And.Contain("[m12] 12 Angry Men (1957)");

        RankingRewardResult reward = new NdcgReward().Evaluate(evaluation.Text!, example.RankingTarget);
        reward.Parse.Ranking.Should().Equal(2, 1, 3, 0);
        reward.Reward.Should().Be(1.0);
    }

    private static string Content(JsonNode message)
    {
        JsonNode content = message["content"]!;
        return content is JsonArray parts
            ? string.Concat(parts.Select(p => p!["text"]?.GetValue<string>() ?? string.Empty))
            : content.GetValue<string>();
    }

    /// <summary>Answers up to four chat-completion requests on a free loopback port, then stops; stops on dispose too.</summary>
    private sealed class FakeChatCompletionsServer : IAsyncDisposable
    {
        private const int MaxRequests = 4;
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));
        private readonly List<(string Path, JsonNode Body)> _requests = [];
        private readonly string _answer;
        private Task _loop = Task.CompletedTask;

        private FakeChatCompletionsServer(string answer, int port)
        {
            _answer = answer;
            Port = port;
        }

        public int Port { get; }

        public IReadOnlyList<(string Path, JsonNode Body)> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        public static FakeChatCompletionsServer Start(string answer)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var server = new FakeChatCompletionsServer(answer, port);
            server._listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            server._listener.Start();
            server._loop = server.ServeAsync();
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Close();
            try
            {
                await _loop;
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
            {
                // The listener was closed while waiting for a request.
            }

            _stop.Dispose();
        }

        private async Task ServeAsync()
        {
            using CancellationTokenRegistration closeOnStop = _stop.Token.Register(_listener.Stop);
            for (int i = 0; i < MaxRequests && !_stop.IsCancellationRequested; i++)
            {
                HttpListenerContext context = await _listener.GetContextAsync();
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                string body = await reader.ReadToEndAsync(_stop.Token);
                lock (_requests)
                {
                    _requests.Add((context.Request.Url!.AbsolutePath, JsonNode.Parse(body)!));
                }

                var completion = new JsonObject
                {
                    ["id"] = "chatcmpl-1",
                    ["object"] = "chat.completion",
                    ["created"] = 1_700_000_000,
                    ["model"] = JsonNode.Parse(body)!["model"]!.GetValue<string>(),
                    ["choices"] = new JsonArray(new JsonObject
                    {
                        ["index"] = 0,
                        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = _answer },
                        ["finish_reason"] = "stop",
                    }),
                    ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 8, ["total_tokens"] = 108 },
                };
                byte[] bytes = Encoding.UTF8.GetBytes(completion.ToJsonString(JsonSerializerOptions.Default));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes, _stop.Token);
                context.Response.Close();
            }
        }
    }
}
