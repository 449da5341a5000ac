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
        provider.GetRequiredService<IPromptResponseCache>().Should().BeOfType<MemoryPromptResponseCache>();
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
        services.AddSingleton<IDistributedCache>(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));

        services.AddPromptKit().UseDistributedResponseCache();
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<IPromptResponseCache>().Should().BeOfType<DistributedPromptResponseCache>();
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
        FluentActions.Invoking(() => new ServiceCollection().AddPromptKit().AddPromptScorer<string>(null!)).Should().Throw<ArgumentNullException>().WithParameterName("rewardFactory");
    }
}
