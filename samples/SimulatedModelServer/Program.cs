// A loopback OpenAI-compatible server for measurements: POST /v1/chat/completions answers with the quick start's
// SIMULATED recommender (built from the same split as a quick-start run with the same flags) after a fixed latency,
// with token usage (about 4 characters a token). GET /stats returns the requests served and the most in flight.
//
//   SimulatedModelServer --port 5099 --latency-ms 200 [quick-start flags: --preset, --split-seed, --simulator, user counts]
//   SimulatedModelServer --echo ...   answers every request with its last message (a model that ignores the prompt's
//                                      instructions), to check that the quick start warns about it (docs/reliability.md)
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using PromptKit;
using PromptKit.Samples;
using PromptKit.Samples.Recommendation;
using PromptKit.Training;

int port = 5099;
int latencyMs = 200;
bool echo = false;
var rest = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length:
            port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--latency-ms" when i + 1 < args.Length:
            latencyMs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--echo":
            echo = true;
            break;
        default:
            rest.Add(args[i]);
            break;
    }
}

QuickStartOptions options = QuickStartOptions.Parse([.. rest]);
InteractionDataset dataset = MovieLensLoader.Load(Path.Combine(AppContext.BaseDirectory, "data", "movielens-ml-latest-small"));
RecommendationSplit split = RecommendationSplit.Create(dataset, new RecommendationSplitOptions { TrainUsers = options.TrainUsers, ValidationUsers = options.ValidationUsers, TestUsers = options.TestUsers, Seed = options.SplitSeed });
var model = new SimulatedRecommenderChatClient(split.TrainingInteractions, options.SplitSeed, SimulatorRules.Get(options.Simulator));

using var listener = new HttpListener();
listener.Prefixes.Add($"http://127.0.0.1:{port}/");
listener.Start();
Console.WriteLine(FormattableString.Invariant($"Serving the SIMULATED recommender ({options.Simulator}, split seed {options.SplitSeed}) at http://127.0.0.1:{port}/v1 with {latencyMs} ms latency."));

long served = 0;
int inFlight = 0;
int peak = 0;
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

while (!stop.IsCancellationRequested)
{
    HttpListenerContext context;
    try
    {
        context = await listener.GetContextAsync().WaitAsync(stop.Token);
    }
    catch (OperationCanceledException)
    {
        break;
    }

    _ = Task.Run(() => HandleAsync(context));
}

Console.WriteLine(FormattableString.Invariant($"Served {Interlocked.Read(ref served)} requests, at most {Volatile.Read(ref peak)} in flight."));
return 0;

async Task HandleAsync(HttpListenerContext context)
{
    HttpListenerResponse response = context.Response;
    try
    {
        if (context.Request.HttpMethod == "GET" && context.Request.Url!.AbsolutePath.EndsWith("/stats", StringComparison.Ordinal))
        {
            await WriteAsync(response, 200, new JsonObject { ["served"] = Interlocked.Read(ref served), ["peak_in_flight"] = Volatile.Read(ref peak) });
            return;
        }

        if (context.Request.HttpMethod != "POST" || !context.Request.Url!.AbsolutePath.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            await WriteAsync(response, 404, new JsonObject { ["error"] = new JsonObject { ["message"] = "Only POST /v1/chat/completions and GET /stats are served." } });
            return;
        }

        int now = Interlocked.Increment(ref inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
        {
        }

        try
        {
            JsonNode request = (await JsonNode.ParseAsync(context.Request.InputStream))!;
            var messages = new List<ChatMessage>();
            int inputChars = 0;
            foreach (JsonNode? message in request["messages"]!.AsArray())
            {
                string text = ContentText(message!["content"]);
                inputChars += text.Length;
                messages.Add(new ChatMessage(new ChatRole(message["role"]!.GetValue<string>()), text));
            }

            Task delay = Task.Delay(latencyMs);
            ChatResponse answer = echo ? new ChatResponse(new ChatMessage(ChatRole.Assistant, messages[^1].Text)) : await model.GetResponseAsync(messages);
            await delay;
            string content = answer.Text;
            int input = Math.Max(1, inputChars / 4);
            int output = Math.Max(1, content.Length / 4);
            Interlocked.Increment(ref served);
            await WriteAsync(response, 200, new JsonObject
            {
                ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N"),
                ["object"] = "chat.completion",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["model"] = request["model"]?.GetValue<string>() ?? SimulatedRecommenderChatClient.ModelId,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = input, ["completion_tokens"] = output, ["total_tokens"] = input + output },
            });
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }
    catch (Exception ex) when (ex is JsonException or HttpListenerException or IOException or NullReferenceException or InvalidOperationException)
    {
        try
        {
            await WriteAsync(response, 400, new JsonObject { ["error"] = new JsonObject { ["message"] = ex.Message } });
        }
        catch (Exception inner) when (inner is HttpListenerException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The client is gone.
        }
    }
}

static string ContentText(JsonNode? content)
{
    if (content is JsonValue value)
    {
        return value.GetValue<string>();
    }

    var parts = new System.Text.StringBuilder();
    foreach (JsonNode? part in content?.AsArray() ?? [])
    {
        if (part?["type"]?.GetValue<string>() == "text")
        {
            parts.Append(part["text"]!.GetValue<string>());
        }
    }

    return parts.ToString();
}

static async Task WriteAsync(HttpListenerResponse response, int status, JsonObject body)
{
    byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(body);
    response.StatusCode = status;
    response.ContentType = "application/json";
    response.ContentLength64 = bytes.Length;
    await response.OutputStream.WriteAsync(bytes);
    response.Close();
}
