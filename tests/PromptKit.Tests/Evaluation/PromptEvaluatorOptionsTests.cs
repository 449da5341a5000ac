using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PromptKit.Tests.Evaluation;

public sealed class PromptEvaluatorOptionsTests
{
    [Fact]
    public void Constructor_Defaults_MatchDocumentation()
    {
        var options = new PromptEvaluatorOptions();

        options.MaxConcurrency.Should().Be(4);
        options.Timeout.Should().Be(TimeSpan.FromSeconds(60));
        options.MaxRetryAttempts.Should().Be(3);
        options.RetryBaseDelay.Should().Be(TimeSpan.FromSeconds(1));
        options.MaxRetryDelay.Should().Be(TimeSpan.FromSeconds(30));
        options.UseCache.Should().BeTrue();
        options.MaxCacheEntries.Should().Be(100_000);
        options.DefaultChatOptions.Should().BeNull();
        options.IsTransient.Should().BeNull();
        options.ResponseValidator.Should().BeNull();
    }

    [Fact]
    public void ThrowIfInvalid_Defaults_DoesNotThrow()
    {
        Action act = () => PromptEvaluatorOptionsCustomValidator.ThrowIfInvalid(new PromptEvaluatorOptions());

        act.Should().NotThrow();
    }

    public static TheoryData<string, Action<PromptEvaluatorOptions>> InvalidChanges() => new()
    {
        { "MaxConcurrency", o => o.MaxConcurrency = 0 },
        { "MaxConcurrency", o => o.MaxConcurrency = 1025 },
        { "Timeout", o => o.Timeout = TimeSpan.Zero },
        { "Timeout", o => o.Timeout = TimeSpan.FromMilliseconds(9) },
        { "Timeout", o => o.Timeout = TimeSpan.FromDays(2) },
        { "MaxRetryAttempts", o => o.MaxRetryAttempts = -1 },
        { "MaxRetryAttempts", o => o.MaxRetryAttempts = 21 },
        { "RetryBaseDelay", o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(-1) },
        { "MaxRetryDelay", o => o.MaxRetryDelay = TimeSpan.FromMilliseconds(500) },
        { "MaxRetryDelay", o => o.MaxRetryDelay = TimeSpan.FromDays(2) },
        { "MaxCacheEntries", o => o.MaxCacheEntries = 0 },
    };

    [Theory]
    [MemberData(nameof(InvalidChanges))]
    public void ThrowIfInvalid_OneRuleBroken_ThrowsNamingTheProperty(string property, Action<PromptEvaluatorOptions> change)
    {
        var options = new PromptEvaluatorOptions();
        change(options);

        Action act = () => PromptEvaluatorOptionsCustomValidator.ThrowIfInvalid(options);

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle().Which.Should().Contain(property);
    }

    [Fact]
    public void ThrowIfInvalid_NullOptions_ThrowsWithParamName()
    {
        Action act = () => PromptEvaluatorOptionsCustomValidator.ThrowIfInvalid(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("options");
    }

    [Fact]
    public void Validators_RegisteredWithOptions_FailWhenOptionsResolved()
    {
        var services = new ServiceCollection();
        services.AddOptionsWithValidateOnStart<PromptEvaluatorOptions, PromptEvaluatorOptionsValidator>()
            .Configure(o =>
            {
                o.MaxConcurrency = 0;
                o.Timeout = TimeSpan.FromSeconds(-1);
            });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PromptEvaluatorOptions>, PromptEvaluatorOptionsCustomValidator>());
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        Action act = () => _ = provider.GetRequiredService<IOptions<PromptEvaluatorOptions>>().Value;

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().HaveCount(2);
    }
}
