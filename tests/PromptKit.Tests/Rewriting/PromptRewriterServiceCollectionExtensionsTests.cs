using Microsoft.Extensions.DependencyInjection;

namespace PromptKit.Tests.Rewriting;

public sealed class PromptRewriterServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddPromptRewriter_FactoryAndLayers_ResolvesPipeline()
    {
        var services = new ServiceCollection();
        var inner = new RecordingPromptRewriter();
        services.AddSingleton(inner);
        services.AddPromptKit()
            .AddPromptRewriter(sp => sp.GetRequiredService<RecordingPromptRewriter>())
            .UseComponentFilter(PromptComponentKind.Summary);
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        IPromptRewriter rewriter = provider.GetRequiredService<IPromptRewriter>();
        Prompt result = await rewriter.RewriteAsync(new PromptBuilder().AddInstruction("Write.").AddSummary("noise").Build());

        rewriter.Should().BeOfType<ComponentFilterPromptRewriter>();
        rewriter.GetService<RecordingPromptRewriter>().Should().BeSameAs(inner);
        result.Contains("summary").Should().BeFalse();
        inner.Received.Should().ContainSingle();
        provider.GetRequiredService<IPromptRewriter>().Should().BeSameAs(rewriter);
    }

    [Fact]
    public async Task AddPromptRewriter_NoInner_ResolvesIdentityPipeline()
    {
        var services = new ServiceCollection();
        services.AddPromptKit().AddPromptRewriter();
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
        Prompt prompt = new PromptBuilder().AddUser("hi").Build();

        Prompt result = await provider.GetRequiredService<IPromptRewriter>().RewriteAsync(prompt);

        result.Should().BeSameAs(prompt);
    }

    [Theory]
    [InlineData(ServiceLifetime.Singleton)]
    [InlineData(ServiceLifetime.Scoped)]
    [InlineData(ServiceLifetime.Transient)]
    public void AddPromptRewriter_RegistersExpectedLifetime(ServiceLifetime lifetime)
    {
        var services = new ServiceCollection();

        services.AddPromptKit().AddPromptRewriter(new RecordingPromptRewriter(), lifetime);

        services.Should().ContainSingle(d => d.ServiceType == typeof(IPromptRewriter)).Which.Lifetime.Should().Be(lifetime);
    }

    [Fact]
    public void AddPromptRewriter_ProviderDisposed_DisposesPipeline()
    {
        var services = new ServiceCollection();
        var inner = new RecordingPromptRewriter();
        services.AddPromptKit().AddPromptRewriter(inner).UseListLimit(1, ListItemRetention.First, PromptComponentKind.Examples);
        ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);
        _ = provider.GetRequiredService<IPromptRewriter>();

        provider.Dispose();

        inner.DisposeCount.Should().Be(1);
    }

    [Fact]
    public void AddPromptRewriter_BadArguments_ThrowWithParamName()
    {
        IPromptKitBuilder builder = new ServiceCollection().AddPromptKit();

        ((Action)(() => ((IPromptKitBuilder)null!).AddPromptRewriter())).Should().Throw<ArgumentNullException>().WithParameterName("builder");
        builder.Invoking(b => b.AddPromptRewriter((IPromptRewriter)null!)).Should().Throw<ArgumentNullException>().WithParameterName("innerRewriter");
        builder.Invoking(b => b.AddPromptRewriter((Func<IServiceProvider, IPromptRewriter>)null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("innerRewriterFactory");
        builder.Invoking(b => b.AddPromptRewriter((ServiceLifetime)9)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("lifetime");
    }
}
