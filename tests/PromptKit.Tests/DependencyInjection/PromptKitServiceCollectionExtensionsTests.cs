using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PromptKit.Tests.Evaluation;

namespace PromptKit.Tests.DependencyInjection;

public sealed class PromptKitServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddPromptKit_ResolvesEvaluatorOverRegisteredChatClient()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IChatClient>(FakeChatClient.Echo());
        services.AddPromptKit(o => o.MaxConcurrency = 2);
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        PromptEvaluator evaluator = provider.GetRequiredService<PromptEvaluator>();
        PromptEvaluation result = await evaluator.EvaluateAsync(new PromptBuilder().AddUser("hi").Build());

        result.Text.Should().Be("echo: hi");
        provider.GetRequiredService<PromptEvaluator>().Should().BeSameAs(evaluator);
        provider.GetRequiredService<IOptions<PromptEvaluatorOptions>>().Value.MaxConcurrency.Should().Be(2);
        provider.GetRequiredKeyedService<IDistributedCache>(PromptKitServiceCollectionExtensions.ResponseCacheServiceKey)
            .Should().BeOfType<BoundedMemoryDistributedCache>().Which.Capacity.Should().Be(100_000);
    }

    [Fact]
    public void AddPromptKit_InvalidOptions_FailsListingEveryError()
    {
        var services = new ServiceCollection();
        services.AddPromptKit(o =>
        {
            o.MaxConcurrency = 0;
            o.Timeout = TimeSpan.FromSeconds(-1);
        });
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        Action act = () => _ = provider.GetRequiredService<IOptions<PromptEvaluatorOptions>>().Value;

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.Contains("MaxConcurrency", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("Timeout", StringComparison.Ordinal));
    }

    [Fact]
    public void AddPromptKit_Twice_RegistersOnce()
    {
        var services = new ServiceCollection();

        services.AddPromptKit();
        services.AddPromptKit();

        services.Count(d => d.ServiceType == typeof(PromptEvaluator)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IValidateOptions<PromptEvaluatorOptions>) && d.ImplementationType?.Name == "PromptEvaluatorOptionsCustomValidator").Should().Be(1);
    }

    [Fact]
    public void AddPromptKit_KeepsEarlierTimeProvider()
    {
        var services = new ServiceCollection();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        services.AddSingleton<TimeProvider>(time);

        services.AddPromptKit();
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(time);
    }

    [Fact]
    public void UseDistributedResponseCache_ReplacesMemoryCache()
    {
        var services = new ServiceCollection();
        var distributed = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        services.AddSingleton<IDistributedCache>(distributed);
        var entryOptions = new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromHours(1) };

        services.AddPromptKit().UseDistributedResponseCache(entryOptions);
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredKeyedService<IDistributedCache>(PromptKitServiceCollectionExtensions.ResponseCacheServiceKey).Should().BeSameAs(distributed);
        provider.GetRequiredService<IOptions<PromptEvaluatorOptions>>().Value.CacheEntryOptions.Should().BeSameAs(entryOptions);
    }

    [Fact]
    public async Task UseDistributedResponseCache_EvaluatorStoresResponsesInRegisteredCache()
    {
        var services = new ServiceCollection();
        var distributed = new CountingDistributedCache();
        services.AddSingleton<IDistributedCache>(distributed);
        services.AddSingleton<IChatClient>(FakeChatClient.Echo());

        services.AddPromptKit().UseDistributedResponseCache();
        using ServiceProvider provider = services.BuildServiceProvider();
        PromptEvaluator evaluator = provider.GetRequiredService<PromptEvaluator>();
        await evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, "q")]);
        PromptEvaluation again = await evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, "q")]);

        again.FromCache.Should().BeTrue();
        distributed.Writes.Should().Be(1);
    }

    [Fact]
    public async Task ConfigureChatPipeline_MiddlewareGetsContainerAndSeesEachModelRequest()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IChatClient>(FakeChatClient.Echo());
        services.AddSingleton(new MiddlewareLog());

        services.AddPromptKit(o => o.RetryBaseDelay = TimeSpan.Zero).ConfigureChatPipeline(b => b.Use((inner, sp) =>
        {
            MiddlewareLog log = sp.GetRequiredService<MiddlewareLog>();
            return new ChatClientBuilder(inner).Use(async (messages, options, next, ct) =>
            {
                log.Seen.Add(messages.Last().Text);
                await next(messages, options, ct);
            }).Build();
        }));
        using ServiceProvider provider = services.BuildServiceProvider();
        PromptEvaluator evaluator = provider.GetRequiredService<PromptEvaluator>();
        await evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, "a")]);
        await evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, "a")]);
        await evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, "b")]);

        provider.GetRequiredService<MiddlewareLog>().Seen.Should().Equal("a", "b");
    }

    [Fact]
    public void AddPromptScorer_ResolvesScorerWithReward()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IChatClient>(FakeChatClient.Echo());

        services.AddPromptKit().AddPromptScorer(_ => new RougeReward(RougeType.Rouge1));
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<PromptScorer<IReadOnlyList<string>>>().Reward.Name.Should().Be("rouge1");
    }

    [Fact]
    public void NullArguments_Throw()
    {
        FluentActions.Invoking(() => ((IServiceCollection)null!).AddPromptKit()).Should().Throw<ArgumentNullException>().WithParameterName("services");
        FluentActions.Invoking(() => ((IPromptKitBuilder)null!).UseDistributedResponseCache()).Should().Throw<ArgumentNullException>().WithParameterName("builder");
        FluentActions.Invoking(() => ((IPromptKitBuilder)null!).ConfigureChatPipeline(_ => { })).Should().Throw<ArgumentNullException>().WithParameterName("builder");
        FluentActions.Invoking(() => new ServiceCollection().AddPromptKit().ConfigureChatPipeline(null!)).Should().Throw<ArgumentNullException>().WithParameterName("configure");
        FluentActions.Invoking(() => new ServiceCollection().AddPromptKit().AddPromptScorer<string>(null!)).Should().Throw<ArgumentNullException>().WithParameterName("rewardFactory");
    }

    private sealed class MiddlewareLog
    {
        public List<string> Seen { get; } = [];
    }

    private sealed class CountingDistributedCache : IDistributedCache
    {
        private readonly MemoryDistributedCache _inner = new(Options.Create(new MemoryDistributedCacheOptions()));

        public int Writes { get; private set; }

        public byte[]? Get(string key) => _inner.Get(key);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => _inner.GetAsync(key, token);

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
        {
            Writes++;
            _inner.Set(key, value, options);
        }

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Writes++;
            return _inner.SetAsync(key, value, options, token);
        }

        public void Refresh(string key) => _inner.Refresh(key);

        public Task RefreshAsync(string key, CancellationToken token = default) => _inner.RefreshAsync(key, token);

        public void Remove(string key) => _inner.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default) => _inner.RemoveAsync(key, token);
    }
}
