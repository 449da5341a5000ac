using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace PromptKit.TestUtilities.Faults;

/// <summary>
/// A loopback OpenAI-compatible chat-completions server (<see cref="HttpListener"/> on 127.0.0.1) that answers with a
/// model's text, or injects the fault its <see cref="FaultSchedule"/> picks: 503/429 with <c>Retry-After</c>, a hang, a
/// connection closed mid-body, truncated JSON, empty choices, a content-filter finish reason, garbage text, or a slow
/// stream (server-sent events when the request asks for a stream). It counts what it injected, per kind.
/// </summary>
/// <remarks>
/// Only <c>POST …/chat/completions</c> is served; anything else is HTTP 404. Requests after the first
/// <see cref="FaultInjectionServerOptions.MaxRequests"/> are answered HTTP 500 without reaching the model or the fault
/// schedule, and counted in <see cref="OverLimit"/>; the accept loop ends only at disposal. A hang is bounded by
/// <see cref="FaultInjectionServerOptions.HangLimit"/> and ends at disposal. A body that is not a chat-completions request
/// is answered HTTP 400 (and meets no fault); any other failure aborts the connection, never leaving a response open.
/// </remarks>
public sealed class FaultInjectionServer : IAsyncDisposable
{
    private const string GarbageAnswer = "\u2591\u2592\u2593 %%% ### ~~~ @@@ \u2593\u2592\u2591";

    private readonly HttpListener _listener;
    private readonly IChatClient _model;
    private readonly FaultInjectionServerOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<ulong, int> _attempts = new();
    private readonly ConcurrentDictionary<Task, byte> _handlers = new();
    private readonly long[] _injected = new long[Enum.GetValues<FaultKind>().Length];
    private readonly Task _acceptLoop;
    private long _requests;
    private long _overLimit;

    private FaultInjectionServer(HttpListener listener, Uri endpoint, IChatClient model, FaultInjectionServerOptions options)
    {
        _listener = listener;
        Endpoint = endpoint;
        _model = model;
        _options = options;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Gets the base address for an OpenAI client, e.g. <c>http://127.0.0.1:PORT/v1</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Gets the number of requests received.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Gets the number of requests answered HTTP 500 because <see cref="FaultInjectionServerOptions.MaxRequests"/> was reached.</summary>
    public long OverLimit => Interlocked.Read(ref _overLimit);

    /// <summary>Gets the number of faults injected so far, over all kinds.</summary>
    public long TotalInjected
    {
        get
        {
            long sum = 0;
            for (int i = 1; i < _injected.Length; i++)
            {
                sum += Interlocked.Read(ref _injected[i]);
            }

            return sum;
        }
    }

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="model">Answers each request that meets no fault (and the text a slow stream trickles).</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults (no faults).</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    public static FaultInjectionServer Start(IChatClient model, FaultInjectionServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new FaultInjectionServerOptions();
        for (int tries = 0; ; tries++)
        {
            int port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
            }
            catch (HttpListenerException) when (tries < 10)
            {
                listener.Close();
                continue; // another process took the port between the probe and the start
            }

            return new FaultInjectionServer(listener, new Uri($"http://127.0.0.1:{port}/v1"), model, options);
        }
    }

    /// <summary>Gets the number of faults of one kind injected so far.</summary>
    /// <param name="kind">The fault kind.</param>
    /// <returns>The count (for <see cref="FaultKind.None"/>: the requests answered without a fault).</returns>
    public long Injected(FaultKind kind) => Interlocked.Read(ref _injected[(int)kind]);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        await Task.WhenAll(_handlers.Keys).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _listener.Close();
        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            Task handler = HandleAsync(context);
            _handlers.TryAdd(handler, 0);
            _ = handler.ContinueWith(t => _handlers.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        await Task.Yield();
        HttpListenerResponse response = context.Response;
        try
        {
            long number = Interlocked.Increment(ref _requests);
            if (context.Request.HttpMethod != "POST" || context.Request.Url?.AbsolutePath.EndsWith("/chat/completions", StringComparison.Ordinal) != true)
            {
                await WriteAsync(response, 404, """{"error":{"message":"not found"}}""").ConfigureAwait(false);
                return;
            }

            if (number > _options.MaxRequests)
            {
                Interlocked.Increment(ref _overLimit);
                await WriteAsync(response, 500, """{"error":{"message":"request limit of the test server reached"}}""").ConfigureAwait(false);
                return;
            }

            byte[] body;
            using (var buffer = new MemoryStream())
            {
                await context.Request.InputStream.CopyToAsync(buffer, _stop.Token).ConfigureAwait(false);
                body = buffer.ToArray();
            }

            List<ChatMessage> messages;
            string model;
            bool stream;
            try
            {
                (messages, model, stream) = ParseRequest(body);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                await WriteAsync(response, 400, """{"error":{"message":"not a chat-completions request"}}""").ConfigureAwait(false);
                return;
            }

            ulong hash = FaultSchedule.Hash(body);
            int attempt = _attempts.AddOrUpdate(hash, 0, (_, n) => n + 1);
            FaultKind fault = _options.Schedule.Decide(hash, attempt);
            Interlocked.Increment(ref _injected[(int)fault]);
            await AnswerAsync(response, fault, messages, model, stream).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The client went away (timeout), the server stops, or anything else went wrong: abort the connection rather
            // than leave the response open, so the handler ends and DisposeAsync does not fault.
            response.Abort();
        }
    }

    private async Task AnswerAsync(HttpListenerResponse response, FaultKind fault, List<ChatMessage> messages, string model, bool stream)
    {
        switch (fault)
        {
            case FaultKind.ServiceUnavailable:
                response.AddHeader("Retry-After", _options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await WriteAsync(response, 503, """{"error":{"message":"injected: service unavailable","type":"server_error"}}""").ConfigureAwait(false);
                return;
            case FaultKind.TooManyRequests:
                response.AddHeader("Retry-After", _options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await WriteAsync(response, 429, """{"error":{"message":"injected: rate limited","type":"rate_limit_exceeded"}}""").ConfigureAwait(false);
                return;
            case FaultKind.Hang:
                await Task.Delay(_options.HangLimit, _stop.Token).ConfigureAwait(false);
                break;
            case FaultKind.EmptyChoices:
                await WriteAsync(response, 200, Completion(model, choices: "[]")).ConfigureAwait(false);
                return;
            case FaultKind.GarbageText:
                await WriteAsync(response, 200, Completion(model, Choice(GarbageAnswer, "stop"))).ConfigureAwait(false);
                return;
        }

        string answer = (await _model.GetResponseAsync(messages, cancellationToken: _stop.Token).ConfigureAwait(false)).Text;
        switch (fault)
        {
            case FaultKind.CloseMidBody:
            {
                byte[] bytes = Encoding.UTF8.GetBytes(Completion(model, Choice(answer, "stop")));
                response.StatusCode = 200;
                response.ContentType = "application/json";
                response.ContentLength64 = bytes.Length;
                await response.OutputStream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), _stop.Token).ConfigureAwait(false);
                await response.OutputStream.FlushAsync(_stop.Token).ConfigureAwait(false);
                response.Abort();
                return;
            }

            case FaultKind.TruncatedJson:
            {
                string json = Completion(model, Choice(answer, "stop"));
                await WriteAsync(response, 200, json[..(json.Length / 2)]).ConfigureAwait(false);
                return;
            }

            case FaultKind.ContentFilter:
                await WriteAsync(response, 200, Completion(model, Choice(answer.Length > 20 ? answer[..20] : answer, "content_filter"))).ConfigureAwait(false);
                return;
            case FaultKind.SlowStream:
                await TrickleAsync(response, model, answer, stream).ConfigureAwait(false);
                return;
        }

        if (stream)
        {
            await StreamAsync(response, model, answer, TimeSpan.Zero).ConfigureAwait(false);
            return;
        }

        await WriteAsync(response, 200, Completion(model, Choice(answer, "stop"))).ConfigureAwait(false);
    }

    private async Task TrickleAsync(HttpListenerResponse response, string model, string answer, bool stream)
    {
        if (stream)
        {
            await StreamAsync(response, model, answer, _options.SlowPieceDelay).ConfigureAwait(false);
            return;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(Completion(model, Choice(answer, "stop")));
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        const int Pieces = 8;
        int size = (bytes.Length + Pieces - 1) / Pieces;
        for (int offset = 0; offset < bytes.Length; offset += size)
        {
            await response.OutputStream.WriteAsync(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)), _stop.Token).ConfigureAwait(false);
            await response.OutputStream.FlushAsync(_stop.Token).ConfigureAwait(false);
            await Task.Delay(_options.SlowPieceDelay, _stop.Token).ConfigureAwait(false);
        }

        response.Close();
    }

    private async Task StreamAsync(HttpListenerResponse response, string model, string answer, TimeSpan pause)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.SendChunked = true;
        Stream output = response.OutputStream;
        string[] words = answer.Split(' ');
        for (int i = 0; i < words.Length; i++)
        {
            string piece = i == 0 ? words[i] : " " + words[i];
            string chunk = $$"""{"id":"chatcmpl-fault","object":"chat.completion.chunk","created":0,"model":{{JsonSerializer.Serialize(model)}},"choices":[{"index":0,"delta":{"role":"assistant","content":{{JsonSerializer.Serialize(piece)}} },"finish_reason":null}]}""";
            await WriteEventAsync(output, chunk).ConfigureAwait(false);
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, _stop.Token).ConfigureAwait(false);
            }
        }

        await WriteEventAsync(output, $$"""{"id":"chatcmpl-fault","object":"chat.completion.chunk","created":0,"model":{{JsonSerializer.Serialize(model)}},"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""").ConfigureAwait(false);
        await WriteEventAsync(output, "[DONE]").ConfigureAwait(false);
        response.Close();
    }

    private async Task WriteEventAsync(Stream output, string data)
    {
        byte[] bytes = Encoding.UTF8.GetBytes("data: " + data + "\n\n");
        await output.WriteAsync(bytes, _stop.Token).ConfigureAwait(false);
        await output.FlushAsync(_stop.Token).ConfigureAwait(false);
    }

    private async Task WriteAsync(HttpListenerResponse response, int status, string body)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes, _stop.Token).ConfigureAwait(false);
        response.Close();
    }

    private static string Choice(string content, string finishReason) =>
        $$"""[{"index":0,"message":{"role":"assistant","content":{{JsonSerializer.Serialize(content)}}},"finish_reason":"{{finishReason}}"}]""";

    private static string Completion(string model, string choices) =>
        $$$"""{"id":"chatcmpl-fault","object":"chat.completion","created":0,"model":{{{JsonSerializer.Serialize(model)}}},"choices":{{{choices}}},"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}""";

    private static (List<ChatMessage> Messages, string Model, bool Stream) ParseRequest(byte[] body)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement root = document.RootElement;
        string model = root.TryGetProperty("model", out JsonElement m) ? m.GetString() ?? "model" : "model";
        bool stream = root.TryGetProperty("stream", out JsonElement s) && s.ValueKind == JsonValueKind.True;
        var messages = new List<ChatMessage>();
        foreach (JsonElement message in root.GetProperty("messages").EnumerateArray())
        {
            var role = new ChatRole(message.GetProperty("role").GetString() ?? "user");
            JsonElement content = message.GetProperty("content");
            string text;
            if (content.ValueKind == JsonValueKind.String)
            {
                text = content.GetString() ?? string.Empty;
            }
            else
            {
                var parts = new StringBuilder();
                foreach (JsonElement part in content.EnumerateArray())
                {
                    if (part.TryGetProperty("text", out JsonElement t))
                    {
                        parts.Append(t.GetString());
                    }
                }

                text = parts.ToString();
            }

            messages.Add(new ChatMessage(role, text));
        }

        return (messages, model, stream);
    }
}
